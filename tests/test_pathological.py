"""Pathological inputs finish quickly and grow roughly linearly, through the HTML writer
(parse and transforms with it): every case of tests/pathological.py, the other tools' syntax
among them, at n and 4n by two warm workers. The Word and PDF writers have files of their own
(test_pathological_docx.py, test_pathological_pdf.py): pytest-xdist runs files side by side."""
from __future__ import annotations

import pytest
from pathological import check_all, check_issue_25, issue_25_cases

pytestmark = pytest.mark.slow


def test_pathological_inputs_finish_and_scale_linearly():
    check_all("html")


@pytest.mark.parametrize("case", issue_25_cases("html"))
def test_the_shapes_of_issue_25_scale_linearly(case):
    """The suggestion for unknown cross-references (issue 25)."""
    check_issue_25(case)
