"""What runs inside a layout worker: WeasyPrint lays out one chunk (or one frame segment) and
writes its PDF there, and the worker returns the bytes with what the parent needs to settle
numbers, draw frames, stitch and map pages. This is the one module that imports WeasyPrint
for the chunked route, and it does so only in spawned worker processes.

A rendered Document cannot be pickled, so what leaves the worker is plain data (PageFacts)."""
from __future__ import annotations

import importlib
import logging
import time
from contextlib import nullcontext
from dataclasses import dataclass, field

from ..weasy import no_collector

TABLE_ID = "folio-"   # WeasyPrint numbers table header ids per file; a chunk prefixes its own


@dataclass
class Job:
    kind: str                       # "chunk" (tagged PDF/UA) or "frame" (margin boxes only, untagged)
    html: str
    base_url: str
    project: object                 # folio.project.Project: what the fetcher may serve
    key: str                        # the cache key
    name: str = ""                  # the chunk's name (stable, unique): makes its table ids unique
    facts: tuple | None = None      # ("module:function", args): called per page with its page box
    document: tuple | None = None   # ("module:function", args): called once with (Document, html)
    setup: str | None = None        # "module:function": called before the layout (once is enough)
    tagging: str | None = None      # "module:function": a context manager around write_pdf
    skip: tuple | None = None       # ("module:function", args): called with the `document` hook's
                                    # result; True: no PDF (the pages will be laid out again)


@dataclass
class PageFacts:
    width: float                    # CSS px, the whole page
    height: float
    margins: tuple                  # top, right, bottom, left (CSS px)
    name: str                       # the named page (@page NAME)
    side: str                       # left or right, as laid out in this chunk
    blank: bool
    anchors: dict                   # id → (x, y) in CSS px from the top left
    bookmarks: list                 # (level, label, (x, y), state)
    strings: list                   # (name, text) of every string-set on the page, in order
    text: str                       # the text laid out on the page
    extra: object = None            # what the `facts` hook returned for this page


@dataclass
class Rendered:
    pdf: bytes
    pages: list
    refused: list = field(default_factory=list)
    extra: object = None            # what the `document` hook returned
    seconds: float = 0.0
    cpu: float = 0.0
    began: float = 0.0              # wall clock (time.time()) when the worker began it


def run(job: Job) -> Rendered:
    began, started, cpu = time.time(), time.perf_counter(), time.process_time()
    refused: list[str] = []
    if job.setup:
        _resolve(job.setup)()
    document = _layout(job, refused)
    pages = [_facts(page, job.facts) for page in document.pages]
    extra = call(job.document, document, job.html) if job.document else None
    if job.kind == "probe" or (job.skip and call(job.skip, extra)):
        pdf = b""                       # laid out to see where its pages break (chunked/cuts.py),
                                        # or for what its lines ask of the next round only
    elif job.kind == "chunk":
        _keep_foreign_links(document)
        with _context(job.tagging), no_collector():
            pdf = document.write_pdf(pdf_variant="pdf/ua-1", finisher=_unique_table_ids(job.name))
    else:
        with no_collector():
            pdf = document.write_pdf()
    return Rendered(pdf, pages, refused, extra, time.perf_counter() - started, time.process_time() - cpu, began)


def warm(modules: tuple = ()) -> None:
    """Import WeasyPrint (and its fonts' machinery) once, before the first job arrives, and
    the modules of the jobs' hooks: imported by the first job, they were 0.1 s of a
    correction's one layout, waited for."""
    import weasyprint  # noqa: F401 (its libraries found quickly: folio/shared_libraries.py)
    from weasyprint.text.fonts import FontConfiguration  # noqa: F401
    for name in modules:
        importlib.import_module(name)


def _layout(job: Job, refused: list):
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    from ..weasy.fetcher import restricted_fetcher

    logger = logging.getLogger("weasyprint")
    logger.setLevel(logging.CRITICAL)   # folio reports what matters (refused fetches) itself
    with no_collector():
        return HTML(string=job.html, base_url=job.base_url,
                    url_fetcher=restricted_fetcher(job.project, refused)) \
            .render(font_config=FontConfiguration())


def _facts(page, hook) -> PageFacts:
    from ..weasy.notes import blank
    box = page._page_box
    extra = call(hook, box) if hook else None
    strings = [tuple(s) for b in box.descendants() if b.string_set and b.string_set != "none"
               for s in b.string_set]
    return PageFacts(
        page.width, page.height,
        (box.margin_top, box.margin_right, box.margin_bottom, box.margin_left),
        box.page_type.name or "", box.page_type.side, blank(box),
        {name: (x, y) for name, (x, y, *_) in page.anchors.items()},
        list(page.bookmarks), strings, page_text(box), extra)


def page_text(box) -> str:
    """The text WeasyPrint laid out on one page (margin boxes included: a number is text)."""
    return "".join(b.text for b in box.descendants() if isinstance(getattr(b, "text", None), str))


def _keep_foreign_links(document) -> None:
    """A link to an id in another chunk is kept: WeasyPrint drops links to anchors it cannot
    find, so such ids are declared on the last page. The stitched file's named destinations
    come from the real anchors (PageFacts), not from these."""
    known = {name for page in document.pages for name in page.anchors}
    foreign = {target for page in document.pages for kind, target, *_ in page.links
               if kind == "internal" and target not in known}
    for name in sorted(foreign):
        document.pages[-1].anchors[name] = (0, 0, 0, 0)


def _unique_table_ids(name: str):
    """WeasyPrint names table header cells "<object number>-<row>-<column>": unique in one
    file, not across chunks. Prefix them (and the cells' /Headers) with the chunk's name
    (not its cache key, which holds the project's path: the PDF must not)."""
    import hashlib

    import pydyf

    prefix = f"{TABLE_ID}{hashlib.sha256(name.encode('utf-8')).hexdigest()[:10]}-"

    def rename(value):
        return pydyf.String(prefix + value.string) if isinstance(value, pydyf.String) else value

    def finisher(document, pdf):
        for obj in pdf.objects:
            if not isinstance(obj, pydyf.Dictionary) or obj.get("Type") != "/StructElem":
                continue
            if obj.get("S") == "/TH" and isinstance(obj.get("ID"), pydyf.String) \
                    and obj["ID"].string[:1].isdigit():
                obj["ID"] = rename(obj["ID"])
            attributes = obj.get("A")
            if isinstance(attributes, pydyf.Dictionary) and "Headers" in attributes:
                attributes["Headers"] = pydyf.Array(
                    rename(h) if h.string[:1].isdigit() else h for h in attributes["Headers"])
    return finisher


def call(hook, *first):
    """A hook ("module:function", args) called with `first` before its own arguments."""
    path, args = hook
    return _resolve(path)(*first, *args)


def _context(path: str | None):
    return _resolve(path)() if path else nullcontext()


def _resolve(path: str):
    module, name = path.split(":")
    return getattr(importlib.import_module(module), name)
