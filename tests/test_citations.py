"""Citations (issue 20): [@key], [see @key, p. 33], [@a; @b] and @key, formatted from a CSL JSON or
BibTeX bibliography by citeproc-py with folio's styles, read back from every edition."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import lxml.html
import pytest
from conftest import ROOT, run_folio
from lxml import etree

from folio.build import FolioError, build, load
from folio.diagnostics import Reporter
from folio.project import Project
from folio.readers.markdown.plugins.citations import parse_items, split_locator

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

CSL_JSON = """[
  {"id": "smith2017", "type": "book",
   "author": [{"family": "Smith", "given": "Anna"}, {"family": "Jones", "given": "Bo"}],
   "title": "Counting People", "publisher": "Survey Press",
   "publisher-place": "Geneva", "issued": {"date-parts": [[2017]]}},
  {"id": "lee2019", "type": "article-journal", "author": [{"family": "Lee", "given": "Chen"}],
   "title": "Why fertility falls", "container-title": "Demography Today",
   "volume": 12, "issue": 3, "page": "45-67", "issued": {"date-parts": [[2019]]}},
  {"id": "uncited2000", "type": "book", "author": [{"family": "Nobody", "given": "Ed"}],
   "title": "Never cited", "issued": {"date-parts": [[2000]]}}
]
"""
BIBTEX = """@book{smith2017,
  author = {Smith, Anna and Jones, Bo},
  title = {Counting People},
  publisher = {Survey Press},
  address = {Geneva},
  year = {2017}
}

@article{lee2019,
  author = {Lee, Chen},
  title = {Why fertility falls},
  journal = {Demography Today},
  volume = {12},
  number = {3},
  pages = {45--67},
  year = {2019}
}
"""
TEXT = """---
title: Citing works
bibliography: {bib}
citation-style: {style}
---

# Introduction

Population counts improved [@smith2017, p. 33]. Fertility fell [see @lee2019; @smith2017, pp. 40-42].
As @lee2019 argues, it fell fast.[^own]

[^own]: An author's note.

It fell again [@smith2017].
"""
NOTES = [
    "Anna Smith and Bo Jones, Counting People (Geneva, Survey Press, 2017), p. 33.",
    "See Chen Lee, “Why fertility falls”, Demography Today, vol. 12, No. 3 (2019), pp. 45–67;"
    " Smith and Jones, Counting People, pp. 40–42.",
    "Lee, “Why fertility falls”.",
    "An author’s note.",
    "Smith and Jones, Counting People.",
]
REFERENCES = [
    "Lee, Chen (2019). “Why fertility falls”, Demography Today, vol. 12, No. 3, pp. 45–67.",
    "Smith, Anna and Bo Jones (2017). Counting People. Geneva: Survey Press.",
]


def project(where: Path, bib: str = "refs.json", style: str = "note", text: str = TEXT) -> Path:
    (where / "source").mkdir(parents=True)
    (where / "source" / "refs.json").write_text(CSL_JSON, encoding="utf-8")
    (where / "source" / "refs.bib").write_text(BIBTEX, encoding="utf-8")
    source = where / "source" / "report.md"
    source.write_text(text.replace("{bib}", bib).replace("{style}", style), encoding="utf-8")
    return source


def build_into(source: Path, out: Path, formats: list[str]):
    """Build the project the source is in (its bibliography must lie inside it)."""
    result = build(Project.for_source(source, out_dir=out), formats, Reporter())
    assert result.ok, "\n".join(map(str, result.reporter.messages))
    return result


def words(text: str) -> str:
    return " ".join(text.replace("↩", "").split())


def html_parts(out: Path) -> tuple[list, list, lxml.html.HtmlElement]:
    page = lxml.html.parse(str(out / "html" / "index.html")).getroot()
    notes = [words(li.text_content()).removeprefix("#").removeprefix(f"Link to note {n}").strip()
             for n, li in enumerate(page.cssselect("section.footnotes li"), 1)]
    refs = [words(p.text_content()) for p in page.cssselect("div.references p")]
    return notes, refs, page


def docx_notes(out: Path) -> list[str]:
    with zipfile.ZipFile(out / "report.docx") as z:
        root = etree.fromstring(z.read("word/footnotes.xml"))
    notes = [n for n in root.iter(f"{W}footnote") if int(n.get(f"{W}id")) > 0]
    return [words("".join(t.text or "" for t in n.iter(f"{W}t"))) for n in notes]


def docx_body(out: Path) -> etree._Element:
    with zipfile.ZipFile(out / "report.docx") as z:
        return etree.fromstring(z.read("word/document.xml"))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The same citations, built from CSL JSON and from BibTeX, into HTML and Word."""
    out = {}
    for bib in ("refs.json", "refs.bib"):
        where = tmp_path_factory.mktemp(bib.replace(".", "-"))
        result = build_into(project(where, bib), where / "build", ["html", "docx"])
        out[bib] = (where / "build", result)
    return out


