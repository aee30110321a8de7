"""Justified running text as a typesetter sets it, measured from the characters' positions in
both PDFs (the screen and the print edition; tests/typeset.py reads them): no line ends short
unless its paragraph ends there (issue 19, item 4: "products" alone on a line), and word
spaces stay under half an em but for the odd line, never past three quarters (item 5), on
the report and on a report of over 100 pages (tests/long_report.py)."""
from __future__ import annotations

import pytest
from conftest import REPORT, build_into
from typeset import running_lines

SHORT = 1 / 3        # of the measure: a line that ends further from the right edge is short


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("justified")
    build_into(REPORT, out, ["pdf"])
    return REPORT, out


def short_lines(source, pdf) -> list[str]:
    return [f"page {line.page + 1}, line {line.number}: {line.text!r}"
            for line in running_lines(source, pdf)
            if not line.ends_paragraph and line.right - line.end > (line.right - line.left) * SHORT]


@pytest.mark.slow
@pytest.mark.parametrize("edition", ["report.pdf", "report-print.pdf"])
def test_no_line_ends_short_unless_its_paragraph_ends(report, edition):
    source, out = report
    assert not short_lines(source, out / edition)


@pytest.mark.slow
def test_the_reader_finds_a_line_left_short(tmp_path):
    """The measure itself: a paragraph forced to end a line early (a hard break) is found."""
    source = tmp_path / "source" / "short.md"
    source.parent.mkdir()
    source.write_text("# A chapter\n\nA paragraph broken by hand, then\\\nrunning on to the end of its second"
                      " line, which is its last, and then on a little further, into a third line.\n",
                      encoding="utf-8")
    build_into(source, tmp_path / "build", ["pdf"])
    found = short_lines(source, tmp_path / "build" / "short.pdf")
    assert len(found) == 1 and "then" in found[0], found
