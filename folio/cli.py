"""The command line: the only code that prints. Bad input → located lines and exit 1."""
from __future__ import annotations

import contextlib
import dataclasses
import errno
import signal
import sys

import click

from . import noop
from .diagnostics import Kind, Reporter, grouped
from .editions import EDITIONS
from .project import Project

FORMATS = list(EDITIONS)


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
@click.option("--no-keep", is_flag=True, help="Leave no LibreOffice running for the next build (as FOLIO_OFFICE=once).")
def build(source, strict, ignore, root, formats, out, force, no_keep):
    """Build SOURCE into the output folder (only the outputs whose inputs changed)."""
    import os

    from .build import build as run_build
    if no_keep:     # read by the DOCX writer, in this process or the worker forked from it
        os.environ["FOLIO_OFFICE"] = "once"
    project = Project.for_source(source, root, out)
    reporter = Reporter(ignore=frozenset(_split(ignore)))
    with _progress() as shown:
        result = run_build(project, _split(formats) or FORMATS, reporter, force=force, progress=shown)
    if result.ok and result.outputs:     # the next same command may be answered without a build
        noop.remember(project, [o.format for o in result.outputs],
                      lambda: [_summary(dataclasses.replace(o, rebuilt=False), project) for o in result.outputs])
    _finish(result.reporter, strict, result.outputs, project, result.changes)


@contextlib.contextmanager
def _progress():
    """A progress callback for build(): on a terminal, what each output is doing (pages, chunks,
    LibreOffice's pass) from whichever process does it; elsewhere (a pipe, a log, CI) nothing."""
    if not sys.stderr.isatty():    # but a build held up by another one says so, wherever it runs
        yield lambda text: click.echo(f"  {text}", err=True) if text.startswith("waiting ") else None
        return
    from .display import Display
    from .progress import channel
    display = Display()

    def said(text: str) -> None:           # "pdf: started", "reading source/report.md"
        task, _, rest = text.partition(": ")
        display.show(*((task, rest) if rest and " " not in task else
                       ("source" if text.startswith("reading ") else "build", text)))
    try:
        with channel(display.show):
            yield said
    finally:
        display.stop()


@main.command()
@click.argument("source", type=click.Path(dir_okay=False), default="source/report.md")
@click.option("--date", "day", metavar="YYYY-MM-DD", default=None, help="The date of reissue (default: today).")
@click.option("--out", type=click.Path(file_okay=False), default=None, help="Output folder (default: build/reissue/).")
def reissue(source, day, out):
    """Write SOURCE's editions reissued for technical reasons: an asterisk after the symbol and
    a footnote with the date. Into build/reissue/, beside the issued build that it replaces."""
    import datetime

    from .build import build as run_build
    from .config import check
    from .diagnostics import Location
    reporter = Reporter()
    day = day or datetime.date.today().isoformat()
    if check("reissued", day, Location("--date"), reporter) is None:
        _finish(reporter, False, [], None)
    project = Project.for_source(source, None, out)
    project = dataclasses.replace(project, out_dir=project.out_dir / ("" if out else "reissue"),
                                  overrides=(("reissued", day),))
    result = run_build(project, FORMATS, reporter, progress=lambda text: click.echo(f"  {text}", err=True))
    _finish(result.reporter, False, result.outputs, project, result.changes)


@main.command()
@click.argument("old", type=click.Path(file_okay=False, exists=True))
@click.argument("new", type=click.Path(file_okay=False, exists=True))
@click.option("--pages", "pages_dir", type=click.Path(file_okay=False), default=None, metavar="DIR",
              help="Also write into DIR an image of each changed PDF page, old beside new with the changed"
                   " lines marked, and index.html listing them.")
