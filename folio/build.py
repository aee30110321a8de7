"""One build: decide what is stale, read everything once, then write each stale output.

Heavy writers (PDF, DOCX) run in their own processes when more than one is stale, so the
cores are used and the PDF stays the floor; the HTML is written first, in this process."""
from __future__ import annotations

import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import changes, stamps
from .diagnostics import FolioError, Kind, Location, Reporter
from .project import Project
from .writers import WRITERS, load_writer

HEAVY = ("pdf", "docx")


@dataclass
class OutputResult:
    format: str
    paths: list = field(default_factory=list)
    seconds: float = 0.0
    ok: bool = True
    rebuilt: bool = True


@dataclass
class BuildResult:
    reporter: Reporter
    outputs: list = field(default_factory=list)
    changes: list = field(default_factory=list)   # lines for a proof-reader

    @property
    def ok(self) -> bool:
        return not self.reporter.errors and all(o.ok for o in self.outputs)


def load(project: Project, reporter: Reporter):
    """Parse and transform: the finished model, or FolioError if the source has errors."""
    from .parse import parse_file            # imported here: a no-op build never needs them
    from .transforms import run_transforms
    shown = project.shown(project.source)
    if not project.source.is_file():
        reporter.error(Location(shown), "source file not found", Kind.FILE)
        raise FolioError(shown)
    doc = parse_file(project.source, shown, reporter)
    run_transforms(doc, reporter)
    if reporter.errors:
        raise FolioError(shown)
    return doc


def build(project: Project, formats: list[str], reporter: Reporter | None = None,
          check_only: bool = False, force: bool = False, progress=None) -> BuildResult:
    reporter = reporter or Reporter()
    progress = progress or (lambda text: None)
    result = BuildResult(reporter)
    unknown = [f for f in formats if f not in WRITERS]
    for name in unknown:
        reporter.error(Location(project.shown(project.source)), f"unknown output format '{name}'"
                       f" (valid formats: {', '.join(WRITERS)})", Kind.FORMAT)
    if unknown:
        return result
    digests, stale = {}, list(formats)
    if not check_only and project.source.is_file():
        digests = {name: stamps.input_digest(project, name) for name in formats}
        if not force:
            recorded = stamps.read_stamps(project)
            stale = [n for n in formats if not _current(project, n, digests[n], recorded)]
        result.outputs = [OutputResult(n, stamps.output_paths(project, n), rebuilt=False)
                          for n in formats if n not in stale]
        if not stale:
            return result  # nothing to do: nothing heavy imported, nothing parsed
    progress(f"reading {project.shown(project.source)}")
    try:
        doc = load(project, reporter)
    except FolioError:
        return result
    if check_only:
        return result
    fold = project.out_dir
    old_pages, old_chapters = changes.load(fold, changes.PAGES), changes.load(fold, changes.CHAPTERS)
    for out in _write_all(doc, project, stale, reporter, progress):
        result.outputs.append(out)
        if out.ok:
            stamps.record(project, out.format, digests[out.format])
    rebuilt = [o.format for o in result.outputs if o.ok and o.rebuilt]
    if rebuilt:
        changes.save(fold, changes.CHAPTERS, changes.chapter_prints(doc))
        result.changes = changes.describe(fold, fold, old_pages, old_chapters, rebuilt)
    result.outputs.sort(key=lambda o: formats.index(o.format))
    return result


def _current(project, name, digest, recorded) -> bool:
    stamp = recorded.get(name) or {}
    return (stamp.get("inputs") == digest
            and stamp.get("output") == stamps.output_digest(stamps.output_paths(project, name)))


def _write_all(doc, project, names, reporter, progress):
    """Heavy outputs in child processes (if more than one), the light ones here meanwhile."""
    heavy = [n for n in names if n in HEAVY]
    light = [n for n in names if n not in HEAVY]
    if len(heavy) < 2 or (os.cpu_count() or 1) < 2:
        light, heavy = names, []
    results = []
    pool = ProcessPoolExecutor(max_workers=len(heavy), mp_context=multiprocessing.get_context("fork")) \
        if heavy else None
    try:
        futures = {name: pool.submit(_write_one, name, doc, project) for name in heavy}
        for name in heavy:
            progress(f"{name}: started")
        for name in light:
            progress(f"{name}: writing")
            out, messages = _write_one(name, doc, project)
            reporter.extend(messages)
            results.append(out)
        for name, future in futures.items():
            try:
                out, messages = future.result()
            except Exception as exc:  # a writer crashed: say which, keep the others' results
                out, messages = OutputResult(name, ok=False), []
                reporter.error(Location(project.shown(project.source)),
                               f"the {name.upper()} writer failed: {exc!r}", Kind.RENDER)
            reporter.extend(messages)
            results.append(out)
    finally:
        if pool:
            pool.shutdown()
    return results


def _write_one(name: str, doc, project: Project):
    """Write one output; returns its result and the messages it produced."""
    reporter = Reporter()
    started = time.perf_counter()
    out = OutputResult(name)
    try:
        out.paths = load_writer(name)(doc, project, reporter)
    except FolioError:
        out.ok = False
    except OSError as exc:  # full disk, read-only build/, missing style file
        where = project.shown(Path(exc.filename)) if exc.filename else project.shown(project.out_dir)
        reporter.error(Location(where), f"cannot write the {name.upper()} output: {exc.strerror or exc}",
                       Kind.FILE)
        out.ok = False
    out.seconds = time.perf_counter() - started
    out.ok = out.ok and not reporter.errors
    return out, reporter.messages
