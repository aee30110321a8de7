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
from .writers import WRITERS, load_writer, prepare_writer

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
    from .glyphs import check_glyphs
    from .i18n import terms
    from .readers.markdown import parse_file  # imported here: a no-op build never needs them
    from .transforms import run_transforms
    shown = project.shown(project.source)
    if not project.source.is_file():
        reporter.error(Location(shown), "source file not found", Kind.FILE)
        raise FolioError(shown)
    doc = parse_file(project.source, shown, reporter)
    doc.root = str(project.root)
    doc.terms = terms.load(doc.meta["language"], project.styles, reporter, Location(shown, 1))
    run_transforms(doc, reporter)
    check_glyphs(doc, project, reporter)
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
        digests = stamps.input_digests(project, formats)
        if not force:
            recorded = stamps.read_stamps(project)
            stale = [n for n in formats if not stamps.is_current(project, n, digests[n], recorded)]
            stale = _with_editions(project, formats, stale)
        result.outputs = [OutputResult(n, stamps.output_paths(project, n), rebuilt=False)
                          for n in formats if n not in stale]
        if not stale:
            return result  # nothing to do: nothing heavy imported, nothing parsed
    with Writers([] if check_only else stale, project) as writers:
        progress(f"reading {project.shown(project.source)}")
        try:
            doc = load(project, reporter)
        except FolioError:
            return result
        if check_only:
            return result
        fold = project.out_dir
        old_pages, old_chapters = changes.page_prints(fold), changes.load(fold, changes.CHAPTERS)
        for out in writers.write(doc, project, reporter, progress):
            result.outputs.append(out)
            if out.ok:
                stamps.record(project, out.format, digests[out.format], out.paths)
        _refresh_editions(doc, project, reporter, result, digests.get("html", ""))
    rebuilt = [o.format for o in result.outputs if o.ok and o.rebuilt]
    if rebuilt:
        changes.save(fold, changes.CHAPTERS, changes.chapter_prints(doc))
        result.changes = changes.describe(fold, fold, old_pages, old_chapters, rebuilt)
    result.outputs.sort(key=lambda o: formats.index(o.format))
    return result


class Writers:
    """Where each output is written. With more than one heavy output stale, each heavy writer
    gets its own process, forked before the source is parsed so that it imports its library
    (WeasyPrint, python-docx) while the parent parses; light writers run here meanwhile."""

    def __init__(self, names: list[str], project: Project | None = None):
        heavy = [n for n in names if n in HEAVY]
        if len(heavy) < 2 or (os.cpu_count() or 1) < 2:
            heavy = []
        self.names, self.heavy = names, heavy
        fork = multiprocessing.get_context("fork")
        self.pools = {n: ProcessPoolExecutor(max_workers=1, mp_context=fork) for n in heavy}
        for name, pool in self.pools.items():
            pool.submit(prepare_writer, name, project)  # warm up: import the writer, start what it needs
        for name in names:
            if name not in heavy and project is not None:
                prepare_writer(name, project)           # e.g. the PDF's layout workers, here

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        for pool in self.pools.values():
            pool.shutdown(cancel_futures=True)

    def write(self, doc, project: Project, reporter: Reporter, progress):
        futures = {n: self.pools[n].submit(_write_one, n, doc, project, reporter.ignore)
                   for n in self.heavy}
        for name in self.heavy:
            progress(f"{name}: started")
        results = []
        for name in [n for n in self.names if n not in self.heavy]:
            progress(f"{name}: writing")
            out, messages = _write_one(name, doc, project, reporter.ignore)
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
        return results


def _write_one(name: str, doc, project: Project, ignore=frozenset()):
    """Write one output; returns its result and the messages it produced."""
    # The kinds the build ignores (--ignore, the front matter's `ignore`) are ignored here too:
    # else an ignored error (a missing image under `ignore: [file]`) failed the output with no
    # message at all (fuzz fixture ignore-file-missing-image).
    reporter = Reporter(ignore=ignore)
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


def _refresh_editions(doc, project: Project, reporter: Reporter, result: BuildResult, digest: str) -> None:
    """The HTML was written before the PDF and DOCX: if they changed, write it again."""
    from .writers import edition_links as editions
    html = next((o for o in result.outputs if o.format == "html"), None)
    if html is None or not html.ok or not editions.changed(project):
        return
    out, messages = _write_one("html", doc, project, reporter.ignore)
    reporter.extend(messages)
    out.seconds += html.seconds if html.rebuilt else 0.0
    result.outputs[result.outputs.index(html)] = out
    if out.ok:
        stamps.record(project, "html", digest)