def diff(old, new, pages_dir):
    """Say which PDF pages and which chapters differ between two build folders (OLD NEW)."""
    from pathlib import Path

    from .changes import describe, is_build
    not_builds = [f for f in (old, new) if not is_build(Path(f))]
    for folder in not_builds:
        click.echo(f"{folder}: error: not a folio build folder (no .folio/ fingerprints in it:"
                   " give the build/ folder of a project built by folio)", err=True)
    if not_builds:
        sys.exit(1)
    reporter = Reporter()
    lines = describe(Path(old), Path(new), reporter=reporter)
    for message in reporter.messages:
        click.echo(str(message), err=True)
    for line in lines:
        click.echo(line)
    if not lines:
        click.echo("no fingerprints found: build both folders with folio first")
    if pages_dir:
        from .proofs import write_proofs
        reporter = Reporter()       # the change report's messages are printed above
        proofs = write_proofs(Path(old), Path(new), Path(pages_dir), reporter)
        _finish(reporter, False, [], None)
        click.echo(f"wrote {Path(pages_dir) / 'index.html'} ({len(proofs)} page image(s))")


@main.command()
@click.argument("folder", type=click.Path(file_okay=False))
def new(folder):
    """Write a minimal new report project into FOLDER (new, or empty)."""
    from pathlib import Path

    from .diagnostics import FolioError
    from .new import new_project
    reporter = Reporter()
    try:
        written = new_project(Path(folder), reporter)
    except FolioError:
        _finish(reporter, False, [], None)
        return
    for path in written:
        click.echo(f"wrote {path}")
    click.echo(f"next: cd {folder} && invoke build   (or: folio build source/report.md)")


@main.command(name="import")
@click.argument("manuscript", type=click.Path(dir_okay=False))
@click.argument("folder", type=click.Path(file_okay=False))
def import_manuscript(manuscript, folder):
    """Make a new report project in FOLDER from a Word MANUSCRIPT (.docx)."""
    from pathlib import Path

    from .diagnostics import FolioError
    from .manuscript import import_manuscript as run_import
    reporter = Reporter()
    try:
        written = run_import(Path(manuscript), Path(folder), reporter)
    except FolioError:
        _finish(reporter, False, [], None)
        return
    for path in written:
        click.echo(f"wrote {path}")
    _finish(reporter, False, [], None)
    click.echo(f"next: cd {folder} && invoke build   (or: folio build source/report.md)")


@main.command()
@click.argument("name", required=False)
@click.option("--root", type=click.Path(file_okay=False), default=".", show_default=True,
              help="Project folder to copy into.")
def defaults(name, root):
    """List folio's default templates, styles and fonts, or copy NAME into the project to change it."""
    from pathlib import Path

    from .diagnostics import FolioError
    from .new import copy_default, default_names
    if not name:
        for entry in default_names():
            click.echo(entry)
        return
    reporter = Reporter()
    try:
        click.echo(f"wrote {copy_default(name, Path(root), reporter)}")
    except FolioError:
        _finish(reporter, False, [], None)


@main.command(name="reference-doc")
@click.argument("out", type=click.Path(dir_okay=False))
@click.option("--root", type=click.Path(file_okay=False), default=None,
              help="Project whose styles/docx-styles.yaml to use (default: folio's own styles).")
def reference_doc(out, root):
    """Write folio's Word template (every style the DOCX uses) to OUT, to restyle in Word and
    name as `reference-doc` in the front matter."""
    from pathlib import Path

    from .diagnostics import FolioError
    from .writers.docx.reference import write_reference_doc
    reporter = Reporter()
    try:
        write_reference_doc(Path(out), Path(root).resolve() if root else None, reporter)
    except FolioError:
        pass
    _finish(reporter, False, [], None)
    click.echo(f"wrote {out}")