def test_csl_json_and_bibtex_give_the_same_notes_and_references_in_html_and_word(built):
    for bib, (out, _) in built.items():
        notes, refs, _ = html_parts(out)
        assert notes == NOTES, bib
        assert refs == REFERENCES, bib
        assert docx_notes(out) == NOTES, bib
        body = docx_body(out)
        paragraphs = [words("".join(t.text or "" for t in p.iter(f"{W}t"))) for p in body.iter(f"{W}p")]
        at = paragraphs.index("References")
        assert [p for p in paragraphs[at + 1:] if p][:2] == REFERENCES, bib


def test_the_text_keeps_its_words_and_the_notes_stand_after_the_punctuation(built):
    _, _, page = html_parts(built["refs.json"][0])
    first = words(page.cssselect("main article p")[0].text_content())
    assert first == ("Population counts improved.1 Fertility fell.2 As Lee3 argues, it fell fast.4")
    assert "@" not in words(page.cssselect("main")[0].text_content())


def test_a_note_is_called_right_after_its_word_and_a_page_of_an_article_replaces_its_range(tmp_path):
    text = TEXT.replace("[see @lee2019; @smith2017", "[see @lee2019, p. 50; @smith2017")
    text = text.replace("It fell again [@smith2017].", "It fell [@smith2017, p. 9] and rose.")
    build_into(project(tmp_path, text=text), tmp_path / "build", ["html"])
    notes, _, page = html_parts(tmp_path / "build")
    assert words(page.cssselect("main article p")[1].text_content()) == "It fell5 and rose."
    assert notes[1] == ("See Chen Lee, “Why fertility falls”, Demography Today, vol. 12, No. 3 (2019), p. 50;"
                        " Smith and Jones, Counting People, pp. 40–42.")
    assert notes[4] == "Smith and Jones, Counting People, p. 9."


def test_ibid_follows_the_same_work_in_the_note_before_and_not_across_an_authors_note(tmp_path):
    text = TEXT.replace("It fell again [@smith2017].", "It fell [@lee2019, p. 51].[^two] Then [@lee2019, p. 52]"
                        " and [@lee2019, p. 53].\n\n[^two]: Another note.")
    build_into(project(tmp_path, text=text), tmp_path / "build", ["html"])
    notes = html_parts(tmp_path / "build")[0]
    assert notes[3:] == ["An author’s note.", "Lee, “Why fertility falls”, p. 51.", "Another note.",
                         "Lee, “Why fertility falls”, p. 52.", "Ibid., p. 53."]


def test_each_citation_links_to_its_entry_in_the_web_page_and_the_word_file(built):
    out, _ = built["refs.json"]
    _, _, page = html_parts(out)
    entries = {p.get("id") for p in page.cssselect("div.references p")}
    assert entries == {"ref-lee2019", "ref-smith2017"}
    links = [a.get("href") for a in page.cssselect("section.footnotes a[href^='#ref-'], main p a[href^='#ref-']")]
    assert set(links) == {"#ref-lee2019", "#ref-smith2017"} and len(links) >= 6
    body = docx_body(out)
    marks = {b.get(f"{W}name") for b in body.iter(f"{W}bookmarkStart")}
    with zipfile.ZipFile(out / "report.docx") as z:
        notes = etree.fromstring(z.read("word/footnotes.xml"))
    anchors = {h.get(f"{W}anchor") for h in notes.iter(f"{W}hyperlink")}
    assert anchors and anchors <= marks


