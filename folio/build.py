"""One build: read everything, resolve, then write each requested output."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import FolioError, Kind, Location, Reporter
from .parse import parse_file
from .project import Project
from .transforms import run_transforms
from .writers import WRITERS, load_writer


@dataclass
class OutputResult:
    format: str
    paths: list = field(default_factory=list)
    seconds: float = 0.0
    ok: bool = True


@dataclass
class BuildResult:
    reporter: Reporter
    outputs: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.reporter.errors and all(o.ok for o in self.outputs)


def load(project: Project, reporter: Reporter):
    """Parse and transform: the finished model, or FolioError if the source has errors."""
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
          check_only: bool = False) -> BuildResult:
    reporter = reporter or Reporter()
    result = BuildResult(reporter)
    unknown = [f for f in formats if f not in WRITERS]
    for name in unknown:
        reporter.error(Location(project.shown(project.source)), f"unknown output format '{name}'"
                       f" (valid formats: {', '.join(WRITERS)})", Kind.FORMAT)
    try:
        doc = load(project, reporter)
    except FolioError:
        return result
    if check_only or unknown:
        return result
    for name in formats:
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
        result.outputs.append(out)
    return result
