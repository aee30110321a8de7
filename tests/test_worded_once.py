"""What the PDF and the Word file both show is worded in one place (issue 21, item 4): the
running heads, the contents' title and the named pages. A project that changes a word sees it
in both editions; a stylesheet that names a page folio does not put a wrapper on fails here."""
from __future__ import annotations

import re
import zipfile

import pdfplumber
import pytest
import tinycss2
from conftest import ROOT, make_project

from folio.build import build
from folio.diagnostics import Reporter
from folio.project import Project
from folio.writers.page_numbers import PAGES

FILLER = " ".join(["The delegations discussed the draft at length and agreed on its wording."] * 9)
TEXT = "---\ntitle: A Meeting on Words\nshort-title: Words Meeting\n---\n\n" + "\n\n".join([
    "# First matters {#sec-first number=I}", *[FILLER] * 14,
    "# {gap: the whole of chapter II, missing from the source} {number=II}", *[FILLER] * 14,
    "# After @sec-first {#sec-third number=III}", *[FILLER] * 14]) + "\n"
# A project's own words: the gap's marker, the contents' title and how a chapter is cited
LOCALE = 'gap: "[lacuna]"\ncontents: Table of Contents\nref:\n  chapter: Chap.\n'
HEADS = ["I. First matters", "II. [lacuna]", "III. After Chap. I"]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    where = tmp_path_factory.mktemp("worded")
    source = make_project(where, TEXT)
    (where / "styles" / "locales").mkdir(exist_ok=True)
    (where / "styles" / "locales" / "en.yaml").write_text(LOCALE, encoding="utf-8")
    result = build(Project.for_source(source, root=where), ["html", "pdf", "docx"], Reporter())
    assert result.ok, [str(m) for m in result.reporter.messages]
    return where / "build"


def _docx_texts(docx, part_name: str) -> list[str]:
    with zipfile.ZipFile(docx) as z:
        xml = z.read(part_name).decode()
    return ["".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", p))
            for p in re.findall(r"<w:p[ >].*?</w:p>", xml, re.S)]


@pytest.mark.slow
def test_the_running_heads_read_the_same_in_the_pdf_and_in_word(built):
    with zipfile.ZipFile(built / "report.docx") as z:
        headers = [n for n in z.namelist() if re.fullmatch(r"word/header\d+\.xml", n)]
    in_word = {t for h in headers for t in _docx_texts(built / "report.docx", h) if t}
    assert set(HEADS) | {"Words Meeting"} <= in_word, in_word
    with pdfplumber.open(built / "report.pdf") as pdf:     # what stands above the text (1 in)
        in_pdf = {" ".join(w["text"] for w in page.extract_words() if w["bottom"] < 72) for page in pdf.pages}
    for head in HEADS + ["Words Meeting"]:
        assert head in in_pdf, (head, in_pdf)


@pytest.mark.slow
def test_the_contents_title_is_the_projects_term_in_every_edition(built):
    body = _docx_texts(built / "report.docx", "word/document.xml")
    assert "Table of Contents" in body and "Contents" not in body
    html = (built / "html" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<h2 id="contents-title">Table of Contents</h2>', html)
    with pdfplumber.open(built / "report.pdf") as pdf:
        pdf_text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    assert "TABLE OF CONTENTS" in pdf_text.upper()


def _page_names(sheet: str) -> tuple[set, list]:
    """The pages print.css's @page rules style, and the `page:` it declares in style rules."""
    styled, declared = set(), []
    for rule in tinycss2.parse_stylesheet(sheet, skip_comments=True, skip_whitespace=True):
        if rule.type == "at-rule" and rule.lower_at_keyword == "page":
            prelude = tinycss2.serialize(rule.prelude)
            styled |= {name for name in re.findall(r"(?:^|,)\s*([a-z][a-z-]*)", prelude)}
        elif rule.type == "qualified-rule":
            for d in tinycss2.parse_declaration_list(rule.content, skip_comments=True, skip_whitespace=True):
                if d.type == "declaration" and d.lower_name == "page":
                    declared.append(tinycss2.serialize(rule.prelude).strip())
    return styled, declared


def test_print_css_styles_only_the_pages_folio_names_and_names_none_itself():
    styled, declared = _page_names((ROOT / "styles" / "print.css").read_text(encoding="utf-8"))
    assert styled <= set(PAGES.values()), styled - set(PAGES.values())
    assert {"front", "body", "titlepage", "cover"} <= styled       # the check sees the rules at all
    assert declared == [], f"print.css puts {declared} on a named page: PAGES does that"


def test_a_page_name_the_stylesheet_does_not_know_is_caught():
    styled, declared = _page_names("@page frontispiece:left { margin: 0 } .x { page: front }")
    assert not styled <= set(PAGES.values()) and declared == [".x"]
