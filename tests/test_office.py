"""The LibreOffice kept alive between builds for the Word file's page numbers (issue 22):
reused by the next build, exact (the same DOCX as a LibreOffice started for one conversion),
replaced when dead or hung, never left behind when asked not to, and ended by its idle time."""
from __future__ import annotations

import os
import shutil
import signal
import time
from pathlib import Path

import pytest
from conftest import make_project, run_folio

from folio.build import build
from folio.diagnostics import Reporter
from folio.project import Project
from folio.writers.docx import office

pytestmark = pytest.mark.slow

TEXT = """---
title: A report whose Word contents LibreOffice numbers
short-title: Kept office
symbol: TEST/2026/22
---

# Preface {.front}

The preface says why the report exists.

# Opening of the meeting

{para}

# Implementing the plan {number=II}

{para}

## Measuring progress

{para}

# Closing of the meeting {number=III}

The Chair closed the meeting.
"""

PARA = ("The meeting considered the plan in detail and heard the views of every delegation on the"
        " measures proposed for the coming year. ") * 12


@pytest.fixture
def project(tmp_path, monkeypatch):
    if not (shutil.which("soffice") and Path(office.SYSTEM_PYTHON).is_file()):
        pytest.skip("needs LibreOffice and Debian's python3-uno")
    monkeypatch.delenv("FOLIO_DOCX_PAGE_NUMBERS", raising=False)      # LibreOffice's own page numbers
    monkeypatch.setenv("FOLIO_OFFICE", "keep")
    source = make_project(tmp_path / "p", TEXT.replace("{para}", "\n\n".join([PARA] * 6)))
    project = Project.for_source(source)
    yield project
    office.stop(project.out_dir)


def _build(project: Project) -> bytes:
    result = build(project, ["docx"], Reporter(), force=True)
    assert result.ok, result.reporter.messages
    return (project.out_dir / "report.docx").read_bytes()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as f:
        return f.read().split(") ")[1][0] != "Z"


def _once(project: Project, monkeypatch) -> bytes:
    """The same source built by a LibreOffice started for this one conversion."""
    monkeypatch.setenv("FOLIO_OFFICE", "once")
    shutil.rmtree(project.out_dir / ".folio" / "libreoffice", ignore_errors=True)
    data = _build(project)
    monkeypatch.setenv("FOLIO_OFFICE", "keep")
    return data


def _edit(project: Project, old: str, new: str) -> None:
    project.source.write_text(project.source.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


def test_the_next_build_reuses_the_office_and_its_numbers_are_exact(project, monkeypatch):
    first = _build(project)
    state = office.running(project.out_dir)
    assert state is not None and _alive(state["pid"])          # left running for the next build
    assert first == _once(project, monkeypatch)
    _edit(project, "considered the plan", "considered the whole plan")
    second = _build(project)
    again = office.running(project.out_dir)
    assert again is not None and again["pid"] == state["pid"]   # the same LibreOffice
    assert second != first and second == _once(project, monkeypatch)


def test_a_dead_or_hung_office_is_replaced(project):
    _build(project)
    dead = office.running(project.out_dir)
    os.killpg(dead["pid"], signal.SIGKILL)                      # the keeper and its LibreOffice
    time.sleep(0.5)
    _edit(project, "Chair closed", "Chair then closed")
    _build(project)
    hung = office.running(project.out_dir)
    assert hung is not None and hung["pid"] != dead["pid"]
    os.killpg(hung["pid"], signal.SIGSTOP)                      # alive, answering nothing
    try:
        _edit(project, "Chair then closed", "Chair finally closed")   # not in the layouts' cache
        started = time.monotonic()
        _build(project)
        assert time.monotonic() - started < office.START_SECONDS + 2 * office.HELLO_SECONDS + 60
        fresh = office.running(project.out_dir)
        assert fresh is not None and fresh["pid"] != hung["pid"]
        time.sleep(0.5)
        assert not _alive(hung["pid"])                          # the hung one was ended, not left
    finally:
        try:
            os.killpg(hung["pid"], signal.SIGKILL)
        except ProcessLookupError:
            pass


def test_no_keep_leaves_no_office_running(project, monkeypatch):
    monkeypatch.delenv("FOLIO_OFFICE")
    run = run_folio("build", str(project.source), "-f", "docx", "--no-keep", cwd=project.root)
    assert run.returncode == 0, run.stderr
    assert office.running(project.out_dir) is None
    assert not (project.out_dir / office.FOLDER / "office.sock").exists()


def test_an_idle_office_ends_itself(project, monkeypatch):
    monkeypatch.setenv("FOLIO_OFFICE_IDLE", "2")
    _build(project)
    state = office.running(project.out_dir)
    assert state is not None
    deadline = time.monotonic() + 30
    while _alive(state["pid"]) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not _alive(state["pid"]) and not _alive(state["office"])
    assert office.running(project.out_dir) is None


def test_a_state_file_others_can_read_is_not_trusted(project):
    _build(project)
    path = project.out_dir / office.FOLDER / "office.json"
    path.chmod(0o644)
    assert office.running(project.out_dir) is None
    path.chmod(0o600)
    assert office.running(project.out_dir) is not None


def test_the_watcher_holds_the_office_and_ends_it_when_it_stops(project):
    import threading

    from folio.serve import hold_office
    _build(project)
    state = office.running(project.out_dir)
    assert state is not None
    stopping = threading.Event()
    holder = hold_office(project, stopping, every=0.2)
    time.sleep(1)
    assert _alive(state["pid"]) and office.touch(project.out_dir)    # still answering
    stopping.set()
    holder.join(timeout=20)
    time.sleep(0.5)
    assert not _alive(state["pid"]) and office.running(project.out_dir) is None


def test_removing_the_build_folder_ends_the_office(project):
    """`invoke clean` under a kept LibreOffice: it notices and ends, leaving nothing running."""
    _build(project)
    state = office.running(project.out_dir)
    assert state is not None
    shutil.rmtree(project.out_dir)
    deadline = time.monotonic() + 20
    while _alive(state["pid"]) and time.monotonic() < deadline:
        time.sleep(0.3)
    assert not _alive(state["pid"]) and not _alive(state["office"])
