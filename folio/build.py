"""One build: decide what is stale, read everything once, then write each stale output.

Heavy writers (PDF, DOCX) run in their own processes when more than one is stale, so the
cores are used and the PDF stays the floor; the HTML is written first, in this process."""
from __future__ import annotations

import errno
import os
import pickle
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import changes, inputs, jobs, stamps, versions
from . import progress as events
from .dates import check_epoch
from .diagnostics import FolioError, Kind, Location, Reporter
from .editions import EDITIONS
from .files import is_inside
from .project import Project, find_root
from .writers import WRITERS, keep_writer, load_writer, prepare_writer

HEAVY = tuple(name for name, edition in EDITIONS.items() if edition.heavy)


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


def load(project: Project, reporter: Reporter, text: str | None = None, glyphs: bool = True, font: str = "error"):
    """Parse and transform: the finished model, or FolioError if the source has errors.
    text: a revision of the source to load instead of the file (the Word import reads the one
    a DOCX was built from), with the project's words and folders all the same; glyphs=False
    leaves out the check that the fonts have every character (nothing is typeset); font: how a
    missing print font for the language is said (folio.glyphs.check_glyphs)."""
    from . import parallel
    from .glyphs import check_glyphs
    from .i18n import locale
    from .readers.markdown import parse_file, parse_text  # imported here: a no-op build never needs them
    from .transforms import run_transforms
    shown = project.shown(project.source)
    if not check_epoch(reporter, Location(shown)) or (text is None and not _source_is_readable(project, reporter)):
        raise FolioError(shown)
    try:
        doc = parse_file(project.source, shown, reporter) if text is None else parse_text(text, shown, reporter)
    except OSError as exc:               # unreadable: permissions, an I/O error
        reporter.error(Location(shown), f"cannot read the source: {exc.strerror or exc}", Kind.FILE)
        raise FolioError(shown) from None
    if text is not None:
        doc.base_dir = str(project.source.parent)
    doc.root = str(project.root)
    original = _original(project, reporter) if project.original else None
    if original is not None:
        doc.meta = versions.merge_meta(original.meta, doc.meta, project.version)
    _override(doc, project, reporter, Location(shown, 1))
    doc.locale = locale.load(doc.meta["language"], project.styles, reporter, Location(shown, 1),
                             shown=lambda path: project.shown(Path(path)))
    doc.terms = doc.locale.terms
    run_transforms(doc, reporter)
    if original is not None:
        parallel.check_language(doc, project.version, reporter)
        parallel.check_symbol(doc, original.meta, reporter)
        parallel.check_structure(doc, original, reporter)
    if glyphs:
        check_glyphs(doc, project, reporter, font)
    if reporter.errors:
        raise FolioError(shown)
    return doc


def _override(doc, project: Project, reporter: Reporter, where: Location) -> None:
    """The front-matter values the command sets (Project.overrides), checked as the front
    matter's own are."""
    from .config import DATES, check
    for key, value in project.overrides:
        checked = check(key, value, where, reporter)
        if checked is not None:
            doc.meta[key] = checked.isoformat() if key in DATES and checked else checked


def _original(project: Project, reporter: Reporter):
    """A language version's original, read and transformed (its settings and its structure are
    the version's); its errors are the version's too, named at the original's lines."""
    own = Reporter(ignore=reporter.ignore)
    try:
        return load(Project.for_source(project.original, project.root, project.out_dir.parent),
                    own, glyphs=False)
    except FolioError:
        reporter.extend([m for m in own.messages if m.severity == "error"])
        raise FolioError(project.shown(project.source)) from None


def _not_in_a_starting_worker() -> None:
    """A script that calls build() with no `if __name__ == "__main__":` runs again in every
    worker process it spawns (multiprocessing's spawn imports the script), and that build waited
    for the folder lock the first one holds, while the first waited for its workers: a hang at
    no CPU. The worker stops here instead, saying why; the build that started it goes on."""
    import multiprocessing
    if getattr(multiprocessing.current_process(), "_inheriting", False):
        raise RuntimeError("folio's build was called while a worker process was starting: the script"
                           " that calls folio.build.build() runs again in each worker; call it under"
                           " `if __name__ == \"__main__\":`")


