"""A project in one language is published in that language: a source whose front matter says
`language: fr` (es, ru, ar, zh) has no word of folio's English table in any edition, has the
language's own words, numbers its headings by the language's scheme and says its language
(and, for Arabic, its direction) to the reader's software.

The test documents (tests/documents/languages/) are our own short translations of a chapter
with two sections, a note, a table, a cross-reference and an abbreviation."""
from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, make_project, need, run_folio
from lxml import etree
from lxml import html as lhtml

DOCUMENTS = ROOT / "tests" / "documents" / "languages"
LOCALES = ROOT / "folio" / "i18n" / "locales"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
LANGUAGES = ("fr", "es", "ru", "ar", "zh")

# What each language's edition must say where English says Contents, I., A., "section I.B".
EXPECTED = {
    "fr": {"contents": "Table des matières", "chapter": "I", "section": "A", "xref": "section I.B",
           "table": "Tableau 1"},
    "es": {"contents": "Índice", "chapter": "I", "section": "A", "xref": "sección I.B", "table": "Cuadro 1"},
    "ru": {"contents": "Содержание", "chapter": "I", "section": "A", "xref": "раздел I.B",
           "table": "Таблица 1"},
    "ar": {"contents": "المحتويات", "chapter": "أولاً", "section": "ألف", "xref": "الفرع أولاً.باء",
           "table": "الجدول 1"},
    "zh": {"contents": "目录", "chapter": "一", "section": "A", "xref": "第一.B节", "table": "表 1"},
}


def _words(table: dict) -> list[str]:
    out = []
    for key, value in table.items():
        if key == "locale":
            continue
        out += _words(value) if isinstance(value, dict) else [value] if isinstance(value, str) else []
    return out


def _english_only(language: str) -> list[str]:
    """The words of en.yaml the language does not share ('Contents', 'Back to text'; not
    'Page' or 'note' in French, not 'PDF'), each cut at a placeholder ('Copyright ©')."""
    en = _words(yaml.safe_load((LOCALES / "en.yaml").read_text(encoding="utf-8")))
    own = " | ".join(_words(yaml.safe_load((LOCALES / f"{language}.yaml").read_text(encoding="utf-8"))))
    words = {w.split("{")[0].strip(" ,") for w in en}
    return sorted(w for w in words if re.search("[A-Za-z]{2}", w) and w.casefold() not in own.casefold()
                  and w not in ("PDF", "DOCX"))


@pytest.fixture(scope="module", params=LANGUAGES)
def built(request, tmp_path_factory):
    """A project holding the language's test document, built into its web and Word editions."""
    language = request.param
    where = tmp_path_factory.mktemp(f"lang-{language}")
    source = make_project(where, (DOCUMENTS / f"{language}.md").read_text(encoding="utf-8"))
    done = run_folio("build", source, "-f", "html", "-f", "docx", cwd=where)
    assert done.returncode == 0, done.stderr
    # No warning but Chinese's missing print font (no CJK font on this machine).
    assert [x for x in done.stderr.splitlines() if ": warning:" in x and "[glyph]" not in x] == []
    page = lhtml.parse(str(where / "build" / "html" / "index.html")).getroot()
    with zipfile.ZipFile(where / "build" / "report.docx") as z:
        parts = {n: etree.fromstring(z.read(n)) for n in z.namelist()
                 if re.match(r"word/(document|footnotes|header\d*|footer\d*|styles)\.xml$", n)}
    return language, where, page, parts


def _html_text(page) -> str:
    """What a reader sees or hears: the text and the attributes read aloud or shown on hover."""
    return " ".join(page.itertext()) + " " + " ".join(page.xpath("//@title|//@aria-label|//@alt"))


def _docx_text(parts: dict) -> str:
    """The text Word shows (w:t), not its field codes (PAGE, PAGEREF)."""
    return " ".join("".join(t.text or "" for t in p.iter(f"{W}t")) for n, x in parts.items()
                    if n != "word/styles.xml" for p in x.iter(f"{W}p"))


def _docx_paragraphs(parts: dict) -> list[str]:
    body = parts["word/document.xml"]
    return ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in body.iter(f"{W}p")]


def _english_in(text: str, language: str) -> list[str]:
    return [w for w in _english_only(language) if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text, re.I)]


def test_every_table_has_every_word_of_english_in_its_own_language():
    en = set(_names(yaml.safe_load((LOCALES / "en.yaml").read_text(encoding="utf-8"))))
    for language in LANGUAGES:
        table = yaml.safe_load((LOCALES / f"{language}.yaml").read_text(encoding="utf-8"))
        assert set(_names(table)) == en, (language, set(_names(table)) ^ en)
        assert not _english_in(" | ".join(_words(table)), language)   # no English word left in a table