def test_word_has_real_footnotes_called_from_the_text(built):
    body = docx_body(built["refs.bib"][0])
    assert len(list(body.iter(f"{W}footnoteReference"))) == len(NOTES)


def test_the_author_date_style_cites_in_the_text(tmp_path):
    text = TEXT + "\nOnly the year [-@lee2019] and a chapter [@smith2017, chap. 3].\n"
    source = project(tmp_path, "refs.bib", "author-date", text)
    build_into(source, tmp_path / "build", ["html"])
    notes, refs, page = html_parts(tmp_path / "build")
    paragraphs = [words(p.text_content()) for p in page.cssselect("main article p")]
    assert paragraphs[0] == ("Population counts improved (Smith and Jones, 2017, p. 33). Fertility fell"
                             " (see Lee, 2019; Smith and Jones, 2017, pp. 40–42). As Lee (2019) argues,"
                             " it fell fast.1")
    assert paragraphs[1] == "It fell again (Smith and Jones, 2017)."
    assert paragraphs[2] == "Only the year (2019) and a chapter (Smith and Jones, 2017, ch. 3)."
    assert notes == ["An author’s note."] and refs == REFERENCES


def test_a_refs_div_places_the_list_and_no_heading_is_added(tmp_path):
    text = TEXT.replace("[^own]: An author's note.", "[^own]: An author's note.\n\n# Sources\n\n::: {#refs}\n:::\n\n"
                        "# Annex\n\nLast words.")
    build_into(project(tmp_path, text=text), tmp_path / "build", ["html"])
    _, refs, page = html_parts(tmp_path / "build")
    assert refs == REFERENCES
    headings = [words(h.text_content()) for h in page.cssselect("main article h2")]
    assert "References" not in " ".join(headings)
    assert [h.split(". ")[-1] for h in headings] == ["Introduction", "Sources", "Annex"]


def test_reference_entries_are_not_numbered_paragraphs(tmp_path):
    text = TEXT.replace("citation-style: {style}", "paragraph-numbers: true")
    build_into(project(tmp_path, text=text), tmp_path / "build", ["html"])
    page = lxml.html.parse(str(tmp_path / "build" / "html" / "index.html")).getroot()
    assert page.cssselect("div.references p") and not page.cssselect("div.references p.numbered")
    assert len(page.cssselect("main article p.numbered")) == 2


def test_the_bibliography_is_read_from_the_sources_project_when_root_names_another(tmp_path):
    """--root (here folio's own repository) names where templates and styles come from; the
    bibliography beside the source is still the source's own."""
    source = project(tmp_path)
    result = build(Project.for_source(source, root=ROOT, out_dir=tmp_path / "build"), ["html"], Reporter())
    assert result.ok, [str(m) for m in result.reporter.messages]
    assert html_parts(tmp_path / "build")[1] == REFERENCES


def test_an_edited_bibliography_rebuilds_the_outputs(tmp_path):
    source = project(tmp_path)
    assert build_into(source, tmp_path / "build", ["html"]).outputs[0].rebuilt
    assert not build_into(source, tmp_path / "build", ["html"]).outputs[0].rebuilt
    bib = tmp_path / "source" / "refs.json"
    bib.write_text(bib.read_text(encoding="utf-8").replace("Counting People", "Counting Everyone"), encoding="utf-8")
    assert build_into(source, tmp_path / "build", ["html"]).outputs[0].rebuilt
    refs = html_parts(tmp_path / "build")[1]
    assert "Smith, Anna and Bo Jones (2017). Counting Everyone. Geneva: Survey Press." in refs


# ---- messages ---------------------------------------------------------------------------


def messages(source: Path) -> list[str]:
    reporter = Reporter()
    try:
        load(Project.for_source(source), reporter, glyphs=False)
    except FolioError:
        pass
    return [str(m) for m in reporter.messages]


def test_an_unknown_key_is_an_error_at_its_line(tmp_path):
    source = project(tmp_path, text=TEXT + "\nA work nobody listed [@smith2071].\n")
    run = run_folio("check", source, cwd=tmp_path)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert ("source/report.md:16: error: unknown citation key 'smith2071' (did you mean 'smith2017'?)"
            " [citation]") in run.stderr