def build(project: Project, formats: list[str], reporter: Reporter | None = None,
          check_only: bool = False, force: bool = False, progress=None, on_output=None,
          session: Session | None = None) -> BuildResult:
    """Build the stale outputs among formats. on_output(result) is called as each output is
    finished (the preview reloads the browser when the HTML is, not after the PDF); session:
    writer processes kept from one build to the next (the watcher's)."""
    _not_in_a_starting_worker()
    reporter = reporter or Reporter()
    progress = progress or (lambda text: None)
    result = BuildResult(reporter)
    unknown = [f for f in formats if f not in WRITERS]
    for name in unknown:
        reporter.error(Location(project.shown(project.source)), f"unknown output format '{name}'"
                       f" (valid formats: {', '.join(WRITERS)})", Kind.FORMAT)
    if unknown or not _source_is_readable(project, reporter):
        return result
    if not check_only and not _out_is_allowed(project, reporter):
        return result
    if check_only:
        _load_logged(project, reporter, progress)
        return result
    try:
        with stamps.project_lock(project, progress):
            _build_locked(project, formats, result, force, progress, on_output or (lambda out: None), session)
    except OSError as exc:              # build/ cannot be made or locked (read-only, a file in the way)
        reporter.error(Location(project.shown(Path(exc.filename or project.out_dir))),
                       f"cannot write to the output folder: {exc.strerror or exc}", Kind.FILE)
    result.outputs.sort(key=lambda o: formats.index(o.format))
    return result


def _out_is_allowed(project: Project, reporter: Reporter) -> bool:
    """The output folder: inside the project (not the project's own folder), a new or empty
    folder, or one folio built into before. `--out /` wrote .folio/, html/ and the DOCX into /;
    `--out .` at the project root wrote html/ beside templates/ and styles/."""
    out, own = project.out_dir, find_root(project.source)
    if is_inside(out, own) and out.resolve() != own.resolve():
        return True
    try:
        if not out.exists() or not out.is_dir() or (out / ".folio").is_dir() or next(out.iterdir(), None) is None:
            return True
    except OSError:
        return True                   # unreadable: the write itself will say why
    reporter.error(Location(str(out)), "folio writes its outputs only into a folder inside the project (not"
                   " the project's own folder), a new or empty folder, or a folder it built into before: choose"
                   " another --out", Kind.FILE)
    return False


def _build_locked(project: Project, formats: list[str], result: BuildResult, force: bool, progress,
                  on_output, session: Session | None = None) -> None:
    reporter = result.reporter
    settings = {name: stamps.settings_digest(project, name) for name in formats}
    stale = list(formats)
    if not force:
        recorded, hashes = stamps.read_stamps(project, reporter), {}
        stale = [n for n in formats if not stamps.is_current(project, n, settings[n], recorded, hashes)]
        stale = _with_editions(project, formats, stale)
    result.outputs = [OutputResult(n, stamps.output_paths(project, n), rebuilt=False)
                      for n in formats if n not in stale]
    if not stale:
        return  # nothing to do: nothing heavy imported, nothing parsed
    with Writers(stale, project, session) as writers:
        # the PDF writer fails alone for a missing print font; without a PDF it is a warning
        loaded = _load_logged(project, reporter, progress, font="" if "pdf" in stale else "warning")
        if loaded is None:
            return
        doc, source_log = loaded
        progress("source: read")
        fold = project.out_dir
        old_pages = changes.page_prints(fold, reporter)
        old_chapters = changes.load(fold, changes.CHAPTERS, reporter)
        for out, log in writers.write(doc, project, reporter, progress):
            result.outputs.append(out)
            if out.ok:
                stamps.record(project, out.format, settings[out.format], source_log.merge(log),
                              out.paths, reporter)
            on_output(out)
        refreshed = _refresh_editions(doc, project, reporter, result, settings.get("html", ""), source_log)
        if refreshed is not None:
            on_output(refreshed)
    rebuilt = [o.format for o in result.outputs if o.ok and o.rebuilt]
    if rebuilt:
        try:
            changes.save(fold, changes.CHAPTERS, changes.chapter_prints(doc))
        except OSError as exc:
            reporter.error(Location(project.shown(fold / changes.CHAPTERS)),
                           f"cannot write the build record: {exc.strerror or exc}", Kind.FILE)
        result.changes = changes.describe(fold, fold, old_pages, old_chapters, rebuilt)


def _load_logged(project: Project, reporter: Reporter, progress, font: str = "error"):
    """(the model, the read log of parsing it), or None if the source has errors."""
    progress(f"reading {project.shown(project.source)}")
    with inputs.recording() as log:
        try:
            return load(project, reporter, font=font), log
        except FolioError:
            return None
        except OSError as exc:  # a file read for the checks (a font, a locale table) that may not be read
            reporter.error(Location(project.shown(Path(exc.filename or project.source))),
                           f"cannot read this file: {exc.strerror or exc}", Kind.FILE)
            return None


