"""The corrigendum command's inputs (two files, or a git revision and a file) and what it
prints; cli.py only hands over. Bad input is one located line and exit status 1."""
from __future__ import annotations

import subprocess
from pathlib import Path

from .. import versions
from ..diagnostics import FolioError, Kind, Location, Reporter, grouped
from ..project import Project


def run(old: str | None, new: str | None, since: str | None, number: int | None, echo) -> int:
    reporter = Reporter()
    try:
        project, old_text = _inputs(old, new, since, reporter)
        name = f"{old or 'source/report.md'}@{since}" if since is not None else old
        results = _make(project, old_text, name, since, number, reporter)
    except FolioError:
        results = None
    for line in grouped(reporter.messages):
        echo(line, err=True)
    if results is None or reporter.errors:
        return 1
    for tag, result in results:
        _show(project, result, f"{tag or 'original'}: " if len(results) > 1 else "", echo)
    return 0 if all(out.ok for _tag, result in results for out in result.outputs) else 1


def _make(project: Project, old_text: str, name: str, since: str | None, number, reporter) -> list:
    """[(tag, Corrigendum)]: one for the source; with --since on an original that has language
    versions, one for each of them too, numbered alike (each version as it was at REV)."""
    from . import make, make_versions
    found = versions.versions(project.source) if since is not None and not project.version else []
    if not found:
        return [(project.version, make(project, old_text, reporter, number, old_name=name))]
    projects = [(project, old_text, name)]
    for tag, path in found:
        shown, own = project.shown(path), Reporter()
        try:
            old_version = _at_revision(path, since, own)
        except FolioError:          # a version begun after REV: it has nothing to correct
            reporter.warning(Location(shown), f"no version of this file at revision '{since}': no corrigendum"
                             " in this language", Kind.FILE)
            continue
        projects.append((Project(project.root, path, versions.out_dir(project.out_dir, tag), path.absolute(),
                                 version=tag, original=project.source), old_version, f"{shown}@{since}"))
    return make_versions(projects, reporter, number)


def _show(project: Project, result, lead: str, echo) -> None:
    echo(f"{lead}{result.symbol}: {len(result.items)} item(s)"
         + ("" if result.reused_layout else " (the old version laid out anew)"))
    for n, item in enumerate(result.items, 1):
        echo(f"{n}. {item.place.text} — {item.operation}" if item.place.text else f"{n}. {item.operation}")
        if item.text:
            echo(f"   {item.text}")
    if not result.items:
        echo("nothing to correct: the two versions show the same text (no corrigendum written)")
    for quiet in result.unchanged:
        echo(f"{project.shown(project.source)}:{quiet.line}: no item needed: {quiet.why}")
    for out in result.outputs:
        for path in out.paths[:1] + [p for p in out.paths[1:] if p.suffix == ".pdf"]:
            echo(f"{'wrote' if out.ok else 'FAILED'} {project.shown(path)}")


def _inputs(old, new, since, reporter) -> tuple[Project, str]:
    """(NEW's project, OLD's text) from the command's arguments."""
    if since is not None:
        if new is not None:
            _fail(reporter, Location(new), "give --since REV and one source, not two")
        source = Path(old or "source/report.md")
        return Project.for_source(_existing(source, reporter)), _at_revision(source, since, reporter)
    if old is None or new is None:
        _fail(reporter, Location(old or ""), "give the old and the new source (OLD NEW), or --since REV [SOURCE]")
    text = _existing(Path(old), reporter).read_text(encoding="utf-8", errors="replace")
    return Project.for_source(_existing(Path(new), reporter)), text


def _existing(path: Path, reporter) -> Path:
    if not path.is_file():
        _fail(reporter, Location(str(path)), "no such source file")
    return path


def _at_revision(source: Path, revision: str, reporter) -> str:
    """The source's text at a git revision."""
    folder = source.resolve().parent
    try:
        top = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=folder, capture_output=True,
                             text=True, timeout=30)
        if top.returncode:
            _fail(reporter, Location(str(source)), "not in a git repository: --since needs one")
        name = source.resolve().relative_to(Path(top.stdout.strip()).resolve()).as_posix()
        shown = subprocess.run(["git", "show", f"{revision}:{name}"], cwd=folder, capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError, ValueError) as exc:
        _fail(reporter, Location(str(source)), f"cannot read the source's history: {exc}")
    if shown.returncode:
        why = shown.stderr.decode("utf-8", "replace").strip().splitlines()
        _fail(reporter, Location(str(source)), f"no version of this file at revision '{revision}'"
              + (f" (git: {why[-1]})" if why else ""))
    return shown.stdout.decode("utf-8", errors="replace")


def _fail(reporter: Reporter, where: Location, text: str):
    reporter.error(where, text, Kind.FILE)
    raise FolioError(where.path)