def test_citations_without_a_bibliography_warn_once_and_keep_their_keys(tmp_path):
    text = "---\ntitle: T\n---\n\n# One\n\nA [@smith2017] and [@lee2019, p. 4], and @lee2019.\n"
    (tmp_path / "source").mkdir()
    source = tmp_path / "source" / "report.md"
    source.write_text(text, encoding="utf-8")
    found = messages(source)
    assert found == ["source/report.md:7: warning: the text cites ([@smith2017]) but the front matter names no"
                     " bibliography (bibliography: refs.json or refs.bib): the citations are shown as written"
                     " [citation]"]
    build_into(source, tmp_path / "build", ["html"])
    page = lxml.html.parse(str(tmp_path / "build" / "html" / "index.html")).getroot()
    assert words(page.cssselect("main article p")[0].text_content()) == \
        "A [@smith2017] and [@lee2019, p. 4], and @lee2019."


BAD_BIBLIOGRAPHIES = [
    ("refs.json", '[\n  {"id": "a", "type": "book",\n   "title": "x" "y"}\n]\n',
     "source/refs.json:3: error: malformed CSL JSON: Expecting ',' delimiter [bibliography]"),
    ("refs.json", '{"id": "a"}', "source/refs.json:1: error: CSL JSON must be a list of entries"),
    ("refs.json", '[{"id": "a", "type": "book"},\n {"title": "no id"}]',
     "source/refs.json: error: entry 2 of the bibliography has no \"id\" or no \"type\" [bibliography]"),
    ("refs.json", "[" * 100000, "source/refs.json: error: malformed CSL JSON"),
    ("refs.json", '[{"id": "smith2017", "type": "book",\n  "author": [{"family": 5}]}]',
     "source/refs.json:1: error: bibliography entry 'smith2017' cannot be formatted: "),
    ("refs.json", '[{"id": "lee2019", "type": "book"},\n {"id": "smith2017", "type": "book",\n'
     '  "issued": {"date-parts": [["x"]]}}]',
     "source/refs.json:2: error: bibliography entry 'smith2017' cannot be formatted: "),
    ("refs.bib", "@book{a,\n  title = {Open\n}\n\n@book{b,\n  title = {Fine}\n}\n", "source/refs.bib:"),
    ("refs.bib", b"\xff\xfe@book{".decode("latin-1"), None),
    ("refs.bib", "@" * 200000, "source/refs.bib:1: error: malformed BibTeX: '@' must start an entry"),
    ("refs.bib", "@book{a, title = {x}}\n}\n", "source/refs.bib:2: error: malformed BibTeX: a '}' that closes"),
    ("refs.txt", "anything", "source/report.md:3: error: bibliography 'refs.txt' must be CSL JSON"),
    ("../outside.json", None, "source/report.md:3: error: 'bibliography' must name a file in the source's folder"),
    ("missing.json", None, "source/report.md:3: error: bibliography 'missing.json' not found"),
]


@pytest.mark.parametrize("name,content,expected", BAD_BIBLIOGRAPHIES,
                         ids=[f"{c[0]}-{n}" for n, c in enumerate(BAD_BIBLIOGRAPHIES)])
def test_a_bad_bibliography_is_a_located_error_without_a_traceback(tmp_path, name, content, expected):
    source = project(tmp_path, name)
    if content is not None:
        (tmp_path / "source" / name).write_text(content, encoding="latin-1" if "\xff" in content else "utf-8")
    run = run_folio("check", source, cwd=tmp_path)
    assert run.returncode == 1 and "Traceback" not in run.stderr, run.stderr
    errors = [line for line in run.stderr.splitlines() if ": error: " in line]
    assert errors, run.stderr
    if expected:
        assert any(line.startswith(expected) for line in errors), errors
    else:
        assert re.match(r"source/refs\.bib:\d+: error: ", errors[0]), errors


def test_a_bibliography_past_the_size_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    import folio.bibliography
    source = project(tmp_path)
    monkeypatch.setattr(folio.bibliography, "MAX_BIBLIOGRAPHY", 100)
    found = messages(source)
    assert any("error: bibliography 'refs.json' is" in m and "folio reads at most" in m for m in found), found


def test_an_unknown_citation_style_value_is_a_front_matter_error(tmp_path):
    found = messages(project(tmp_path, style="harvard"))
    assert "source/report.md:4: error: 'citation-style' must be note, author-date or a CSL file (.csl), not" \
           " 'harvard' [front-matter-type]" in found


