"""The print-ready PDF: the print templates laid out by WeasyPrint, then page labels added."""
from __future__ import annotations

import gc
import io
import logging
from pathlib import Path
from types import SimpleNamespace

from .. import changes
from .. import model as m
from ..dates import publication_moment
from ..diagnostics import FolioError, Kind, Location, Reporter
from ..files import write_atomic
from ..i18n.numerals import to_roman
from ..project import Project
from .assets import resolve_images
from .fetcher import restricted_fetcher
from .pages import render_page


def print_html(doc: m.Document, project: Project, reporter: Reporter) -> str:
    """The print edition's HTML, as WeasyPrint reads it (also what the benchmark renders alone)."""
    images = resolve_images(doc, project, reporter)
    if reporter.errors:
        raise FolioError("images")
    sheets = [(project.styles / "print.css").as_uri(),
              (project.styles / f"paper-{doc.meta['paper']}.css").as_uri()]
    moment = publication_moment(doc.meta, project.source).strftime("%Y-%m-%dT%H:%M:%SZ")
    return render_page(doc, project, "print.html", print_mode=True,
                       image_url=lambda src: images[src].as_uri() if src in images else "",
                       reporter=reporter, extra={"stylesheets": sheets, "published": moment})


def write_pdf(doc: m.Document, project: Project, reporter: Reporter) -> list[Path]:
    if not project.fonts.is_dir():
        reporter.error(Location(project.shown(project.fonts)), "the fonts folder is missing;"
                       " the PDF embeds its fonts from there", Kind.FILE)
        raise FolioError("fonts")
    pdf, pages = LAYOUTS[doc.meta["pdf-layout"]](doc, lambda: print_html(doc, project, reporter), project, reporter)
    target = project.out_dir / f"{project.name}.pdf"
    write_atomic(target, pdf)
    # Fingerprints of each page's text, so the next build can name the pages that changed.
    changes.save(project.out_dir, changes.PAGES, [[label, changes.fingerprint(text)] for label, text in pages])
    return [target]


def single_pass(doc: m.Document, page, project: Project, reporter: Reporter):
    """The whole print HTML (`page()` makes it) laid out by WeasyPrint in this process:
    (PDF, [(label, text) of every page])."""
    document = render(page(), project, reporter)
    body_start = first_page_with(document, body_anchor(doc))
    pdf = add_page_labels(document.write_pdf(pdf_variant="pdf/ua-1"), body_start)
    labels = page_labels(len(document.pages), body_start)
    return pdf, [(label, page_text(page)) for label, page in zip(labels, document.pages, strict=True)]


def chunked(doc: m.Document, page, project: Project, reporter: Reporter):
    """The print HTML laid out in chunks by worker processes, cached, stitched (chunked/)."""
    from .chunked import route

    anchor = body_anchor(doc)

    def numbering(pages):
        start = first_page_with(SimpleNamespace(pages=pages), anchor)
        return [(i + 1, "lower-roman") if i < start else (i - start + 1, "decimal") for i in range(len(pages))]

    try:
        out = route.write(page, project, reporter, route.Options(numbering, page_label))
    except route.Unsettled as exc:
        reporter.warning(Location(project.shown(project.source)), f"the chunked PDF layout did not settle"
                         f" ({exc}); the PDF was laid out in one pass", Kind.LAYOUT)
        return single_pass(doc, page, project, reporter)
    return out.pdf, [(page.label, page.text) for page in out.pages]


def by_size(doc: m.Document, page, project: Project, reporter: Reporter):
    """Chunks pay for their workers, frames and stitching from a few dozen pages on; a short
    document is laid out in one pass."""
    html = page()
    route = chunked if len(html) >= CHUNKED_FROM else single_pass
    return route(doc, lambda: html, project, reporter)


CHUNKED_FROM = 120_000   # bytes of print HTML: about 30 pages of the report
LAYOUTS = {"single": single_pass, "chunked": chunked, "auto": by_size}   # front matter `pdf-layout`


def render(html: str, project: Project, reporter: Reporter):
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    refused: list[str] = []
    fetcher = restricted_fetcher(project.root, refused)
    gc_was_enabled = gc.isenabled()
    gc.disable()  # the collector costs WeasyPrint ~15 % on long documents and frees nothing here
    try:
        with _quiet_weasyprint():
            document = HTML(string=html, base_url=project.root.as_uri() + "/", url_fetcher=fetcher) \
                .render(font_config=FontConfiguration())
    finally:
        if gc_was_enabled:
            gc.enable()
    for url in refused:
        reporter.error(Location(project.shown(project.source)),
                       f"refused to fetch '{url}': only files inside the project are read", Kind.FILE)
    if refused:
        raise FolioError("fetch")
    return document


def body_anchor(doc: m.Document) -> str:
    body = [p for p in doc.parts if not p.front and p.heading]
    return body[0].heading.id if body else ""


def first_page_with(document, anchor: str) -> int:
    for index, page in enumerate(document.pages):
        if anchor in page.anchors:
            return index
    return len(document.pages)


def page_labels(count: int, body_start: int) -> list[str]:
    """The printed numbers: lowercase roman before the report body, arabic from 1 after."""
    return [to_roman(i + 1).lower() if i < body_start else str(i - body_start + 1) for i in range(count)]


def page_label(number: int, style: str) -> str:
    return to_roman(number).lower() if style == "lower-roman" else str(number)


def page_text(page) -> str:
    """The text WeasyPrint laid out on one page (margin boxes included: a page number is text)."""
    return "".join(box.text for box in page._page_box.descendants() if isinstance(getattr(box, "text", None), str))


def add_page_labels(pdf: bytes, body_start: int) -> bytes:
    """Viewer page labels that match the printed numbers: i, ii, … then 1, 2, …"""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as p:
        nums = [0, pikepdf.Dictionary(S=pikepdf.Name.r)]
        if body_start < len(p.pages):
            nums += [body_start, pikepdf.Dictionary(S=pikepdf.Name.D, St=1)]
        p.Root.PageLabels = pikepdf.Dictionary(Nums=pikepdf.Array(nums))
        out = io.BytesIO()
        p.save(out, deterministic_id=True)
        return out.getvalue()


class _quiet_weasyprint:
    """WeasyPrint logs refused fetches itself; folio reports them as located errors instead."""

    def __enter__(self):
        self.logger = logging.getLogger("weasyprint")
        self.level = self.logger.level
        self.logger.setLevel(logging.CRITICAL)

    def __exit__(self, *exc):
        self.logger.setLevel(self.level)
