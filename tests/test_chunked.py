"""The chunked PDF layout (folio/layout/chunked/), read back against the single pass.

Every expectation comes from a single-pass build of the same source (WeasyPrint laying out
the whole print HTML at once, `pdf-layout: single`) or from the PDF's own structure; the
chunked file must read the same: pages, the text on each, labels, outline, link targets,
pixels; and be sound on its own: qpdf, fonts, the structure tree, metadata. Corrections to a
long report: test_chunked_corrections.py; sides, workers, hooks and the split:
test_chunked_route.py (three files, so that pytest-xdist runs them side by side)."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
from chunked_pdf import (
    build,
    clean,
    copied,
    element_counts,
    fonts,
    pdf_of,
    pixels,
    read,
    stats,
    structure_problems,
)
from conftest import need
from PIL import ImageChops

from folio.layout.chunked import cache as caching

# Lays out PDFs, starts LibreOffice, Chromium or builds whole reports: the slow tier
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(built_once):
    """built(name, layout): the source of a project of chunked_pdf.SOURCES[name], built once for
    the run (test_hyphenation.py reads the report at 4×, test_chunked_corrections.py corrects
    the report on new pages); tests that change a project work on a copy: copied()."""
    return lambda name, layout: clean(built_once, name, layout)


# The long report is chunked by `auto`, as a user's would be (the route it takes is read back
# below): the same build serves test_auto_cuts_a_long_report_whose_chapters_run_on.
CHUNKED = {"report-4x": "auto"}


# The report at 1× (its chapters run on) is not among them: the report at 4× is the same source
# four times over, laid out by the same route in more chunks, with cuts where its pages begin.
@pytest.fixture(scope="module", params=["report-4x", "report-pages", "showcase"])
def pair(request, built) -> tuple[Path, Path]:
    """(single-pass PDF, chunked PDF) of one source."""
    single, chunked = built(request.param, "single"), built(request.param, CHUNKED.get(request.param, "chunked"))
    assert stats(chunked)["chunks"] > 1            # the chunked route's record: it laid this one out
    return pdf_of(single), pdf_of(chunked)


# ---- the same file ---------------------------------------------------------------------------

def test_chunked_reads_as_the_single_pass(pair):
    single, chunked = read(pair[0]), read(pair[1])
    assert chunked["pages"] == single["pages"]
    assert chunked["labels"] == single["labels"]
    assert chunked["outline"] == single["outline"]
    assert chunked["links"] == single["links"]
    assert chunked["destinations"] == single["destinations"]
    wrong = [i + 1 for i, (a, b) in enumerate(zip(single["text"], chunked["text"], strict=True)) if a != b]
    assert not wrong, f"pages whose text differs: {wrong}"


@pytest.mark.slow
def test_chunked_print_edition_reads_as_the_single_pass(pair):
    """The printer's edition of each: the same pages (the padding before the back cover, the
    empty inside of the back cover), the same text and labels, the same PDF/X claim."""
    single, chunked = (p.with_name("doc-print.pdf") for p in pair)
    a, b = read(single), read(chunked)
    assert (b["pages"], b["labels"], b["text"]) == (a["pages"], a["labels"], a["text"])
    assert not a["text"][-2] and a["pages"] % 4 == 0
    for path in (single, chunked):
        assert path.read_bytes()[:8] == b"%PDF-1.6"
        with pikepdf.open(path) as pdf:
            xmp = pdf.Root.Metadata.read_bytes()
            assert b"xmpMM:DocumentID" in xmp and b"pdfuaid" not in xmp


def test_chunked_page_map_is_the_single_pass_one(pair):
    """build/.folio/pagemap.json: every page's label, line count and text digest (running
    heads and number included), and every block's pages and lines."""
    single, chunked = (json.loads((p.parent / ".folio" / "pagemap.json").read_text(encoding="utf-8"))
                       for p in pair)
    assert chunked["pages"] == single["pages"]
    assert chunked["blocks"] == single["blocks"]    # (the sources differ by their pdf-layout line only)


def test_chunked_pages_look_like_the_single_pass(pair, tmp_path):
    single, chunked = pixels(pair[0], tmp_path / "single"), pixels(pair[1], tmp_path / "chunked")
    assert len(single) == len(chunked)
    differ = [i + 1 for i, (a, b) in enumerate(zip(single, chunked, strict=True))
              if ImageChops.difference(a, b).point(lambda v: 255 if v > 24 else 0).getbbox()]
    assert not differ, f"pages that look different: {differ}"


