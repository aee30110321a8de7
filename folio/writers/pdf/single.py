"""The single pass: the whole print HTML laid out by WeasyPrint at once, in this process, then
the hyphenation rounds and the pull-back of a carry-over (each a layout again), the page
labels, and the two editions written (folio.writers.pdf.editions).

Every block's element carries its stable id, which becomes the /ID of its structure element
in the tagged PDF, and the page map (build/.folio/pagemap.json) records where each landed."""
from __future__ import annotations

import hashlib
import logging
import re
from pathlib import Path

from ... import model as m
from ...diagnostics import FolioError, Kind, Location, Reporter
from ...i18n.numerals import page_label
from ...layout import carry, lines, pagemap
from ...layout.weasy import fixes as weasyprint_fixes
from ...layout.weasy import no_collector
from ...layout.weasy.fetcher import resolve, restricted_fetcher
from ...layout.weasy.notes import blank, lost_notes
from ...layout.weasy.tags import structure_ids
from ...model.walk import document_blocks
from ...project import Project
from ..hyphenate import Hints
from .editions import print_html, write_editions


def single_pass(doc: m.Document, project: Project, reporter: Reporter, html: str | None) -> list[Path]:
    """The whole print HTML laid out by WeasyPrint at once, in this process."""
    from ...layout.chunked.pool import discard
    discard()   # layout workers started by prepare() for nothing
    html = print_html(doc, project, reporter) if html is None else html
    document = render(html, project, reporter)
    block_ids = _block_ids(doc)
    html, document = settled(doc, project, reporter, html, document, block_ids)
    report_lost_notes(doc, document, html, reporter)
    no_running_heads_where_parts_open(doc, document)
    labels = page_labels(doc, document)
    with structure_ids():
        pdf = draw(document, project, reporter, pdf_variant="pdf/ua-1")
    blanks = {i for i, page in enumerate(document.pages) if blank(page._page_box)}
    written = write_editions(doc, project, pdf, labels, blanks)
    source_hash = hashlib.sha256(doc.text.encode("utf-8")).hexdigest()
    pagemap.save(project.out_dir, pagemap.build(document.pages, labels, block_ids, doc.source, source_hash))
    return written


HYPHEN_ROUNDS = 3         # layouts after the first, at most: words left whole or broken, laid out again


def _block_ids(doc: m.Document) -> frozenset:
    return frozenset(b.id for b in document_blocks(doc)) | {n.id for n in doc.footnotes.values()}


LAYOUTS = [0]             # layouts made in this process (a test's count: the rounds are folded)


def settled(doc, project, reporter, html: str, document, block_ids):
    """(html, document) once the rounds after the first layout are done, folded: the first
    layout's pages say at once which words to leave whole or break (folio.layout.lines) and
    which last pages to set tighter to pull a carry-over back (folio.layout.carry), and the
    next layout has both; it is laid out again only while its own lines ask for more hints.
    The hints for the parts set tighter are left to the tighter layout's own lines (those
    from the first layout were asked of lines it sets again). A report with a carry-over took
    four layouts (hints, pull-back, the pull-back's hints), now three, to the same pages where
    the hints do not move the carry-over. The tighter pages are kept only if the carry-over
    page is gone, else the pages are laid out with the hints alone; a carry-over that only the
    hinted pages show is pulled back as before."""
    hints = Hints()
    hinted = hints.add(*lines.review(document.pages, block_ids))
    facts = _carry_facts(document, block_ids)
    tight = carry.tight_regions(doc, facts)
    if not hinted and not tight:
        return html, document
    untight, hints = hints, _hints_outside(hints, doc, tight)
    folded_html, folded = _lines_set_again(doc, project, reporter, block_ids, hints, tight)
    if not tight:
        return _pull_back(doc, project, reporter, folded_html, folded, block_ids, hints)
    if carry.text_end(_carry_facts(folded, block_ids)) < carry.text_end(facts):
        return folded_html, folded
    if not hinted:          # the pull-back failed and nothing else was asked: the first layout
        return html, document
    html, document = _lines_set_again(doc, project, reporter, block_ids, untight)     # the pull-back failed
    return _pull_back(doc, project, reporter, html, document, block_ids, untight, tried=tight)


def _lines_set_again(doc, project, reporter, block_ids, hints: Hints, tight: frozenset = frozenset(),
                     rounds: int = HYPHEN_ROUNDS):
    """(html, document) laid out with the hints, and again while a round finds a word to leave
    whole or one to break (the hyphenation rules only a laid-out page shows: folio.layout.lines)."""
    for _ in range(rounds):
        html = print_html(doc, project, reporter, hints, tight)
        document = render(html, project, reporter)
        if not hints.add(*lines.review(document.pages, block_ids)):
            break
    return html, document


def _pull_back(doc, project, reporter, html: str, document, block_ids, hints: Hints,
               tried: frozenset = frozenset()):
    """(html, document) again with the last pages set tighter where a few lines stood alone on
    the last page of text (folio.layout.carry), if that takes them back; else as they were
    (`tried`: tight regions already found not to)."""
    facts = _carry_facts(document, block_ids)
    tight = carry.tight_regions(doc, facts)
    if not tight or tight == tried:
        return html, document
    tighter, again = _lines_set_again(doc, project, reporter, block_ids, _hints_outside(hints, doc, tight), tight)
    pulled = _carry_facts(again, block_ids)
    return (tighter, again) if carry.text_end(pulled) < carry.text_end(facts) else (html, document)


def _hints_outside(hints: Hints, doc, tight: frozenset) -> Hints:
    """A copy of the hints, less those for the blocks of the regions set tighter."""
    reset = carry.region_ids(doc, tight)
    return Hints(*({k: set(v) for k, v in asked.items() if k not in reset} for asked in (hints.keep, hints.allow)))