def _source_is_readable(project: Project, reporter: Reporter) -> bool:
    """The source is a regular file inside the project, or at least inside the folder it was
    named in (a symlink into /proc or /dev, a fifo or a folder is a located error, never a hang,
    a leak or a traceback)."""
    shown = project.shown(project.source)
    named = Location(project.shown(project.named or project.source))
    folder = (project.named or project.source).parent
    try:
        info = os.stat(project.named or project.source)
    except OSError as exc:
        info = None
        if exc.errno != errno.ENOENT:       # a link that leads to itself, a name too long …
            reporter.error(named, f"cannot read the source: {_why(exc)}", Kind.FILE)
            return False
    except ValueError:                      # a NUL in the name
        reporter.error(Location(shown), "cannot read the source: its name holds a NUL character", Kind.FILE)
        return False
    if info is not None and not stat.S_ISREG(info.st_mode):     # a fifo, a pipe (/dev/stdin), a folder
        reporter.error(named, "the source is not a regular file", Kind.FILE)
        return False
    if not (is_inside(project.source, project.root) or is_inside(project.source, folder)):
        reporter.error(named, f"the source is a link to '{project.source}', outside the project; folio reads"
                       " only files inside it", Kind.FILE)
        return False
    if info is None:
        reporter.error(Location(shown), "source file not found", Kind.FILE)
    return info is not None


def _why(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "it is a link that leads back to itself (a loop of links)"
    if exc.errno == errno.ENAMETOOLONG:
        return "its name is too long for the file system"
    return exc.strerror or str(exc)


class Session:
    """Writer processes kept from one build to the next, for the watcher: each heavy writer's
    process is forked once and keeps what it imported and started (WeasyPrint and its fonts,
    python-docx, the PDF's layout workers) for the next correction. close() ends them."""

    def __init__(self):
        self.pools: dict = {}

    # How much a writer's process yields the cores (os.nice): on two cores the HTML (written in
    # this process) and the PDF's layout take them; the Word file and LibreOffice come after.
    NICE = {"docx": 10}
    # And what waits for another output: the Word file starts once the PDF is written. On two
    # cores that are one core's two threads a niced process still takes a third of its
    # sibling's speed: at 10x, the PDF of a correction showed in 2.99 s with the Word file
    # beside it, in 1.80 s without (bench/watch.py, medians of 5). Nobody previews the Word file.
    AFTER = {"docx": "pdf"}

    def pool(self, name: str):
        if name not in self.pools:
            self.pools[name] = jobs.pool()
            jobs.submit(self.pools[name], _kept_writer, name, self.NICE.get(name, 0))
        return self.pools[name]

    def drop(self, name: str) -> None:
        """A process that failed or was interrupted: the next build starts another."""
        pool = self.pools.pop(name, None)
        if pool is not None:
            jobs.stop(pool)

    def close(self) -> None:
        for name in list(self.pools):
            self.drop(name)


class Writers:
    """Where each output is written. With more than one heavy output stale, each heavy writer
    gets its own process, forked before the source is parsed so that it imports its library
    (WeasyPrint, python-docx) while the parent parses; light writers run here meanwhile. The
    workers die with this process (folio.jobs); leaving the block early (an error, Ctrl-C,
    SIGTERM) ends them at once. With a session, every heavy writer runs in the session's
    process for it, warm from the builds before."""

    def __init__(self, names: list[str], project: Project | None = None, session: Session | None = None):
        heavy = [n for n in names if n in HEAVY]
        if session is None and (len(heavy) < 2 or (os.cpu_count() or 1) < 2):
            heavy = []
        self.names, self.heavy, self.session = names, heavy, session
        self.pools = {n: session.pool(n) if session else jobs.pool() for n in heavy}
        for name, pool in self.pools.items():
            jobs.submit(pool, prepare_writer, name, project)  # warm up: import the writer, start what it needs
        for name in names:
            if name not in heavy and project is not None:
                prepare_writer(name, project)           # e.g. the PDF's layout workers, here

    def __enter__(self):
        return self

    def __exit__(self, exc_type, *exc):
        for name, pool in self.pools.items():
            if self.session is not None:
                if exc_type is not None:
                    self.session.drop(name)
            elif exc_type is None:
                pool.shutdown(cancel_futures=True)
            else:
                jobs.stop(pool)

    def write(self, doc, project: Project, reporter: Reporter, progress):
        """(result, read log) of each output, as each is finished."""
        model = pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL) if self.heavy else b""  # once for all

        def start(name: str):
            progress(f"{name}: started")
            return jobs.submit(self.pools[name], _write_pickled, name, model, project, reporter.ignore)

        waits = self._waits()
        futures = {n: start(n) for n in self.heavy if n not in waits}
        for name in [n for n in self.names if n not in self.heavy]:
            progress(f"{name}: writing")
            out, messages, log = _write_one(name, doc, project, reporter.ignore)
            reporter.extend(messages)
            yield out, log
        for name in [n for n in self.heavy if n not in waits] + list(waits):
            future = futures[name] if name in futures else start(name)   # what it waited for is written
            try:
                out, messages, log = future.result()
            except Exception as exc:  # a writer crashed: say which, keep the others' results
                if self.session is not None:
                    self.session.drop(name)
                out, messages, log = OutputResult(name, ok=False), [], inputs.ReadLog()
                reporter.error(Location(project.shown(project.source)),
                               f"the {name.upper()} writer failed: {exc!r}", Kind.RENDER)
            reporter.extend(messages)
            yield out, log

    def _waits(self) -> list[str]:
        """The heavy outputs that start only once another one is written (Session.AFTER)."""
        if self.session is None:
            return []
        return [n for n in self.heavy if self.session.AFTER.get(n) in self.heavy]


