"""The print-ready PDF: the print templates laid out by WeasyPrint, then page labels added."""
from __future__ import annotations

import gc
import io
import logging
import os
from pathlib import Path
from urllib.parse import quote, unquote, urlparse

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
                       image_url=lambda src: images[src].path.as_uri() if src in images else "",
                       reporter=reporter, extra={"stylesheets": sheets, "published": moment})


def write_pdf(doc: m.Document, project: Project, reporter: Reporter) -> list[Path]:
    html = print_html(doc, project, reporter)
    if not project.fonts.is_dir():
        reporter.error(Location(project.shown(project.fonts)), "the fonts folder is missing;"
                       " the PDF embeds its fonts from there", Kind.FILE)
        raise FolioError("fonts")
    document = render(html, project, reporter)
    body_start = first_page_with(document, body_anchor(doc))
    pdf = draw(document, project, reporter, pdf_variant="pdf/ua-1")
    target = project.out_dir / f"{project.name}.pdf"
    write_atomic(target, add_page_labels(pdf, body_start, project.root))
    # Fingerprints of each page's text, so the next build can name the pages that changed.
    labels = page_labels(len(document.pages), body_start)
    prints = [[label, changes.fingerprint(page_text(page))]
              for label, page in zip(labels, document.pages, strict=True)]
    changes.save(project.out_dir, changes.PAGES, prints)
    return [target]


def render(html: str, project: Project, reporter: Reporter):
    """Lay the print HTML out (FolioError after a located error for each refused fetch)."""
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
    document.folio_refused = refused
    _report_refused(refused, project, reporter)
    return document


def draw(document, project: Project, reporter: Reporter, **options) -> bytes:
    """The PDF of a laid-out document. An SVG fetches the files it names only now, when it is
    drawn: its refused fetches are reported here (they were lost before)."""
    with _quiet_weasyprint():
        pdf = document.write_pdf(**options)
    _report_refused(document.folio_refused, project, reporter)
    return pdf


def _report_refused(refused: list, project: Project, reporter: Reporter) -> None:
    for url in refused:
        reporter.error(Location(project.shown(project.source)),
                       f"refused to fetch '{url}': only files inside the project are read", Kind.FILE)
    if refused:
        refused.clear()
        raise FolioError("fetch")


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


def page_text(page) -> str:
    """The text WeasyPrint laid out on one page (margin boxes included: a page number is text)."""
    return "".join(box.text for box in page._page_box.descendants() if isinstance(getattr(box, "text", None), str))


def add_page_labels(pdf: bytes, body_start: int, root: Path | None = None) -> bytes:
    """Viewer page labels that match the printed numbers: i, ii, … then 1, 2, … And links to
    local files named relative to the project, as the author wrote them: WeasyPrint makes them
    file:///absolute/paths, which name the build machine's folders (and made two builds of one
    source in two folders differ)."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as p:
        nums = [0, pikepdf.Dictionary(S=pikepdf.Name.r)]
        if body_start < len(p.pages):
            nums += [body_start, pikepdf.Dictionary(S=pikepdf.Name.D, St=1)]
        p.Root.PageLabels = pikepdf.Dictionary(Nums=pikepdf.Array(nums))
        if root is not None:
            _relative_links(p, root)
        out = io.BytesIO()
        p.save(out, deterministic_id=True)
        return out.getvalue()


def _relative_links(pdf, root: Path) -> None:
    import pikepdf

    for page in pdf.pages:
        for annot in page.get("/Annots", []):
            action = annot.get("/A")
            uri = str(action.get("/URI", "")) if action is not None else ""
            if uri.startswith("file:"):
                parsed = urlparse(uri)
                target = quote(Path(os.path.relpath(unquote(parsed.path), root)).as_posix())
                action.URI = pikepdf.String(target + (f"#{parsed.fragment}" if parsed.fragment else ""))


class _quiet_weasyprint:
    """WeasyPrint logs refused fetches itself; folio reports them as located errors instead."""

    def __enter__(self):
        self.logger = logging.getLogger("weasyprint")
        self.level = self.logger.level
        self.logger.setLevel(logging.CRITICAL)

    def __exit__(self, *exc):
        self.logger.setLevel(self.level)
