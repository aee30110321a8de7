"""The chunked PDF of a report whose chapters run on: cut where its pages begin blocks
(folio/layout/chunked/cuts.py). After a correction, the PDFs (screen and printer's editions)
and the page map are byte for byte those of a build from nothing of the corrected source, and
only the chunks around the correction were laid out (the route's own record, last-run.json)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from chunked_pdf import RUNON, RUNON_ENV, runon_clean
from conftest import ROOT, run_folio
from runon_text import runon

pytestmark = pytest.mark.slow

OUTPUTS = ("doc.pdf", "doc-print.pdf", ".folio/pagemap.json")
RECORD = Path(".folio") / "chunks"
# chunked_pdf.RUNON: the shape of the 22 pages of six chapters of ten this file laid out before
# in twice the time; the fixture asserts the shape, each test corrects one chapter of it.
CHAPTERS, PARAGRAPHS = RUNON


def document() -> str:
    return runon(CHAPTERS, PARAGRAPHS)


@pytest.fixture(scope="module", autouse=True)
def reproducible():
    patch = pytest.MonkeyPatch()
    for key, value in RUNON_ENV.items():        # the clean build's: reproducible, more cuts
        patch.setenv(key, value)
    yield
    patch.undo()


def project(where: Path, text: str) -> Path:
    for folder in ("templates", "styles"):
        shutil.copytree(ROOT / folder, where / folder)
    (where / "source").mkdir()
    source = where / "source" / "doc.md"
    source.write_text(text, encoding="utf-8")
    return source


def build(source: Path) -> None:
    run = run_folio("build", source, "-f", "pdf")
    assert run.returncode == 0, run.stderr
    assert "[layout]" not in run.stderr, run.stderr    # the chunked route settled, no fallback


def record(source: Path, name: str) -> dict:
    return json.loads((source.parent.parent / "build" / RECORD / name).read_text(encoding="utf-8"))


def first_page(source: Path, block: str) -> int:
    """The page a block begins on, from the build's page map."""
    pagemap = json.loads((source.parent.parent / "build" / ".folio" / "pagemap.json").read_text(encoding="utf-8"))
    return pagemap["blocks"][block][0][0]


def outputs(source: Path) -> dict:
    out = source.parent.parent / "build"
    return {name: (out / name).read_bytes() for name in OUTPUTS}


@pytest.fixture(scope="module")
def built(built_once) -> Path:
    """The document built once from nothing (for test_chunked_fix.py too); each test corrects
    a copy of the folder."""
    source = runon_clean(built_once, CHAPTERS, PARAGRAPHS)
    settled = record(source, "cuts.json")["flow"]
    assert len(settled["cuts"]) >= 2, settled            # the body is cut where its pages say
    assert len(settled["pairs"]) == len(settled["cuts"])  # each confirmed by a layout across it
    # three chunks of body or more: a correction that lays out one of them left the others
    run = record(source, "last-run.json")
    assert body_chunks(run) == list(range(3, 3 + body_count(run))) and body_count(run) >= 3, run
    return source


def corrected(built: Path, tmp_path: Path, old: str, new: str, last: bool = False) -> tuple[Path, dict]:
    """The built folder copied, corrected and built again; the clean build of the corrected
    source must give the same bytes."""
    copy = tmp_path / "edited"
    shutil.copytree(built.parent.parent, copy)
    source = copy / "source" / "doc.md"
    text = source.read_text(encoding="utf-8")
    at = text.rindex(old) if last else text.index(old)
    text = text[:at] + new + text[at + len(old):]
    source.write_text(text, encoding="utf-8")
    build(source)
    clean = project(tmp_path / "clean", text)
    build(clean)
    mine, theirs = outputs(source), outputs(clean)
    for name in OUTPUTS:
        assert mine[name] == theirs[name], name
    assert record(source, "last-run.json")["cuts"] == record(clean, "last-run.json")["cuts"]
    return source, record(source, "last-run.json")


def body_chunks(run: dict) -> list[int]:
    """The chunks laid out in the build, but for those that show page numbers (the contents)."""
    return [c for c in run["laid out"] if c not in run["show numbers"]]


def body_count(run: dict) -> int:
    """The chunks of body text: all but the cover, the title page, the contents (before) and the
    back cover (after); the fixture checks it against the chunks a build from nothing lays out."""
    return run["chunks"] - 4


def paragraph_in_chapter(chapter: int) -> str:
    """The first words of a paragraph in the middle of a chapter, read from the source."""
    source = document()
    start = source.index(f"# Chapter {chapter} of")
    paras = [p for p in source[start:].split("\n\n")[1:] if p and p[0].isalpha()]
    return paras[4][:40]


def test_a_one_word_correction_lays_out_its_chunk(built, tmp_path):
    head = paragraph_in_chapter(2)
    _, run = corrected(built, tmp_path, head, head.replace(" ", " able ", 1))
    assert len(body_chunks(run)) == 1, run
    assert run["probes"] <= 4, run      # its two cuts, each probed again from its chunk's start at most


def test_a_correction_in_the_last_chapter_lays_out_the_last_chunk_only(built, tmp_path):
    last_words = document().rstrip().rsplit(" ", 3)[0]
    _, run = corrected(built, tmp_path, last_words, last_words + " duly", last=True)
    body = body_chunks(run)
    assert len(body) == 1 and body[0] >= run["chunks"] - 2, run   # the last chunk of text (the back cover follows)


def test_a_correction_that_adds_a_line(built, tmp_path):
    head = paragraph_in_chapter(3)
    words = " ".join(["the committee noted the review"] * 3)
    _, run = corrected(built, tmp_path, head, f"{head[:head.index(' ')]} {words} {head[head.index(' ') + 1:]}")
    assert 1 <= len(body_chunks(run)) < body_count(run), run


def test_a_correction_that_adds_a_page(built, tmp_path):
    head = paragraph_in_chapter(2)
    page = " ".join(["The delegation asked that the record of the session be kept in full."] * 45)
    source, run = corrected(built, tmp_path, head, f"{page}\n\n{head}")
    # what follows the page moved on by one (the file may keep its length: the blank page
    # before the back cover takes it)
    later = "h-chapter-3-of-the-proceedings"
    assert first_page(source, later) > first_page(built, later)
    laid = body_chunks(run)
    assert laid == list(range(laid[0], laid[0] + len(laid))), run      # one run of chunks
    # not all of the body (the cuts after the page move with it: this short document may keep
    # fewer of them than before, but never none)
    assert len(laid) < body_count(run), run


def test_a_correction_that_removes_a_paragraph(built, tmp_path):
    source = document()
    start = source.index("# Chapter 3 of")   # a chapter with one after it
    para = [p for p in source[start:].split("\n\n")[1:] if p and p[0].isalpha()][3]
    _, run = corrected(built, tmp_path, para + "\n\n", "")
    laid = body_chunks(run)
    assert 1 <= len(laid) < body_count(run), run