def _kept_writer(name: str, nice: int) -> None:
    os.nice(nice)           # inherited by what it starts: layout workers, LibreOffice
    keep_writer(name)


def _write_pickled(name: str, model: bytes, project: Project, ignore=frozenset()):
    return _write_one(name, pickle.loads(model), project, ignore)


def _write_one(name: str, doc, project: Project, ignore=frozenset()):
    """Write one output; returns its result, the messages it produced and what it read."""
    with inputs.recording() as log:
        out, messages = _write_logged(name, doc, project, ignore)
    return out, messages, log


def _write_logged(name: str, doc, project: Project, ignore):
    # The kinds the build ignores (--ignore, the front matter's `ignore`) are ignored here too:
    # else an ignored error (a missing image under `ignore: [file]`) failed the output with no
    # message at all (fuzz fixture ignore-file-missing-image).
    reporter = Reporter(ignore=ignore)
    started = time.perf_counter()
    out = OutputResult(name)
    if name == "pdf":
        events.watch_pdf()          # its pages or chunks, as they are laid out (when a terminal shows them)
    try:
        out.paths = load_writer(name)(doc, project, reporter)
    except FolioError:
        out.ok = False
    except OSError as exc:  # full disk, read-only build/, missing style file
        where = Path(exc.filename) if exc.filename else project.out_dir
        verb = "write" if is_inside(where, project.out_dir) else "read a file for"
        reporter.error(Location(project.shown(where)), f"cannot {verb} the {name.upper()} output:"
                       f" {exc.strerror or exc}", Kind.FILE)
        out.ok = False
    out.seconds = time.perf_counter() - started
    events.emit(name, "done")             # from the process that wrote it, as soon as it is written
    if not out.ok and not reporter.errors:  # stopped by an error of an ignored kind: say so
        cause = next((m for m in reporter.ignored if m.severity == "error"), None)
        reporter.error(cause.location if cause else Location(project.shown(project.source)),
                       f"the {name.upper()} output was not written"
                       + (f": {cause.text} (the build ignores '{cause.kind.value}', this output cannot)"
                          if cause else ""),
                       Kind.RENDER)
    out.ok = out.ok and not reporter.errors
    return out, reporter.messages


# ---- the web page's links to the other editions (folio/writers/edition_links.py) -------------------

def _with_editions(project: Project, formats: list[str], stale: list[str]) -> list[str]:
    """The web page shows the PDF's and DOCX's sizes and pages: it is stale too if what it
    shows is not what lies beside it (a PDF built alone, a file deleted), leaving aside the
    editions this build rewrites anyway (_refresh_editions sees to those)."""
    if "html" not in formats or "html" in stale:
        return stale
    from .writers import edition_links as editions
    if not editions.changed(project, ignore=stale):
        return stale
    return [n for n in formats if n in stale or n == "html"]


def _refresh_editions(doc, project: Project, reporter: Reporter, result: BuildResult, settings: str,
                      source_log: inputs.ReadLog) -> OutputResult | None:
    """The HTML was written before the PDF and DOCX: if they changed, write it again."""
    from .writers import edition_links as editions
    html = next((o for o in result.outputs if o.format == "html"), None)
    if html is None or not html.ok or not editions.changed(project):
        return None
    out, messages, log = _write_one("html", doc, project, reporter.ignore)
    reporter.extend(messages)
    out.seconds += html.seconds if html.rebuilt else 0.0
    result.outputs[result.outputs.index(html)] = out
    if out.ok:
        stamps.record(project, "html", settings, source_log.merge(log), out.paths, reporter)
    return out
