"""French no-break spaces, set by rule on the model and so in every edition: a narrow no-break
space (U+202F) before ; ! ?, a no-break space (U+00A0) before : and » and after «, whatever the
author typed, and none inside code, an address or a time."""
from __future__ import annotations

import re
import zipfile

import pytest
from conftest import run_folio
from lxml import etree
from lxml import html as lhtml
from test_versions import versions_project

from folio.build import load
from folio.diagnostics import Reporter
from folio.model.text import plain_text
from folio.project import Project

NARROW, NBSP = "\u202f", "\u00a0"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# What the French test version (tests/documents/versions/report.fr.md) must show, as typed
# there without any space before the marks.
EXPECTED = [f"2025{NARROW}; il", f"question{NBSP}: où", f"migrants{NARROW}?", f"«{NBSP}les grands couloirs{NBSP}»",
            f"rapport{NARROW}!"]
UNTOUCHED = ["https://example.org/data?year=2027", "region:all"]


def _paragraphs(tmp_path, text: str) -> list[str]:
    source = tmp_path / "source" / "report.md"
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text("---\nlanguage: fr\n---\n\n# Chapitre\n\n" + text, encoding="utf-8")
    doc = load(Project.for_source(source, tmp_path), Reporter(), glyphs=False)
    return [plain_text(b.children) for part in doc.parts for b in part.blocks if hasattr(b, "children")]


def test_the_spaces_french_sets_whatever_was_typed(tmp_path):
    got = _paragraphs(tmp_path, "Oui ; non: peut-être ?! Voici « ceci »,\u00a0et «*cela*».\n\n"
                                "Il est 10:30 ; le rapport (A/RES/70/1) : lu !\n")
    assert got == [f"Oui{NARROW}; non{NBSP}: peut-être{NARROW}?! Voici «{NBSP}ceci{NBSP}»,{NBSP}et «{NBSP}cela{NBSP}».",
                   f"Il est 10:30{NARROW}; le rapport (A/RES/70/1){NBSP}: lu{NARROW}!"]


def test_no_space_inside_code_or_an_address(tmp_path):
    got = _paragraphs(tmp_path, "Voir `a:b; c?` et https://un.org/x?y=1: fin, ou <mailto:desa@un.org>?\n")
    assert got[0] == f"Voir a:b; c? et https://un.org/x?y=1{NBSP}: fin, ou mailto:desa@un.org{NARROW}?", got


def test_english_is_left_as_typed(tmp_path):
    source = tmp_path / "source" / "report.md"
    source.parent.mkdir(parents=True)
    source.write_text("# Chapter\n\nYes; no: « maybe »?\n", encoding="utf-8")
    doc = load(Project.for_source(source, tmp_path), Reporter(), glyphs=False)
    assert plain_text(doc.parts[0].blocks[0].children) == "Yes; no: « maybe »?"


@pytest.fixture(scope="module")
def french(tmp_path_factory):
    where = tmp_path_factory.mktemp("french")
    source = versions_project(where, "fr")
    return where, source.with_name("report.fr.md")


def _check(text: str) -> None:
    for want in EXPECTED + UNTOUCHED:
        assert want in text, (want, text)
    assert not re.search(r"[ \u00a0\u202f](?:https|region)", "") and "data?\u202f" not in text


def test_the_web_and_word_editions_have_the_spaces(french):
    where, version = french
    done = run_folio("build", version, "-f", "html,docx", cwd=where)
    assert done.returncode == 0, done.stderr
    page = lhtml.parse(str(where / "build" / "fr" / "html" / "index.html")).getroot()
    _check(" ".join(p.text_content() for p in page.xpath("//main//p")))
    with zipfile.ZipFile(where / "build" / "fr" / "report.docx") as z:
        body = etree.fromstring(z.read("word/document.xml"))
    _check(" ".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in body.iter(f"{W}p")))


@pytest.mark.slow
def test_the_print_edition_has_the_spaces(french):
    import pdfplumber
    where, version = french
    done = run_folio("build", version, "-f", "pdf", cwd=where)
    assert done.returncode == 0, done.stderr
    with pdfplumber.open(where / "build" / "fr" / "report.pdf") as pdf:
        text = "".join("".join(c["text"] for c in page.chars) for page in pdf.pages).replace(" ", "")
    for want in EXPECTED:               # the words as drawn: no word spaces, nor line ends, between
        assert want.replace(" ", "") in text, (want, text)
    assert "https://example.org/data?year=2027" in text
    assert f"Citationsuggérée{NBSP}:" in text           # after a generated word too (the imprint)
