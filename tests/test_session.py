"""The watcher's writer processes stay warm from one correction to the next (folio.build.Session)
and what they write is what a clean build writes."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import make_project

from folio.build import Session, build
from folio.diagnostics import Reporter
from folio.project import Project

# Lays out PDFs: the slow tier
pytestmark = pytest.mark.slow

TEXT = "---\ntitle: A short report\nsymbol: A/1/1\n---\n\n# Chapter\n\nThe committee did excellent work.\n"


def _text(pdf) -> str:
    return " ".join(subprocess.run(["pdftotext", "-q", str(pdf), "-"], capture_output=True, text=True).stdout.split())


def _worker(session: Session, name: str) -> set:
    return set(getattr(session.pools[name], "_processes", None) or {})


def test_a_correction_is_written_by_the_same_warm_processes_as_a_clean_build_would(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1487289600")
    monkeypatch.setenv("FOLIO_DOCX_PAGE_NUMBERS", "estimate")
    source = make_project(tmp_path, TEXT)
    project = Project.for_source(source)
    session = Session()
    try:
        first = build(project, ["html", "pdf", "docx"], Reporter(), session=session)
        assert first.ok and [o.rebuilt for o in first.outputs] == [True, True, True]
        workers = {name: _worker(session, name) for name in ("pdf", "docx")}
        assert all(workers.values())
        source.write_text(TEXT.replace("excellent", "excellent steady"))
        second = build(project, ["pdf"], Reporter(), session=session)     # one heavy output alone: warm too
        assert second.ok and second.outputs[0].rebuilt
        assert {name: _worker(session, name) for name in ("pdf", "docx")} == workers
        assert "excellent steady work" in _text(tmp_path / "build" / "report.pdf")
    finally:
        session.close()
    assert not [pid for pids in workers.values() for pid in pids if _alive(pid)]
    clean = tmp_path / "clean"
    shutil.copytree(tmp_path / "source", clean / "source")
    for folder in ("templates", "styles"):
        shutil.copytree(tmp_path / folder, clean / folder)
    alone = build(Project.for_source(clean / "source" / "report.md"), ["pdf"], Reporter())
    assert alone.ok
    for name in ("report.pdf", "report-print.pdf"):
        assert (clean / "build" / name).read_bytes() == (tmp_path / "build" / name).read_bytes(), name


def _alive(pid: int) -> bool:
    """Running (not gone, not a zombie)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[1].split()[0] != "Z"
    except OSError:
        return False


def _events(project: Project, session: Session | None) -> list[str]:
    """What a build of all three formats said, in order: the writers it started and the
    outputs it reported written."""
    events: list[str] = []
    result = build(project, ["html", "pdf", "docx"], Reporter(), force=True, session=session,
                   progress=lambda text: events.append(text),
                   on_output=lambda out: events.append(f"{out.format}: written"))
    assert result.ok and all(o.rebuilt for o in result.outputs)
    return events


def test_the_watcher_starts_the_word_file_once_the_pdf_is_written(tmp_path, monkeypatch):
    """The watcher's PDF has the cores to itself (Session.AFTER); a build from the command
    line starts both heavy writers at once, for the sooner end of the two."""
    monkeypatch.setenv("FOLIO_DOCX_PAGE_NUMBERS", "estimate")
    project = Project.for_source(make_project(tmp_path, TEXT))
    session = Session()
    try:
        watched = _events(project, session)
    finally:
        session.close()
    assert watched.index("docx: started") > watched.index("pdf: written"), watched
    assert watched.index("docx: written") > watched.index("docx: started")
    alone = _events(project, None)
    assert alone.index("docx: started") < alone.index("pdf: written"), alone
    assert (tmp_path / "build" / "report.docx").stat().st_size > 0
