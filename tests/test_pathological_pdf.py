"""Pathological inputs through the PDF writer (tests/pathological.py): WeasyPrint sees every
shape of model the cases make (one case of each), at a smaller n (a page costs it ~50 ms)."""
from __future__ import annotations

import pytest
from pathological import check_all, check_issue_25, issue_25_cases

pytestmark = pytest.mark.slow


def test_pathological_inputs_finish_and_scale_linearly_in_the_pdf():
    check_all("pdf")


@pytest.mark.parametrize("case", issue_25_cases("pdf"))
def test_the_shapes_of_issue_25_scale_linearly(case):
    """Words too long for a line, in a table cell and everywhere (issue 25)."""
    check_issue_25(case)