def _names(table: dict, prefix: str = ""):
    for key, value in table.items():
        if key == "locale" and not prefix:
            continue
        if key == "pages" and not prefix:
            yield "pages.other"
            continue
        yield from _names(value, f"{prefix}{key}.") if isinstance(value, dict) else [prefix + key]


def test_no_english_word_in_the_web_or_word_edition(built):
    language, _, page, parts = built
    assert _english_in(_html_text(page), language) == []
    assert _english_in(_docx_text(parts), language) == []


def test_the_language_s_own_words_and_numbers(built):
    language, _, page, parts = built
    want = EXPECTED[language]
    text = " ".join(_html_text(page).split())
    assert want["contents"] in text and want["table"] in text
    assert want["xref"] in [" ".join(a.text_content().split()) for a in page.xpath("//a[contains(@class, 'xref')]")]
    numbers = [n.text_content().strip() for n in page.xpath("//main//*[self::h2 or self::h3]/span[@class='number']")]
    mark = _mark(language)
    assert numbers == [want["chapter"] + mark, want["section"] + mark, _second(language) + mark], numbers
    paragraphs = _docx_paragraphs(parts)
    assert want["contents"] in paragraphs
    assert any(p.startswith(want["chapter"] + mark) for p in paragraphs), paragraphs
    docx = " ".join(" ".join(paragraphs).split())
    assert want["xref"] in docx, docx


def _mark(language: str) -> str:
    """What follows a heading's number: "I." — but "أولاً -" in UN Arabic."""
    return {"ar": " -"}.get(language, ".")


def _second(language: str) -> str:
    return {"ar": "باء"}.get(language, "B")


def test_the_editions_say_their_language_and_direction(built):
    language, _, page, parts = built
    assert page.get("lang") == language
    assert page.get("dir") == ("rtl" if language == "ar" else None)
    defaults = parts["word/styles.xml"].find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert defaults is not None and defaults.get(f"{W}val").split("-")[0] == language
    # Word: every paragraph of an Arabic document runs right to left (w:bidi in the defaults).
    bidi = parts["word/styles.xml"].find(f"{W}docDefaults/{W}pPrDefault/{W}pPr/{W}bidi")
    assert (bidi is not None) == (language == "ar")


def test_the_web_edition_gives_file_sizes_in_the_language_s_units(built):
    language, _, page, _ = built
    sizes = [s.text_content() for s in page.xpath("//span[@class='size']")]
    assert sizes and not any(re.search(r"\bKB\b", s) for s in sizes), sizes
    if language == "fr":
        assert all(re.fullmatch(r"\d+\s?ko", s) for s in sizes), sizes   # CLDR: a narrow no-break space


@pytest.mark.slow
@pytest.mark.parametrize("language", LANGUAGES)     # zh: with fonts-noto-cjk, which .ci/run installs
def test_the_print_edition_is_in_the_language(tmp_path, language):
    need("pdftotext")
    source = make_project(tmp_path, (DOCUMENTS / f"{language}.md").read_text(encoding="utf-8"))
    done = run_folio("build", source, "-f", "pdf", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    pdf = tmp_path / "build" / "report.pdf"
    text = subprocess.run([shutil.which("pdftotext"), "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    flat = " ".join(text.split())
    assert _english_in(flat, language) == []
    want = EXPECTED[language]
    assert want["contents"].casefold() in flat.casefold()      # print.css sets it in capitals
    if language != "ar":                # pdftotext orders right-to-left runs its own way
        assert want["xref"] in flat and re.search(rf"(?m)^\s*{want['chapter']}\.\s", text), text
    else:
        assert want["chapter"] in flat and want["section"] in flat
        _number_hangs_on_the_right(pdf)


def _number_hangs_on_the_right(pdf: Path) -> None:
    """Arabic: paragraph 1's number stands right of its line's words, clear of them (it was
    drawn over the first word while the indent hung it on the left)."""
    import pdfplumber
    with pdfplumber.open(pdf) as doc:
        words = [w for p in doc.pages for w in p.extract_words(extra_attrs=["page_number"])]
    line = [w for w in words if "IOM" in w["text"] and w["text"] != "IOM"][:1]   # paragraph 1: "(IOM)"
    line = [w for w in words if w["page_number"] == line[0]["page_number"] and abs(w["top"] - line[0]["top"]) < 3]
    number = max((w for w in line if w["text"] == "1"), key=lambda w: w["x0"])   # "1 -", the UN Arabic form
    line = [w for w in line if w is not number and not (w["text"] == "-" and w["x1"] <= number["x0"] < w["x1"] + 8)]
    assert line and number["x0"] >= max(w["x1"] for w in line), (number, line)
