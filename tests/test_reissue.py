"""`folio reissue`: the editions reissued for technical reasons carry an asterisk after the
symbol wherever the symbol is shown and, on the first page, the note "Reissued for technical
reasons on <date>." in the language of the version; the issued build stays as it was.
Every check reads the outputs back (pdfplumber, python-docx, the parsed HTML)."""
from __future__ import annotations

import dataclasses
import hashlib
import textwrap
from pathlib import Path

import docx
import lxml.html
import pdfplumber
import pytest
from conftest import make_project, run_folio

from folio.build import load
from folio.diagnostics import FolioError, Reporter
from folio.project import Project

SYMBOL = "XQ/TEST/2026/7"
NOTE = "Reissued for technical reasons on 7 December 2026."
BODY = " ".join(["The working group met in plenary and reviewed the estimates of migrant stocks,"
                 " the flows between regions and the methods that produce them."] * 14)


def source_text(language: str = "en", symbol: str = SYMBOL, extra: str = "") -> str:
    chapters = "\n\n".join(f"# Chapter {n}\n\n{BODY}\n\n{BODY}\n\n{BODY}" for n in ("one", "two", "three"))
    return textwrap.dedent(f"""\
        ---
        title: Estimates of migrant stocks
        short-title: Migrant stocks
        banner: Economic & Social Affairs
        organization: United Nations
        department: Department of Economic and Social Affairs
        division: Population Division
        symbol: "{symbol}"
        year: 2026
        language: {language}
        chapter-opening: page
        {extra}
        ---

        # Preface {{.front}}

        {BODY}

        """) + chapters + "\n"


# ---- the model: the note in the language of the version, checked before anything is written ----

def _reissued(tmp_path: Path, language: str):
    source = make_project(tmp_path, source_text(language))
    project = dataclasses.replace(Project.for_source(source), overrides=(("reissued", "2026-12-07"),))
    return load(project, Reporter(), glyphs=False)


@pytest.mark.parametrize("language, note", [
    ("en", NOTE),
    ("fr", "Nouveau tirage pour raisons techniques le 7 décembre 2026."),
    ("es", "Publicado nuevamente por razones técnicas el 7 de diciembre de 2026."),
    ("zh", "因技术原因于2026年12月7日重新印发。"),
])
def test_the_note_is_in_the_language_of_the_version(tmp_path, language, note):
    doc = _reissued(tmp_path, language)
    assert (doc.reissue.date, doc.reissue.mark, doc.reissue.note) == ("2026-12-07", "*", note)
    assert doc.citation.number == SYMBOL            # the citation names the document: no mark


def test_a_bad_date_is_one_line_and_nothing_is_written(tmp_path):
    source = make_project(tmp_path, source_text())
    done = run_folio("reissue", source, "--date", "2026-02-30", cwd=tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.splitlines()[0] == ("--date: error: 'reissued' must be a date written YYYY-MM-DD,"
                                           " not '2026-02-30' [front-matter-type]")
    assert not (tmp_path / "build").exists()


def test_a_reissue_needs_a_symbol_and_a_date_in_the_front_matter_is_checked(tmp_path):
    source = make_project(tmp_path, source_text(symbol="", extra="reissued: 2026-12-07"))
    reporter = Reporter()
    with pytest.raises(FolioError):
        load(Project.for_source(source), reporter, glyphs=False)
    assert [(m.location.line, m.severity) for m in reporter.messages] == [(12, "error")]
    assert "names none: add 'symbol:'" in reporter.messages[0].text
    source.write_text(source_text(extra="reissued: 7 December"), encoding="utf-8")
    reporter = Reporter()
    with pytest.raises(FolioError):
        load(Project.for_source(source), reporter, glyphs=False)
    assert [str(m) for m in reporter.errors] == [
        f"{reporter.errors[0].location.path}:12: error: 'reissued' must be a date written YYYY-MM-DD,"
        " not '7 December' [front-matter-type]"]


# ---- the three editions, issued and reissued ---------------------------------------------------

@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """(project folder, digests of the issued outputs before the reissue): the project shows the
    symbol in its left-hand running heads (its own print.css), as UN parliamentary documents do."""
    where = tmp_path_factory.mktemp("reissue")
    # a citation of its own, without the symbol: the imprint shows the symbol on a line of its own
    source = make_project(where, source_text(extra='citation: "Population Division (2026). Estimates."'))
    with (where / "styles" / "print.css").open("a", encoding="utf-8") as css:
        css.write("\n@page body:left { @top-left { content: string(symbol); } }\n")
    issued = run_folio("build", source, cwd=where)
    assert issued.returncode == 0, issued.stderr
    before = _digests(where / "build")
    reissued = run_folio("reissue", source, "--date", "2026-12-07", cwd=where)
    assert reissued.returncode == 0, reissued.stderr
    return where, before


def _digests(folder: Path) -> dict:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in (folder / "report.pdf", folder / "report.docx", folder / "html" / "index.html")}