@main.command()
@click.argument("target", metavar="SOURCE[:LINE]")
@click.option("--page", metavar="PAGE", help="A printed page number of the PDF (iv, 12), or #N for the Nth sheet.")
@click.option("--root", type=click.Path(file_okay=False), default=None, help="Project folder.")
@click.option("--out", type=click.Path(file_okay=False), default=None, help="Build folder (default: build/).")
def where(target, page, root, out):
    """Where a source line is in the PDF and the Word file, or what source a PDF page shows.

    folio where source/report.md:42      folio where source/report.md --page 4"""
    from . import where as places
    from .build import FolioError, load

    path, _, line = target.rpartition(":") if ":" in target and target.rsplit(":", 1)[1].isdigit() \
        else (target, "", "")
    if line and not (len(line) <= 9 and line.isascii()):   # int() refuses 5,000 digits, and '²'
        shown = line if len(line) <= 12 else line[:12] + "…"
        click.echo(f"{path}:{shown}: error: not a line number of the source [file]", err=True)
        sys.exit(1)
    project = Project.for_source(path, root, out)
    reporter = Reporter()
    try:
        doc = load(project, reporter, glyphs=False)      # nothing is typeset: the fonts are not read
    except FolioError:
        _finish(reporter, False, [], project)
        sys.exit(1)
    shown = project.shown(project.source)
    if page:
        hits, note = places.on_page(doc, project.out_dir, page)
        if note:
            click.echo(f"{shown}: note: {note}", err=True)
        if not hits and note.startswith(("no ", "the PDF has no")):
            sys.exit(1)
        for block, first, last in hits:
            click.echo(f"{shown}:{_lines(block.loc)}: page {page}, lines {first}–{last}:"
                       f" {places.kind_word(block)} {block.id}")
        return
    if not line:
        raise click.UsageError("give a line (SOURCE:LINE) or --page")
    found = places.at_line(doc, int(line))
    if not found:
        after = sorted(b.loc.line for b, _ in places.blocks_with_context(doc) if b.loc.line > int(line))
        hint = f" (the next one starts on line {after[0]})" if after else ""
        click.echo(f"{shown}:{line}: error: no block of the document is on this line{hint}", err=True)
        sys.exit(1)
    located, notes = places.locate(doc, project.out_dir, project.out_dir / f"{project.name}.docx", found)
    for place in located:
        block = place.block
        context = f" ({place.context})" if place.context else ""
        click.echo(f"{shown}:{_lines(block.loc)}: {places.kind_word(block)} {block.id}{context}")
        for label, sheet, first, last in place.pages:
            click.echo(f"  PDF: page {label} (sheet {sheet}), lines {first}–{last}")
        if place.paragraphs:
            numbers = ", ".join(map(str, place.paragraphs))
            click.echo(f"  DOCX: paragraph{'s' if len(place.paragraphs) > 1 else ''} {numbers} of the body")
    for note in notes:
        click.echo(f"  {note}", err=True)


def _lines(loc) -> str:
    return f"{loc.line}" if loc.last_line == loc.line else f"{loc.line}-{loc.last_line}"


@main.command()
@_common
def check(source, strict, ignore, root):
    """Check SOURCE (syntax, references, abbreviations) without writing anything."""
    from .build import build as run_build
    project = Project.for_source(source, root)
    result = run_build(project, [], Reporter(ignore=frozenset(_split(ignore))), check_only=True)
    _finish(result.reporter, strict, [], project, every=True)     # check lists every message
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

    from .build import Session
    from .build import build as run_build
    from .serve import State, hold_office, make_server, problem_lines, watch

    project = Project.for_source(source, root)
    wanted = ["html"] + [f for f in (_split(formats) or FORMATS) if f != "html"]
    state = State()
    session = Session()         # the PDF and Word writers stay warm from one correction to the next
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
        result = run_build(project, wanted, reporter, on_output=published, session=session)
        for line in grouped(reporter.messages):   # one list per rebuild, however many outputs
            click.echo(line, err=True)
        for out in result.outputs:
            click.echo(_summary(out, project))
        for line in result.changes:
            click.echo(line)
        if reporter.errors and not result.outputs:      # the source did not read: nothing was written
            click.echo(f"not rebuilt: {len(reporter.errors)} error(s); the last good outputs stay")
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
    stopping = threading.Event()
    office = hold_office(project, stopping) if "docx" in wanted else None
    try:
        watch(project, rebuild, on_error=failed)
    except (OSError, RuntimeError) as exc:   # the watched folders vanished, too many watches
        _serve_failed(project, f"cannot watch the project any more: {exc}")
    finally:
        server.shutdown()
        session.close()
        stopping.set()
        if office is not None:
            office.join(timeout=10)


