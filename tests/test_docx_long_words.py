"""Very long words in the Word edition (issue 25): one unbroken word in the title, a heading, the
body, a table cell and a note. The writer gives such a word a break opportunity every 40 letters
(a w:t holding U+200B alone) and cuts running heads to a line, so that LibreOffice's page-number
pass lays the file out in seconds; the import reads the breaks as no text, so an unedited file
brings no change."""
from __future__ import annotations

import os
import re
import zipfile

import pytest
from conftest import make_project, need

from folio.build import build
from folio.corrections import import_docx
from folio.diagnostics import Reporter
from folio.project import Project

N = 3_000


def everywhere(n: int) -> str:
    return (f"---\ntitle: {'t' * n}\n---\n\n# {'h' * n}\n\nSee {'b' * n}[^a].\n\n| a |\n|---|\n| {'c' * n} |\n\n"
            f"[^a]: {'n' * n}\n")


def _built(tmp_path, monkeypatch, pages: str):
    monkeypatch.setenv("FOLIO_DOCX_PAGE_NUMBERS", pages)
    source = make_project(tmp_path, everywhere(N))
    result = build(Project.for_source(source, root=tmp_path), ["docx"], Reporter())
    return source, result


def _parts(docx) -> dict:
    with zipfile.ZipFile(docx) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml")}


def test_a_long_word_gets_break_opportunities_and_running_heads_one_line(tmp_path, monkeypatch):
    source, result = _built(tmp_path, monkeypatch, "estimate")
    assert result.ok, [str(m) for m in result.reporter.messages]
    parts = _parts(tmp_path / "build" / "report.docx")
    texts = re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", parts["word/document.xml"] + parts["word/footnotes.xml"])
    for letter in "hbcn":
        assert sum(t.count(letter) for t in texts) >= N, letter
    assert not [t for t in texts if re.search(r"(\w)\1{40}", t)]      # no piece of more than 40 letters
    assert "\u200b" in texts and all("\u200b" not in t or t == "\u200b" for t in texts)
    heads = [re.sub(r"<[^>]+>", "", xml.split("?>")[-1]).replace("\u200b", "").strip()
             for name, xml in parts.items() if name.startswith("word/header")]
    assert heads and max(map(len, heads)) <= 120 and any(h.endswith("…") for h in heads)


def test_the_breaks_are_no_edit_for_the_import(tmp_path, monkeypatch):
    source, result = _built(tmp_path, monkeypatch, "estimate")
    assert result.ok
    docx = tmp_path / "build" / "report.docx"
    text = source.read_text(encoding="utf-8")
    project = Project.for_source(source, root=tmp_path)
    unedited = import_docx(docx, text, "source/report.md", Reporter(), project=project)
    assert unedited.result == text and unedited.summary.startswith("0 changes"), unedited.summary


@pytest.mark.slow
def test_libreoffice_numbers_the_pages_of_long_words(tmp_path, monkeypatch):
    """The page-number pass ends (10,000 letters in every place: 29 s before, 12 s after; 40,000
    took LibreOffice past its 300 s limit)."""
    need("soffice")
    monkeypatch.setenv("XDG_CACHE_HOME", os.environ.get("XDG_CACHE_HOME", str(tmp_path / "cache")))
    source, result = _built(tmp_path, monkeypatch, "auto")
    assert result.ok and not result.reporter.messages, [str(m) for m in result.reporter.messages]
