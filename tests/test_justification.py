"""Justified running text as a typesetter sets it, measured from the characters' positions in
both PDFs (the screen and the print edition; tests/typeset.py reads them): no line ends short
unless its paragraph ends there (issue 19, item 4: "products" alone on a line), and word
spaces stay under half an em but for the odd line, never past three quarters (item 5), on
the report and on a report of some 70 pages (tests/long_report.py)."""
from __future__ import annotations

import pytest
from conftest import REPORT, build_into
from typeset import running_lines

# Lays out PDFs, starts LibreOffice, Chromium or builds whole reports: the slow tier
pytestmark = pytest.mark.slow

SHORT = 1 / 3        # of the measure: a line that ends further from the right edge is short
LOOSE, WORST = 0.5, 0.75   # em: word spaces above LOOSE in at most 1 line in 50, none above WORST


@pytest.fixture(scope="module")
def report(report_pdf):
    return REPORT, report_pdf.parent     # the session's build of the report (conftest)


def short_lines(lines) -> list[str]:
    """Those of a PDF's lines of running text (typeset.running_lines) that end short."""
    return [f"page {line.page + 1}, line {line.number}: {line.text!r}" for line in lines
            if not line.ends_paragraph and line.right - line.end > (line.right - line.left) * SHORT]


def loose_lines(lines) -> tuple[list[tuple[float, str]], int]:
    """([(widest word space in em, where), …] of the justified lines above LOOSE, their number)."""
    justified = [line for line in lines if not line.ends_paragraph and line.spaces()]
    loose = sorted(((max(line.spaces()), f"page {line.page + 1}, line {line.number}: {line.text[:60]!r}")
                    for line in justified if max(line.spaces()) > LOOSE), reverse=True)
    return loose, len(justified)


@pytest.mark.slow
@pytest.mark.parametrize("edition", ["report.pdf", "report-print.pdf"])
def test_no_line_ends_short_unless_its_paragraph_ends(report, edition):
    source, out = report
    assert not short_lines(running_lines(source, out / edition))


@pytest.mark.slow
@pytest.mark.parametrize("edition", ["report.pdf", "report-print.pdf"])
def test_word_spaces_of_the_report(report, edition):
    source, out = report
    loose, lines = loose_lines(running_lines(source, out / edition))
    assert lines > 150
    assert len(loose) <= lines / 50 and not any(space > WORST for space, _ in loose), (lines, loose)


@pytest.mark.slow
def test_word_spaces_of_a_long_report(long_report_lines):
    loose, lines = loose_lines(long_report_lines)          # read once for test_hyphenation too
    assert not short_lines(long_report_lines)
    assert lines > 1200              # justified lines measured (16 chapters: about 1,490)
    assert len(loose) <= lines / 50 and not any(space > WORST for space, _ in loose), (lines, loose[:10])


@pytest.mark.slow
def test_the_reader_finds_a_line_left_short(tmp_path):
    """The measure itself: a paragraph forced to end a line early (a hard break) is found."""
    source = tmp_path / "source" / "short.md"
    source.parent.mkdir()
    source.write_text("# A chapter\n\nA paragraph broken by hand, then\\\nrunning on to the end of its second"
                      " line, which is its last, and then on a little further, into a third line.\n",
                      encoding="utf-8")
    build_into(source, tmp_path / "build", ["pdf"])
    found = short_lines(running_lines(source, tmp_path / "build" / "short.pdf"))
    assert len(found) == 1 and "then" in found[0], found


def test_breaks_are_chosen_for_the_whole_paragraph():
    """The search itself, on words of made-up widths (a space 3, a line 100): filling each line
    in turn sets a, b and c on the first line (100) and leaves d alone on the second (d and e
    are 101); the whole-paragraph choice moves c down: "a b" (83), "c d" (77), "e f"."""
    from folio.layout.weasy.breaks import _best_breaks

    widths = {"a": 40, "b": 40, "c": 14, "d": 60, "e": 38, "f": 20}
    pieces = [(word, width, True, False) for word, width in widths.items()]
    assert 40 + 3 + 40 + 3 + 14 <= 100 < 60 + 3 + 38          # what filling line by line does
    assert _best_breaks(pieces, 3, 3, 100, 10) == [1, 3]


def test_the_breaks_kept_for_the_rest_of_a_text_are_those_a_search_of_it_finds():
    """The search runs once per text: what it keeps for the text after each chosen line (the
    next question WeasyPrint asks) must be what searching that text alone gives. Words of
    made-up widths, soft hyphens in some, two spaces in a row, on a narrow measure."""
    from folio.layout.weasy.breaks import SOFT, _search

    def measure(text: str) -> float:
        return sum(7.0 if c in "mw" else 3.0 if c in "il " else 5.0 for c in text)

    words = ["inter" + SOFT + "national", "migration", "is", "a", "defining", "fea" + SOFT + "ture", "of",
             "our", "time,", "", "and", "states", "co" + SOFT + "operate", "on", "it", "with", "partners",
             "every" + SOFT + "where", "in", "the", "world", "today."]
    text = " ".join(words)
    style = {"hyphenate_character": "\u2010", "font_size": 10}
    kept = 0
    for room in range(60, 200, 7):          # measures that break the text at different places
        found: dict = {}
        pieces, nxt, _ = _search(text, style, measure, float(room), found, "k")
        for (_, rest), (_, _, start) in found.items():
            own, own_nxt, own_start = _search(rest, style, measure, float(room), {}, "k")
            assert own_start == 0 and own == pieces[start:], (room, rest)
            assert own_nxt is not None and [n - start for n in nxt[start:]] == own_nxt, (room, rest)
            kept += 1
    assert kept >= 40, "the text after each of several lines is kept, at every measure"
