"""The Arabic print edition mirrored as an Arabic book is held: bound on the right, so that its
recto (odd) pages are the left-hand pages of each spread. Read back from the PDF's words and
page labels: the first page of the report is a left-hand page with its wider (binding) margin
on the right; the running heads sit at the outer corners, the chapter over the recto (left
page, at its left) and the short title over the verso (right page, at its right); the page
number is centred under the text; every line of running text starts at the right edge; the
contents has its titles at the right and its page numbers at the left; a viewer shows the
spreads right to left. The test document is our own (tests/documents/rtl/book.md)."""
from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from conftest import ROOT, make_project, run_folio

pytestmark = pytest.mark.slow

BOOK = ROOT / "tests" / "documents" / "rtl" / "book.md"
INDENT = 2.6 * 11           # print.css: an Arabic numbered paragraph's text stands 2.6em in from its number


def _reversed(text: str) -> str:
    """An Arabic word as pdfplumber extracts it (letters in visual order, right to left)."""
    return text[::-1]


@pytest.fixture(scope="module")
def book(tmp_path_factory) -> Path:
    where = tmp_path_factory.mktemp("rtl-book")
    source = make_project(where, BOOK.read_text(encoding="utf-8"))
    done = run_folio("build", source, "-f", "pdf,html", cwd=where)
    assert done.returncode == 0, done.stderr
    return where / "build"


@pytest.fixture(scope="module")
def pages(book):
    """[(label, width, height, words)] of every page of the screen edition."""
    import pdfplumber
    from pypdf import PdfReader

    labels = PdfReader(book / "report.pdf").page_labels
    with pdfplumber.open(book / "report.pdf") as pdf:
        return [(label, page.width, page.height, page.extract_words())
                for label, page in zip(labels, pdf.pages, strict=True)]


def _page(pages, label: str):
    index = next(i for i, page in enumerate(pages) if page[0] == label)
    return index + 1, pages[index]                       # the page's number in the file, from 1


def _heads(page):
    _, _, _, words = page
    return [w for w in words if w["bottom"] < 72]        # above the 1in top margin


def _body(page):
    _, _, height, words = page
    return [w for w in words if 72 <= w["top"] and w["bottom"] < height - 72]


def _lines(words, tolerance: float = 6) -> list[list[dict]]:
    lines: list[list[dict]] = []
    for word in sorted(words, key=lambda w: w["top"]):
        if lines and word["top"] - lines[-1][0]["top"] < tolerance:
            lines[-1].append(word)
        else:
            lines.append([word])
    return lines


def test_the_report_opens_on_a_left_hand_page_bound_on_its_right(pages):
    number, page = _page(pages, "1")
    assert number % 2 == 1, f"page 1 of the report is page {number} of the file: a right-hand page"
    _, width, _, _ = page
    body = _body(page)
    left, right = min(w["x0"] for w in body), width - max(w["x1"] for w in body)
    assert right > left + 5, (left, right)               # the binding margin (1.6in) on the right
    _, verso = _page(pages, "2")
    body = _body(verso)
    assert min(w["x0"] for w in body) > verso[1] - max(w["x1"] for w in body) + 5   # and on a verso's left


def test_the_chapter_heads_the_recto_at_its_left_corner(pages):
    number, page = _page(pages, "3")
    assert number % 2 == 1
    heads = _heads(page)
    texts = {w["text"] for w in heads}
    assert {_reversed("الاستنتاجات"), _reversed("والتوصيات")} <= texts, texts  # chapter III's, begun on it
    _, width, _, _ = page
    assert max(w["x1"] for w in heads) < width / 2, heads                    # the outer (left) corner
    body = _body(page)
    assert abs(min(w["x0"] for w in heads) - min(w["x0"] for w in body)) < 2  # flush with the text


def test_the_short_title_heads_the_verso_at_its_right_corner(pages):
    number, page = _page(pages, "2")
    assert number % 2 == 0
    heads = _heads(page)
    texts = {w["text"] for w in heads}
    assert {_reversed("الهجرة"), _reversed("المستدامة")} <= texts, texts
    _, width, _, _ = page
    assert min(w["x0"] for w in heads) > width / 2, heads                    # the outer (right) corner
    body = _body(page)
    assert abs(max(w["x1"] for w in heads) - max(w["x1"] for w in body)) < 2


def test_the_page_number_is_centred_under_the_text(pages):
    for label in ("1", "2", "3"):
        _, page = _page(pages, label)
        _, _, height, words = page
        number = [w for w in words if w["top"] > height - 72 and w["text"] == label]
        body = _body(page)
        assert len(number) == 1, [w["text"] for w in words if w["top"] > height - 72]
        middle = (min(w["x0"] for w in body) + max(w["x1"] for w in body)) / 2
        assert abs((number[0]["x0"] + number[0]["x1"]) / 2 - middle) < 3, (label, number, middle)


