"""Pathological inputs through the Word writer (tests/pathological.py): python-docx sees every
shape of model the cases make (one case of each); the other tools' syntax, read into ordinary
blocks, only through HTML."""
from __future__ import annotations

import pytest
from pathological import check_all, check_issue_25, issue_25_cases

pytestmark = pytest.mark.slow


def test_pathological_inputs_finish_and_scale_linearly_in_word():
    check_all("docx")


@pytest.mark.parametrize("case", issue_25_cases("docx"))
def test_the_shapes_of_issue_25_scale_linearly(case):
    """Many chapters (python-docx searched every part for each header's name) and words too
    long for a line (issue 25)."""
    check_issue_25(case)