def _heads(page) -> str:
    """The text above the page's text area: the running head."""
    x0, top, x1, _ = page.bbox          # the print edition's page box includes the bleed
    return page.crop((x0, top, x1, top + 72)).extract_text() or ""


@pytest.mark.slow
def test_the_issued_build_is_left_as_it_was(builds):
    where, before = builds
    assert _digests(where / "build") == before
    with pdfplumber.open(where / "build" / "report.pdf") as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    assert SYMBOL in text and SYMBOL + "*" not in text and "Reissued" not in text


@pytest.mark.slow
def test_the_reissued_pdf_marks_the_symbol_and_says_why_on_the_first_page(builds):
    where, _ = builds
    for name in ("report.pdf", "report-print.pdf"):
        with pdfplumber.open(where / "build" / "reissue" / name) as pdf:
            pages = [page.extract_text() or "" for page in pdf.pages]
            heads = [_heads(page) for page in pdf.pages]
        assert SYMBOL + "*" in pages[0] and "* " + NOTE in pages[0], name         # the cover
        assert [i for i, text in enumerate(pages) if "Reissued" in text] == [0], name
        imprint = next(text for text in pages if "Population Division (2026). Estimates." in text)
        assert SYMBOL + "*" in imprint, name
        back = next(text for text in reversed(pages) if text.strip())
        assert SYMBOL + "*" in back, name                                         # the back cover
        shown = [head for head in heads if SYMBOL in head]
        assert len(shown) >= 2 and all(head.strip() == SYMBOL + "*" for head in shown), (name, heads)


@pytest.mark.slow
def test_the_reissued_docx_marks_the_symbol_and_puts_the_note_at_the_foot_of_the_cover(builds):
    where, _ = builds
    document = docx.Document(where / "build" / "reissue" / "report.docx")
    cover = [p for p in document.paragraphs if p.style.name == "Cover Symbol"]
    assert [p.text for p in cover] == [SYMBOL + "*"]
    back = [p.text for p in document.paragraphs if p.style.name == "Back Cover Symbol"]
    assert back == [SYMBOL + "*"]
    feet = [[p.text for p in section.footer.paragraphs if p.text] for section in document.sections]
    assert "* " + NOTE in feet[0]
    assert not any("Reissued" in text for foot in feet[1:] for text in foot)
    assert document.core_properties.keywords == SYMBOL      # the file's properties name the document
    issued = docx.Document(where / "build" / "report.docx")
    assert [p.text for p in issued.paragraphs if p.style.name == "Cover Symbol"] == [SYMBOL]


@pytest.mark.slow
def test_the_reissued_web_page_marks_the_symbol_in_its_header(builds):
    where, _ = builds
    page = lxml.html.parse(str(where / "build" / "reissue" / "html" / "index.html")).getroot()
    assert page.xpath("string(//header[@class='cover']/p[@class='symbol'])") == SYMBOL + "*"
    assert page.xpath("string(//header[@class='cover']/p[@class='reissue-note'])") == "* " + NOTE
    assert page.xpath("string(//meta[@name='citation_technical_report_number']/@content)") == SYMBOL
    issued = lxml.html.parse(str(where / "build" / "html" / "index.html")).getroot()
    assert issued.xpath("string(//header[@class='cover']/p[@class='symbol'])") == SYMBOL
    assert not issued.xpath("//p[@class='reissue-note']")


@pytest.mark.slow
def test_a_cover_without_a_banner_keeps_its_foot_on_the_page(tmp_path):
    """Without a banner the title's margin collapsed through the cover, and the department and
    the reissue's note stood below the bottom of the page."""
    source = make_project(tmp_path, source_text().replace("banner: Economic & Social Affairs\n", ""))
    done = run_folio("reissue", source, "--date", "2026-12-07", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    with pdfplumber.open(tmp_path / "build" / "reissue" / "report.pdf") as pdf:
        cover = pdf.pages[0]
        words = {w["text"]: w for w in cover.extract_words()}
        assert "Department" in words and "Reissued" in words
        assert words["Department"]["bottom"] < words["Reissued"]["top"] < cover.height