def test_every_line_of_running_text_starts_at_the_right_edge(pages):
    """A line ends (its x1) at the right edge of the text, or a paragraph's indent in from it;
    the short last lines of paragraphs prove the direction: they leave the left side empty.
    (A word's box is its letters' advance: an Arabic initial letter's ink stands a few points
    inside it, so the edge is read to 5 points.)"""
    short = 0
    for label in ("1", "2", "3"):
        _, page = _page(pages, label)
        body = _body(page)
        left, right = min(w["x0"] for w in body), max(w["x1"] for w in body)
        for line in _lines(body):
            end = max(w["x1"] for w in line)
            assert min(abs(end - right), abs(end - (right - INDENT))) < 5, (label, [w["text"] for w in line])
            short += min(w["x0"] for w in line) > left + 40
    assert short >= 5, short


def test_the_contents_has_titles_at_the_right_and_page_numbers_at_the_left(pages):
    contents = next(page for page in pages if _reversed("المحتويات") in {w["text"] for w in page[3]})
    _, width, _, _ = contents
    lines = [line for line in _lines(_body(contents)) if any(w["text"] == _reversed("مقدمة") for w in line)]
    assert len(lines) == 1, lines
    line = sorted(lines[0], key=lambda w: w["x0"])
    assert line[0]["text"] == "1", [w["text"] for w in line]                  # the page, leftmost
    assert line[-1]["text"] == _reversed("أولاً"), line[-1]                     # the number, rightmost
    title = next(w for w in line if w["text"] == _reversed("مقدمة"))
    leader = [w for w in line if set(w["text"]) <= {"."}]
    assert leader and all(title["x0"] > w["x1"] for w in leader)               # dots run left from the title
    page_word = next(w for w in _body(contents) if w["text"] == _reversed("الصفحة"))
    assert abs(page_word["x0"] - line[0]["x0"]) < 3                            # "Page" over the numbers


def test_a_viewer_shows_the_spreads_right_to_left(book):
    import pikepdf

    for name in ("report.pdf", "report-print.pdf"):
        with pikepdf.open(book / name) as pdf:
            assert pdf.Root.ViewerPreferences.Direction == pikepdf.Name.R2L, name


def test_a_chapter_title_follows_its_number_at_a_word_s_distance(pages):
    """The number column fits the widest Arabic number as drawn (joined Naskh letters, vowel
    marks taking no width): it was measured as Latin capitals, 5.5 em, and left a gap of
    3.6 em between "أولاً -" and its title."""
    for label, title in (("1", "مقدمة"), ("1", "النتائج")):
        _, page = _page(pages, label)
        heading = max((w for w in _body(page) if w["text"] == _reversed(title)), key=lambda w: w["height"])
        line = [w for w in _lines(_body(page)) if heading in w][0]
        mark = min((w for w in line if w["text"] == "-" and w["x0"] >= heading["x1"]), key=lambda w: w["x0"])
        gap = mark["x0"] - heading["x1"]
        assert 0.3 * 14 < gap < 1.2 * 14, (title, gap)                      # 14pt headings


def test_left_to_right_runs_keep_their_order(pages, book):
    """A number grouped with a space (UN: "1 200") was read by the bidi algorithm as two
    numbers set right to left, "200 1"; isolated, it reads left to right, as do the symbols."""
    from lxml import html as lhtml

    _, page = _page(pages, "1")
    words = _body(page)
    thousand = next(w for w in words if w["text"] == "200")
    one = [w for w in words if w["text"] == "1" and abs(w["top"] - thousand["top"]) < 2]
    assert one and 0 < thousand["x0"] - one[0]["x1"] < 6, (one, thousand)    # "1" just left of "200"
    assert "A/RES/70/1" in {w["text"] for w in words}
    web = lhtml.parse(str(book / "html" / "index.html")).getroot()
    runs = [b.text_content() for b in web.xpath("//main//bdi[@dir='ltr']")]
    assert {"1 200", "A/RES/70/1", "IOM"} <= set(runs), runs


def test_no_word_is_drawn_over_another(pages):
    """folio spaces out the letters of a loose justified line; on a right-to-left line that
    shift ran in logical order over boxes set in visual order, and drew "(IOM)" over the Arabic
    word before it. Arabic lines are left to WeasyPrint (Arabic is never letter-spaced)."""
    for label in ("1", "2", "3"):
        _, page = _page(pages, label)
        for line in _lines(_body(page)):
            # a vowel mark pdfplumber cuts off as a word of its own stands over its letter
            line = sorted((w for w in line if not all(unicodedata.combining(c) for c in w["text"])),
                          key=lambda w: w["x0"])
            for left, right in zip(line, line[1:], strict=False):
                assert right["x0"] > left["x1"] - 1, (label, left["text"], right["text"])


def test_a_note_starts_at_the_right_with_its_number(pages):
    _, page = _page(pages, "1")
    body = _body(page)
    right = max(w["x1"] for w in body)
    line = next(line for line in _lines(body) if any(w["text"] == "A/72/643" for w in line))   # note 1
    line = sorted(line, key=lambda w: w["x1"], reverse=True)
    assert line[0]["text"] == "1" and abs(line[0]["x1"] - right) < 1, [w["text"] for w in line]
    assert 1 < line[0]["x0"] - line[1]["x1"] < 6, line[:2]     # the number's gap is on its left