@main.command()
@click.argument("old", required=False)
@click.argument("new", required=False)
@click.option("--since", metavar="REV", help="Compare the source at this git revision with the file as it is now.")
@click.option("--number", type=click.IntRange(1), help="N of /Corr.N (default: one more than those recorded).")
def corrigendum(old, new, since, number):
    """Write a UN corrigendum for the corrections between two versions of a source.

    folio corrigendum OLD NEW      folio corrigendum --since REV [SOURCE]"""
    from .corrigendum.command import run
    sys.exit(run(old, new, since, number, click.echo))


@main.command(name="import-docx")
@click.argument("docx", type=click.Path(dir_okay=False))
@click.argument("source", type=click.Path(dir_okay=False), default="source/report.md")
@click.option("--apply", "apply_", is_flag=True, help="Write the corrections into SOURCE (atomically).")
@click.option("--tracked", type=click.Choice(["accept", "reject", "critic"]), default="accept", show_default=True,
              help="What tracked changes become: accepted, rejected, or CriticMarkup for review.")
@click.option("--review", is_flag=True, help="Keep the comments in SOURCE's folder, as NAME.review.md.")
@click.option("--base", type=click.Path(dir_okay=False, exists=True), default=None,
              help="The source revision the DOCX was built from, if the DOCX does not carry it.")
@click.option("--matches", is_flag=True, help="Say where each Word paragraph was found, and how.")
@click.option("--strict", is_flag=True, help="Fail if there are warnings (changes not placed).")
@click.option("--ignore", multiple=True, metavar="KIND", help="Message kind to ignore (repeatable).")
def import_docx(docx, source, apply_, tracked, review, base, matches, strict, ignore):
    """Bring the corrections of an edited DOCX back into SOURCE: print a diff (or --apply it)."""
    from pathlib import Path

    from .corrections import import_docx as run_import
    from .corrections.output import in_source_form
    from .diagnostics import FolioError, Location
    from .readers.markdown import read_text

    reporter = Reporter(ignore=frozenset(_split(ignore)))
    path = Path(source)
    project = Project.for_source(path)
    shown = project.shown(path)
    if not path.is_file():
        reporter.error(Location(shown), "source file not found (name it after the DOCX)", Kind.FILE)
        _finish(reporter, strict, [], None)
    text = read_text(path, shown, reporter)
    base_text = read_text(Path(base), base, reporter) if base else None
    try:
        outcome = run_import(Path(docx), text, shown, reporter, tracked, base_text, docx_shown=docx,
                             project=project)
    except FolioError:
        _finish(reporter, strict, [], None)
        return
    for line in outcome.matches if matches else []:
        click.echo(line)
    click.echo(outcome.diff, nl=False)
    click.echo(outcome.summary)
    if apply_ and outcome.changed and not reporter.errors:
        # A link is followed (its target corrected, the link kept); the source keeps its form.
        raw = path.read_bytes().decode("utf-8", errors="surrogateescape")
        data = in_source_form(raw, outcome.result).encode("utf-8", errors="surrogateescape")
        if _write(path.resolve(), data, shown, reporter):
            click.echo(f"wrote {shown}")
    if review and outcome.review.count("\n- "):
        target = path.with_name(path.stem + ".review.md")
        if _write(target, outcome.review.encode("utf-8"), project.shown(target), reporter):
            click.echo(f"wrote {project.shown(target)}")
    _finish(reporter, strict, [], None)


def _write(path, data: bytes, shown: str, reporter: Reporter) -> bool:
    """Write a file of the import atomically; a failure (a full disk, a file-size limit, no
    permission) is one located error, the file as it was."""
    from .diagnostics import Location
    from .files import write_atomic
    try:
        write_atomic(path, data)
    except OSError as exc:
        reporter.error(Location(shown), f"cannot write the corrections: {exc.strerror or exc}", Kind.FILE)
        return False
    return True


def _serve_failed(project, text: str) -> None:
    click.echo(f"{project.shown(project.source)}: error: {text} [{Kind.SERVE.value}]", err=True)
    sys.exit(1)


def _finish(reporter: Reporter, strict: bool, outputs, project, changes=(), every: bool = False) -> None:
    for line in (map(str, reporter.messages) if every else grouped(reporter.messages)):
        click.echo(line, err=True)
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
        from .changes import page_prints
        prints = page_prints(project.out_dir)
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