def test_chunked_file_is_sound(pair):
    need("qpdf")
    check = subprocess.run(["qpdf", "--check", str(pair[1])], capture_output=True, text=True)
    assert check.returncode == 0 and "warning" not in check.stdout.lower(), check.stdout + check.stderr
    faces = [re.sub(r"^[A-Z]{6}\+", "", name) for name in fonts(pair[1])]
    assert sorted(faces) == sorted(re.sub(r"^[A-Z]{6}\+", "", n) for n in fonts(pair[0]))   # one font per face
    assert pair[1].stat().st_size <= 1.2 * pair[0].stat().st_size
    with pikepdf.open(pair[0]) as single, pikepdf.open(pair[1]) as chunked:
        assert str(chunked.Root.Lang) == str(single.Root.Lang)
        assert bool(chunked.Root.MarkInfo.Marked)
        for key in ("/Title", "/Author", "/Subject", "/Keywords", "/CreationDate", "/ModDate", "/Producer"):
            assert str(chunked.docinfo.get(key)) == str(single.docinfo.get(key)), key
        assert chunked.open_metadata().get("dc:title") == single.open_metadata().get("dc:title")
        assert structure_problems(chunked) == []
        assert element_counts(chunked) == element_counts(single)


def test_a_damaged_cache_entry_is_laid_out_again(built, tmp_path):
    source = copied(built("report-pages", "chunked"), tmp_path / "p")    # the report, built chunked
    before = pdf_of(source).read_bytes()
    folder = source.parent.parent / "build" / caching.FOLDER
    # Only the entries a build reads: the folder keeps what earlier rounds (other cuts) laid out.
    build(source, "--force")
    read = set(stats(source)["entries read"])
    entries = sorted((p for p in folder.glob("*.chunk") if p.stem in read), key=lambda p: p.stat().st_size)
    assert stats(source)["laid out"] == [] and stats(source)["frames laid out"] == 0 and len(entries) > 2
    damaged = entries[-1]
    data = bytearray(damaged.read_bytes())
    data[len(data) // 2] ^= 0xFF                      # one flipped byte in the middle of the PDF
    damaged.write_bytes(bytes(data))
    (entries[0]).write_bytes(b"not a cache entry")
    build(source, "--force")
    run = stats(source)
    assert len(run["laid out"]) + run["frames laid out"] == 2, run
    assert pdf_of(source).read_bytes() == before
    assert damaged.read_bytes() != bytes(data)        # replaced by a good entry


def test_the_cache_keeps_what_a_build_used_and_drops_the_oldest_beyond_its_budget(tmp_path, monkeypatch):
    monkeypatch.setattr(caching, "MIN_BUDGET", 3000)
    store = caching.Cache(tmp_path)
    pdf = b"%PDF-1.7\n" + b"x" * 990 + b"\n%%EOF\n"
    for i in range(6):
        store.put(f"e{i}", caching.Rendered(pdf, []))
        os.utime(tmp_path / f"e{i}.chunk", (1000 + i, 1000 + i))
    store.used = {"e0"}                                # the oldest, but this build used it
    store.prune()                                      # budget: 4 × what was used
    assert sorted(p.stem for p in tmp_path.glob("*.chunk")) == ["e0", "e3", "e4", "e5"]
    assert caching.Cache(tmp_path).get("e0").pdf == pdf


def test_a_moved_project_keeps_its_cache(built, tmp_path):
    copied(built("report-pages", "chunked"), tmp_path / "here")    # the report, built in another folder
    shutil.move(tmp_path / "here", tmp_path / "there")
    moved = tmp_path / "there" / "source" / "doc.md"
    build(moved, "--force")
    assert stats(moved)["laid out"] == [] and stats(moved)["frames laid out"] == 0


def test_auto_cuts_a_long_report_whose_chapters_run_on(built):
    """`pdf-layout: auto` lays the long report out in chunks; no forced break in its body: it is
    cut where its pages begin blocks."""
    source = built("report-4x", "auto")
    run = stats(source)
    assert run["chunks"] > 5 and run["cuts"], run
    # A cut on a left-hand page (an even number): its chunk, laid out as if it began on a
    # right-hand page, reads its sides flipped (test_chunked_reads_as_the_single_pass).
    pages = json.loads((pdf_of(source).parent / ".folio" / "pagemap.json").read_text(encoding="utf-8"))
    begins = [pages["pages"][pages["blocks"][cut][0][0]]["label"] for cut in run["cuts"]]
    assert any(label.isdigit() and int(label) % 2 == 0 for label in begins), begins
