"""The PDF edition: how its print HTML is laid out, chosen here (the front matter's
`pdf-layout`; `auto` by size and by whether the body's chapters open pages).

    editions.py  the print HTML both routes lay out; the screen and printer's editions written
                 from one layout (pikepdf edits of the same bytes)
    single.py    the single pass: the whole print HTML laid out at once, with its rounds
    chunked.py   the chunked route's folio side: the hooks its layout workers run on each page,
                 the rounds and the page map gathered from them (the engine, which needs nothing
                 of the model, is folio.layout.chunked)

What folio asks of WeasyPrint itself (line breaks, notes, the fetcher, structure ids) is
folio.layout.weasy, shared by both routes. This module exports what the rest of folio imports
(__all__); none of them imports it. It imports the routes when they are asked for: a layout
worker imports chunked.py for its hooks, and with it this package, and needs neither pikepdf
nor the templates (0.06 s of every worker's start)."""
from __future__ import annotations

from pathlib import Path

from ... import model as m
from ...config import peek_front_matter
from ...diagnostics import FolioError, Kind, Reporter
from ...glyphs import language_font_problem
from ...i18n.locale import right_to_left
from ...project import Project

__all__ = ["LAYOUTS", "draw", "keep", "prepare", "print_html", "render", "write_pdf"]   # what other modules import

CHUNKED_FROM = 120_000   # bytes of print HTML: about 30 pages of the report
PRESTART_FROM = 90_000   # bytes of Markdown: about as much print HTML


def write_pdf(doc: m.Document, project: Project, reporter: Reporter) -> list[Path]:
    """The front matter's `pdf-layout` chooses how the print HTML is laid out (LAYOUTS). A
    language with no font to print it fails the PDF alone, before anything is laid out (unless
    the build ignores `glyph`: then it prints, in boxes)."""
    problem = language_font_problem(doc, project)
    if problem is not None and Kind.GLYPH.value not in reporter.ignore:
        reporter.error(*problem, Kind.GLYPH)
        raise FolioError(str(problem[0]))
    return LAYOUTS[_layout(doc)](doc, project, reporter, None)


def _layout(doc: m.Document) -> str:
    """The chunked route's frames and blank pages assume a book that opens on a right-hand
    page; a right-to-left one opens on a left-hand page (its recto), so it is laid out in one
    pass, which WeasyPrint sides by the text's direction."""
    if right_to_left(doc.locale):
        return "single"
    return doc.meta["pdf-layout"]


def prepare(project: Project) -> None:
    """Before the source is parsed: a long source whose front matter does not ask for one pass
    gets its layout workers started now, so that they import WeasyPrint meanwhile."""
    try:
        with open(project.source, "rb") as f:
            head = f.read(4096)
        size = project.source.stat().st_size
    except OSError:
        return
    meta = peek_front_matter(head)
    one_pass = meta.get("pdf-layout") == "single"
    if size >= PRESTART_FROM and not one_pass:
        from ...layout.chunked.pool import prestart
        from .chunked import WORKER_MODULES, guesses_ahead
        prestart(WORKER_MODULES, every=guesses_ahead(project) is not False)


def keep() -> None:
    """The process lives on between builds (folio.build.Session): keep the layout workers."""
    from ...layout.chunked.pool import keep as keep_workers
    keep_workers()


def by_size(doc: m.Document, project: Project, reporter: Reporter, html: str | None) -> list[Path]:
    """Chunks pay for their workers, frames and stitching from a few dozen pages on; a short
    document is laid out in one pass. One whose chapters run on (`chapter-opening: continue`)
    is cut where its pages begin blocks (folio.layout.chunked.cuts)."""
    from .editions import print_html
    html = print_html(doc, project, reporter)
    route = in_chunks if len(html) >= CHUNKED_FROM and not _one_block_is_most(doc) else single_pass
    return route(doc, project, reporter, html)


def _one_block_is_most(doc: m.Document) -> bool:
    """Chunks are cut between blocks, never inside one: where one block is most of the source
    (a table of thousands of rows), the chunk that holds it is most of the layout, and the
    workers, frames and stitching only add to it (a table of 70 pages: 16.5 s of CPU in chunks,
    9 s in one pass)."""
    spans = [b.loc.end - b.loc.start for b in doc.blocks if b.loc is not None and 0 <= b.loc.start <= b.loc.end]
    return bool(spans) and 2 * max(spans) > sum(spans)


def in_chunks(doc: m.Document, project: Project, reporter: Reporter, html: str | None) -> list[Path]:
    """The print HTML laid out in chunks by worker processes, cached, stitched."""
    from .chunked import write
    return write(doc, project, reporter, html)


def single_pass(doc: m.Document, project: Project, reporter: Reporter, html: str | None) -> list[Path]:
    """The whole print HTML laid out by WeasyPrint at once, in this process."""
    from .single import single_pass as one_pass
    return one_pass(doc, project, reporter, html)


LAYOUTS = {"single": single_pass, "chunked": in_chunks, "auto": by_size}   # front matter `pdf-layout`


def __getattr__(name: str):
    """The routes' own exports, imported when first asked for (above)."""
    if name == "print_html":
        from .editions import print_html
        return print_html
    if name in ("draw", "render"):
        from . import single
        return getattr(single, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
