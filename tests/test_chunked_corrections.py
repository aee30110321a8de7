"""Corrections to a long report laid out in chunks (folio/layout/chunked/): only the chunks a
correction touches are laid out again, and the file is the one a build from nothing, or the
single pass, makes of the corrected source; `auto` picks the route by length; the layout
workers end with the build."""
from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from chunked_pdf import (
    STATS,
    build,
    clean,
    clean_build,
    copied,
    correct,
    on_new_pages,
    pdf_of,
    project,
    read,
    stats,
)
from conftest import REPORT, ROOT

sys.path.insert(0, str(ROOT / "bench"))
from make_source import scaled  # noqa: E402

# Lays out PDFs, starts LibreOffice, Chromium or builds whole reports: the slow tier
pytestmark = pytest.mark.slow

# The report at 4× (its print HTML over CHUNKED_FROM): `auto` lays it out in chunks.
TIMES = 4


@pytest.fixture
def chaptered(built_once, tmp_path) -> Path:
    """A copy of the report built from nothing by the chunked route, its chapters opening on new
    pages (the report's own `continue` runs them on, and leaves the body nothing to cut at):
    test_chunked.py's build, shared; the back cover is its last chunk."""
    source = copied(clean(built_once, "report-pages", "chunked"), tmp_path / "chaptered")
    assert stats(source)["chunks"] >= 8, stats(source)    # chunks of chapters after the one a test grows
    return source


def test_a_one_word_correction_lays_out_one_chunk(chaptered, tmp_path):
    correct(chaptered, "excellent work", "excellent careful work")
    build(chaptered)
    run = stats(chaptered)
    last_chapter = run["chunks"] - 2           # the last chunk is the back cover
    assert run["laid out"] == [last_chapter], run
    assert run["frames laid out"] == 0 and run["frames from cache"] > 0, run
    assert pdf_of(chaptered).read_bytes() == clean_build(chaptered, tmp_path / "clean").read_bytes()


def test_a_correction_that_adds_pages_lays_out_its_chunk_and_the_frames(chaptered, tmp_path):
    """Chunks do not depend on the number or side of their first page: later chunks are not
    laid out again when an early chapter grows; their frames (numbers, sides) and the
    contents are."""
    before = read(pdf_of(chaptered))
    long = " ".join(["The meeting asked for a longer record of this discussion."] * 400)  # pages more
    chapter = "\n# Implementing the New York Declaration"       # chapter II: a chunk of chapters follows
    correct(chaptered, chapter, f"\n{long}\n{chapter}", last=False)
    build(chaptered)
    run = stats(chaptered)
    after = read(pdf_of(chaptered))
    assert after["pages"] > before["pages"]
    grown = {c for c in run["laid out"] if c not in run["show numbers"]}
    # The grown chunk, and at most one other: a chunk holding a blank page is laid out on its
    # own side, again when its side changes (the contents are laid out again for their numbers).
    # A chunk of later chapters follows them (before the back cover), and was not.
    assert 1 <= len(grown) <= 2 and max(grown) + 1 < run["chunks"] - 1, run
    assert run["frames laid out"] > 0, run
    text = chaptered.read_text(encoding="utf-8").replace("pdf-layout: chunked", "pdf-layout: single", 1)
    single = project(tmp_path / "single", text)
    build(single)
    assert read(pdf_of(single)) == after




def test_auto_lays_out_a_short_document_in_one_pass_and_a_long_one_in_chunks(built_once, report_editions):
    # the report (pdf-layout: auto, the default), as the session built it for every file that reads it
    assert (report_editions / "report.pdf").is_file() and not (report_editions / STATS).exists()
    # the report at TIMES×, also auto (test_chunked.py reads it against the single pass and
    # checks where it is cut: test_auto_cuts_a_long_report_…)
    assert stats(clean(built_once, "report-4x", "auto"))["chunks"] > 5




def test_workers_die_with_the_build(tmp_path):
    source = project(tmp_path, on_new_pages(scaled(REPORT.read_text(encoding="utf-8"), TIMES)))
    proc = subprocess.Popen([sys.executable, "-m", "folio", "build", str(source), "-f", "pdf"], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    workers: list[int] = []
    deadline = time.monotonic() + 60
    while len(workers) < 2 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.1)
        workers = _children(proc.pid)
    assert workers, "no layout workers were seen"
    proc.send_signal(signal.SIGKILL)                      # the build only, not its process group
    proc.wait()
    deadline = time.monotonic() + 5
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in workers if _alive(pid)]


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"