def _carry_facts(document, block_ids) -> list:
    return [pagemap.page_lines(page._page_box, block_ids)[:2] for page in document.pages]


# The ids the print templates give the regions that are not parts.
REGION_IDS = {"cover": "cover", "blank": "inside-cover", "title-page": "title-page", "imprint": "imprint",
              "contents": "contents", "editorial-note": "editorial-note", "back-cover": "back-cover"}


def render(html: str, project: Project, reporter: Reporter):
    """Lay the print HTML out (FolioError after a located error for each refused fetch)."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    LAYOUTS[0] += 1
    refused: list[str] = []
    fetcher = restricted_fetcher(project, refused, _unused_faces_left_out(html, project))
    weasyprint_fixes()
    with no_collector(), _quiet_weasyprint():
        document = HTML(string=html, base_url=project.root.as_uri() + "/", url_fetcher=fetcher) \
            .render(font_config=FontConfiguration())
    document.folio_refused = refused
    _report_refused(refused, project, reporter)
    return document


def _unused_faces_left_out(html: str, project: Project):
    """A stylesheet filter: the faces of scripts the document does not use are not loaded
    (folio.writers.font_faces). Font-family lists count wherever they are: in the page, in
    every stylesheet it links that the fetcher would serve (resolve: a sheet outside the
    project, a device such as /dev/zero or a link out is never opened here either)."""
    from ..font_faces import text_of, without_unused_faces

    needed = text_of(html)
    sheets = [found for found in (resolve(url, project) for url in LINKED.findall(html)) if found]
    others = html + "".join(_read(path) for path in sheets)
    return lambda css, url: without_unused_faces(css, url, needed, others)


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return ""


LINKED = re.compile(r'<link rel="stylesheet" href="([^"]+)">')


def draw(document, project: Project, reporter: Reporter, **options) -> bytes:
    """The PDF of a laid-out document. An SVG fetches the files it names only now, when it is
    drawn: its refused fetches are reported here (they were lost before)."""
    with no_collector(), _quiet_weasyprint():
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


def report_lost_notes(doc: m.Document, document, html: str, reporter: Reporter) -> None:
    warn_lost_notes(doc, lost_notes(document, html), reporter)


def warn_lost_notes(doc: m.Document, labels, reporter: Reporter) -> None:
    for label in labels:
        note = doc.footnotes.get(label)
        reporter.warning(note.loc if note else Location(doc.source), f"note '[^{label}]' is not printed"
                         " in full: one of its paragraphs is taller than the room for notes on a page,"
                         " and the PDF cannot break it across pages; split it into shorter paragraphs",
                         Kind.RENDER)


def no_running_heads_where_parts_open(doc: m.Document, document) -> None:
    """A page that a part opens (a chapter opening its page, the report's first page) prints no
    running head: CSS cannot tell such a page from one where a chapter starts lower down, so
    the heads are taken off the laid-out page here. A chapter that runs on and happens to start
    at the top of a page opens nothing: that page keeps its head (part_heads)."""
    from weasyprint.formatting_structure import boxes

    heads = part_heads(doc)
    for page in document.pages:
        if pagemap.first_line_owners(page._page_box, heads) & heads:
            frame = page._page_box
            frame.children = [c for c in frame.children if not (isinstance(c, boxes.MarginBox)
                                                                and c.at_keyword.startswith("@top-"))]


def part_heads(doc: m.Document) -> frozenset:
    """The ids of the headings of the parts that open a page (not those that run on): a page
    whose first line is one prints no running head."""
    return frozenset(r.part.heading.id for r in doc.composition
                     if r.part is not None and r.part.heading and r.opens != "continue")


def page_labels(doc: m.Document, document) -> list[str]:
    """The printed number of every page, as the composition numbers its regions: each region's
    style runs from the page its first element landed on, a restart counts from 1, and pages
    that carry no number (the covers) are named."""
    return [page_label(n, style) if n is not None else style for n, style in page_numbers(doc, document)]


def page_numbers(doc: m.Document, document) -> list[tuple[int | None, str]]:
    """page_labels before formatting: (count, numbering style) of a numbered page, (None, its
    name) of one that carries no number. The chunked route sets its frames' counters from it."""
    starts: dict[int, list[m.Region]] = {}
    for region in doc.composition:
        anchor = _anchor(region)
        if anchor:
            starts.setdefault(first_page_with(document, anchor), []).append(region)
    numbers, current, count = [], None, 0
    for index in range(len(document.pages)):
        for region in starts.get(index, []):
            current = region
            count = 0 if region.restart else count
        if current is None or current.numbering == "none":
            key = (current.kind if current else "cover").replace("-", "_")
            numbers.append((None, doc.terms.get({"blank": "inside_cover"}.get(key, key), "")))
            continue
        count += 1
        numbers.append((count, current.numbering))
    return numbers


def _anchor(region: m.Region) -> str:
    """The id of a region's first element in the print HTML."""
    if region.part is not None:
        return region.part.heading.id if region.part.heading else ""
    return REGION_IDS.get(region.kind, "")


def first_page_with(document, anchor: str) -> int:
    for index, page in enumerate(document.pages):
        if anchor in page.anchors:
            return index
    return len(document.pages)


class _quiet_weasyprint:
    """WeasyPrint logs refused fetches itself; folio reports them as located errors instead."""

    def __enter__(self):
        self.logger = logging.getLogger("weasyprint")
        self.level = self.logger.level
        self.logger.setLevel(logging.CRITICAL)

    def __exit__(self, *exc):
        self.logger.setLevel(self.level)
