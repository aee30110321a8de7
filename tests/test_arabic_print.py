"""The Arabic print edition laid out right to left: paragraph numbers hang in the right margin of
every paragraph (a wrapped, justified one too: an inline number was set over its first line), and
a table's caption starts at the right edge of the text, as the paragraphs do."""
from __future__ import annotations

import pytest
from test_versions import build_version

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def words(tmp_path_factory):
    import pdfplumber
    out = build_version(tmp_path_factory.mktemp("arabic-print"), "ar", "pdf")
    with pdfplumber.open(out / "report.pdf") as pdf:
        return [w for page in pdf.pages for w in page.extract_words(extra_attrs=["page_number"])]


def _line(words, word):
    return [w for w in words if w["page_number"] == word["page_number"] and abs(w["top"] - word["top"]) < 8
            and w is not word]


def _mark_of(number, word) -> bool:
    """Whether word is the mark after a paragraph's number: "1 -" drawn right to left puts the
    "-" just left of the "1"."""
    return word["text"] == "-" and 0 <= number["x0"] - word["x1"] < 8


def _numbers(words):
    """The paragraph numbers, in the UN Arabic form "1 -" (not "1.", which reads ".1" here)."""
    return [w for w in words if w["text"] in ("1", "2", "3", "4", "5")
            and any(_mark_of(w, other) for other in _line(words, w))]


def test_every_paragraph_number_hangs_right_of_its_first_line(words):
    numbers = _numbers(words)
    assert sorted(w["text"] for w in numbers) == ["1", "2", "3", "4", "5"], [w["text"] for w in words][:80]
    for number in numbers:
        line = [w for w in _line(words, number) if not _mark_of(number, w)]
        assert line, number
        edge = max(w["x1"] for w in numbers if w["page_number"] == number["page_number"])
        assert abs(number["x1"] - edge) < 1, number                      # all at the page's right edge
        assert number["x0"] >= max(w["x1"] for w in line) + 4, (number["text"], line)   # clear of the words


def test_a_table_caption_starts_at_the_right(words):
    caption = [w for w in words if w["text"] in ("لودجلا", "الجدول")]     # as extracted: reversed
    assert caption, [w["text"] for w in words][:80]
    numbers = [w for w in _numbers(words) if w["page_number"] == caption[0]["page_number"]]
    assert abs(max(w["x1"] for w in caption) - max(w["x1"] for w in numbers)) < 2, caption