@pytest.mark.parametrize("content,expected", [
    ("not xml", "cannot be read: Start tag expected"),
    ("<x/>", "cannot be read: it is not a CSL style"),
    ('<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0"><info/></style>',
     "cannot be read: it has no <citation> with a <layout>"),
    ('<?xml version="1.0"?><!DOCTYPE s [<!ENTITY a "b">]><style/>', "declares a DTD or entities"),
])
def test_a_bad_project_style_is_an_error_at_its_front_matter_line(tmp_path, content, expected):
    source = project(tmp_path, style="mine.csl")
    (tmp_path / "source" / "mine.csl").write_text(content, encoding="utf-8")
    found = messages(source)
    assert [m for m in found if m.startswith(f"source/report.md:4: error: citation style 'mine.csl' {expected}")], found


def test_a_project_csl_style_is_used(tmp_path):
    style = (ROOT / "folio" / "csl" / "author-date.csl").read_text(encoding="utf-8")
    source = project(tmp_path, style="mine.csl")
    (tmp_path / "source" / "mine.csl").write_text(
        style.replace('<layout prefix="(" suffix=")" delimiter="; ">', '<layout prefix="[" suffix="]" delimiter="; ">'),
        encoding="utf-8")
    build_into(source, tmp_path / "build", ["html"])
    _, _, page = html_parts(tmp_path / "build")
    assert words(page.cssselect("main article p")[1].text_content()) == "It fell again [Smith and Jones, 2017]."


# ---- reading what the author wrote -------------------------------------------------------


@pytest.mark.parametrize("suffix,expected", [
    (", p. 33", ("", ("page", "33"))),
    (", pp. 33-35", ("", ("page", "33-35"))),
    (" p. 4 and elsewhere", ("and elsewhere", ("page", "4"))),
    (", chap. 3", ("", ("chapter", "3"))),
    (", para. 12", ("", ("paragraph", "12"))),
    (", 33", ("", ("page", "33"))),
    (", § 4", ("", ("section", "4"))),
    (", and the annexes", (", and the annexes", ())),
    ("", ("", ())),
])
def test_a_locator_is_read_from_the_words_after_the_key(suffix, expected):
    assert split_locator(suffix) == expected


def test_items_of_a_bracketed_citation():
    items = parse_items("see @smith2017, p. 33; -@lee2019")
    assert [(i["prefix"], i["key"], i["locator"], i["suppress_author"]) for i in items] == [
        ("see", "smith2017", ("page", "33"), False), ("", "lee2019", (), True)]
    assert parse_items("an email a@b.org") is None
    assert parse_items("@sec-intro") is None


@pytest.mark.slow
@pytest.mark.parametrize("style", ["note", "author-date"])
def test_the_word_import_of_an_unedited_file_changes_nothing(tmp_path, style):
    """What a citation became comes from the bibliography: reading the Word file back finds no
    correction in it, and no message (the words were once matched loosely against the source)."""
    from folio.corrections import import_docx
    from folio.writers.docx import render_docx

    source = project(tmp_path, "refs.json", style)
    built = Project.for_source(source)
    doc = load(built, Reporter())
    data, _ = render_docx(doc, built, Reporter())
    (tmp_path / "built.docx").write_bytes(data)
    reporter = Reporter()
    outcome = import_docx(tmp_path / "built.docx", doc.text, "report.md", reporter, project=built)
    assert not outcome.changed and not reporter.messages, (outcome.diff, [str(m) for m in reporter.messages])


@pytest.mark.slow
def test_the_pdf_prints_the_same_notes_and_references(tmp_path):
    import pdfplumber
    texts = {}
    for bib in ("refs.json", "refs.bib"):
        where = tmp_path / bib.replace(".", "-")
        build_into(project(where, bib), where / "build", ["pdf"])
        with pdfplumber.open(where / "build" / "report.pdf") as pdf:
            texts[bib] = words(" ".join(page.extract_text() or "" for page in pdf.pages))
    assert texts["refs.json"] == texts["refs.bib"]
    text = texts["refs.json"]
    for expected in NOTES + REFERENCES:
        assert words(expected) in text, expected
