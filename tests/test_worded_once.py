"""What the PDF and the Word file both show is worded in one place (issue 21, item 4): the
running heads, the contents' title and the named pages. A project that changes a word sees it
in both editions; a stylesheet that names a page folio does not put a wrapper on fails here."""
from __future__ import annotations

import re
import zipfile

import pdfplumber
import pytest
from conftest import make_project

from folio.build import build
from folio.diagnostics import Reporter
from folio.project import Project

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
