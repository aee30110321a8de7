"""The command line: the only code that prints. Bad input → located lines and exit 1."""
from __future__ import annotations

import errno
import signal
import sys

import click

from .diagnostics import Kind, Reporter
from .project import Project
from .writers import WRITERS

FORMATS = list(WRITERS)


def _split(values) -> list[str]:
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


@click.group()
@click.version_option(package_name="folio")
def main() -> None:
    """folio: one Markdown source → a UN report as PDF, DOCX and HTML."""


def _common(func):
    func = click.option("--strict", is_flag=True, help="Fail if there are warnings.")(func)
    func = click.option("--ignore", multiple=True, metavar="KIND",
                        help="Message kind to ignore (repeatable): " + ", ".join(k.value for k in Kind))(func)
    func = click.option("--root", type=click.Path(file_okay=False), default=None,
                        help="Project folder (default: the folder above the source with templates/ and styles/).")(func)
    return click.argument("source", type=click.Path(dir_okay=False))(func)


@main.command()
@_common
@click.option("--format", "-f", "formats", multiple=True, metavar="FORMAT",
              help=f"Output format(s): {', '.join(FORMATS)} (default: all).")
@click.option("--out", type=click.Path(file_okay=False), default=None, help="Output folder (default: build/).")
@click.option("--force", is_flag=True, help="Rebuild even the outputs that are up to date.")
def build(source, strict, ignore, root, formats, out, force):
    """Build SOURCE into the output folder (only the outputs whose inputs changed)."""
    from .build import build as run_build
    project = Project.for_source(source, root, out)
    reporter = Reporter(ignore=frozenset(_split(ignore)))
    result = run_build(project, _split(formats) or FORMATS, reporter, force=force,
                       progress=lambda text: click.echo(f"  {text}", err=True))
    _finish(result.reporter, strict, result.outputs, project, result.changes)


@main.command()
@click.argument("old", type=click.Path(file_okay=False, exists=True))
@click.argument("new", type=click.Path(file_okay=False, exists=True))
def diff(old, new):
    """Say which PDF pages and which chapters differ between two build folders (OLD NEW)."""
    from pathlib import Path

    from .changes import describe
    lines = describe(Path(old), Path(new))
    for line in lines or ["no fingerprints found: build both folders with folio first"]:
        click.echo(line)


@main.command()
@_common
def check(source, strict, ignore, root):
    """Check SOURCE (syntax, references, abbreviations) without writing anything."""
    from .build import build as run_build
    project = Project.for_source(source, root)
    result = run_build(project, [], Reporter(ignore=frozenset(_split(ignore))), check_only=True)
    _finish(result.reporter, strict, [], project)
    if not result.reporter.messages:
        click.echo(f"{project.shown(project.source)}: no problems found")


@main.command()
@_common
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port on 127.0.0.1 (0: any free port).")
@click.option("--format", "-f", "formats", multiple=True, metavar="FORMAT",
              help="Formats to keep rebuilt besides the HTML (default: all).")
def serve(source, strict, ignore, root, port, formats):
    """Build, serve build/html/ on 127.0.0.1, rebuild on save and reload the browser."""
    import threading

    from .build import build as run_build
    from .serve import State, make_server, problem_lines, watch

    project = Project.for_source(source, root)
    wanted = ["html"] + [f for f in (_split(formats) or FORMATS) if f != "html"]
    state = State()
    try:
        server = make_server(project, state, port)
    except OSError as exc:                 # the port is taken, or not ours to use
        _serve_failed(project, f"cannot serve on 127.0.0.1:{port}: {exc.strerror or exc}"
                      + (" (another program uses it: try --port 0 for any free port)"
                         if exc.errno == errno.EADDRINUSE else ""))

    def rebuild(changed=()):
        if changed:
            click.echo(f"changed: {', '.join(project.shown(type(project.root)(p)) for p in changed)}")
        reporter = Reporter(ignore=frozenset(_split(ignore)))

        def published(out):  # the browser reloads as soon as the HTML is written
            if out.format == "html":
                state.publish(problem_lines(reporter), out.rebuilt and out.ok)
        result = run_build(project, wanted, reporter, on_output=published)
        for message in reporter.messages:   # one list per rebuild, however many outputs
            click.echo(str(message), err=True)
        for out in result.outputs:
            click.echo(_summary(out, project))
        for line in result.changes:
            click.echo(line)
        state.publish(problem_lines(reporter), False)

    def failed(exc: Exception):             # a bug, not the source's fault: say it, keep watching
        line = f"{project.shown(project.source)}: error: the rebuild failed: {exc!r} [{Kind.RENDER.value}]"
        click.echo(line, err=True)
        state.publish([line], False)

    try:
        rebuild()
    except Exception as exc:  # noqa: BLE001 - the first build fails as any other: keep serving
        failed(exc)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    click.echo(f"serving http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C to stop)")
    try:
        watch(project, rebuild, on_error=failed)
    except (OSError, RuntimeError) as exc:   # the watched folders vanished, too many watches
        _serve_failed(project, f"cannot watch the project any more: {exc}")
    finally:
        server.shutdown()


def _serve_failed(project, text: str) -> None:
    click.echo(f"{project.shown(project.source)}: error: {text} [{Kind.SERVE.value}]", err=True)
    sys.exit(1)


def _finish(reporter: Reporter, strict: bool, outputs, project, changes=()) -> None:
    for message in reporter.messages:
        click.echo(str(message), err=True)
    for out in outputs:
        click.echo(_summary(out, project))
    for line in changes:
        click.echo(line)
    errors, warnings = len(reporter.errors), len(reporter.warnings)
    if errors or warnings:
        click.echo(f"{errors} error(s), {warnings} warning(s)", err=True)
    if errors or (strict and warnings) or any(not o.ok for o in outputs):
        sys.exit(1)


def _summary(out, project) -> str:
    """One line per output: rebuilt or up to date, time, size, pages."""
    state = "FAILED" if not out.ok else ("rebuilt" if out.rebuilt else "up to date")
    path = out.paths[0] if out.paths else None
    size = f"{path.stat().st_size / 1024:7.0f} KB" if path and path.is_file() else " " * 10
    pages = ""
    if out.format == "pdf" and path and path.is_file():
        from .changes import PAGES, load
        prints = load(project.out_dir, PAGES)
        pages = f"{len(prints):4} pages" if prints else ""
    seconds = f"{out.seconds:6.2f} s" if out.rebuilt else " " * 8
    where = project.shown(path) if path else "-"
    return f"{out.format:5} {state:10} {seconds} {size} {pages:10} {where}"


class Interrupted(BaseException):
    """Ctrl-C or SIGTERM: a BaseException of folio's own, so that click does not turn it into
    'Aborted!' and every `with` on the way out (writer processes, temporary files) runs."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.code = 128 + signum


def run() -> None:
    """Console-script entry: a user never sees a traceback for bad input, nor for Ctrl-C or
    SIGTERM, which stop the writer processes and leave no output half written."""
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _interrupted)
    try:
        main(standalone_mode=True)
    except Interrupted as exc:
        click.echo("interrupted", err=True)
        sys.exit(exc.code)


def _interrupted(signum, frame) -> None:
    raise Interrupted(signum)
