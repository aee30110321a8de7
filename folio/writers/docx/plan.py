"""The DOCX plan: everything the Word edition's body and notes carry, in the writer's order,
decided once. Each paragraph has the id the source map gives it, its style, the text folio
generates at its head (numbers, list markers, labels) and the source inlines that follow;
tables, the contents and the notes hold their paragraphs.

It is the one walk of the model for the Word file: the writer (body.py; __init__.py for the
sections and the contents' field) turns each planned item into XML and decides nothing about
what a paragraph is, and the import (`folio import-docx`) reads the same plan to know what
the Word file showed for each source paragraph instead of keeping a second DOCX renderer. A
test checks that the plan equals the paragraphs of word/document.xml for every test document.
The walk itself is planner.py (planner_folio.py for the contents and the editorial note)."""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from ... import model as m
from ...model.boxes import KINDS

# Bullets by depth, each in the text face (Times New Roman, Liberation Serif), and the deepest
# level with a style of its own ("List Bullet 5", as Word's built-in names go); deeper lists
# share it. The bullet of each depth is the locale's (folio.i18n.locale).
LIST_DEPTHS = 5
BOX_STYLES = {kind: f"Box {kind.title()}" for kind in KINDS}     # "Box Note" … "Box Caution"
# A document's masthead (a corrigendum, corrigendum/document.py): its divs' paragraph styles,
# as print.css sets them (the symbol at the right, the issue lines stacked at the right).
DIV_STYLES = {"masthead-symbol": "Masthead Symbol", "masthead-issue": "Masthead Issue"}
# ... and its two headings (the corrected document's title under the masthead's rule, and
# "Corrigendum" centred), set as print.css sets them, not as a chapter (in capitals, hanging).
DOCUMENT_HEADINGS = {"corrected-title": "Document Title", "corrigendum": "Document Subtitle"}
NOTE_NUMBER = "note-number"     # a Lead's role: the note's own number (Word's w:footnoteRef)


def div_style(classes, style: str, has_style) -> str:
    """The paragraph style of a div that is no box: its class's when the project's styles
    define it (an older styles/docx-styles.yaml may not), else the surrounding one."""
    return next((DIV_STYLES[name] for name in classes if name in DIV_STYLES
                 and has_style(DIV_STYLES[name])), style)


def list_style(kind: str, depth: int) -> str:
    """'List Bullet', 'List Bullet 2', … 'List Bullet 5' for depth 0, 1, … 4 and deeper."""
    level = min(depth, LIST_DEPTHS - 1) + 1
    return kind + (f" {level}" if level > 1 else "")


def heading_style(h: m.Heading, has_style=lambda name: True) -> str:
    """A front-matter part (PREFACE) is centred, as in print; a chapter hangs after its
    number, and one without a number does not hang (when the styles have that style)."""
    if h.kind == "part":
        return "Part Heading"
    if h.id in DOCUMENT_HEADINGS and has_style(DOCUMENT_HEADINGS[h.id]):
        return DOCUMENT_HEADINGS[h.id]
    if h.level == 1 and not h.number and has_style("Heading 1 Unnumbered"):
        return "Heading 1 Unnumbered"
    return f"Heading {min(h.level, 4)}"


def list_marker(ordered: bool, start: int, index: int, depth: int, bullets: tuple) -> str:
    return f"{start + index}." if ordered else bullets[min(depth, LIST_DEPTHS - 1, len(bullets) - 1)]


def bullets(doc: m.Document) -> tuple:
    """The locale's bullets by depth (a model made without a locale, in a test: one bullet)."""
    return doc.locale.bullets if doc.locale is not None else ("•",)


@dataclass(frozen=True)
class Lead:
    """Text folio writes at a paragraph's head, with what it is and where to change it, and
    how the writer sets it: a character style, a bookmark around its number (which REF
    fields cite), or a field whose stored result it is (a PAGEREF's page). "\n" is a line
    break."""

    text: str
    what: str = ""
    hint: str = ""
    style: str = ""            # the character style's name ("" for none)
    mark: str = ""             # the label whose number bookmark wraps text[cut[0]:cut[1]]
    cut: tuple = ()            # (start, end) of the number in text: written as a run of its own
    ref: str = ""              # a PAGEREF to this label's bookmark, text its stored result
    role: str = ""             # NOTE_NUMBER: the writer puts Word's own note mark there


def numbered(before: str, number: str, after: str, what: str, hint: str, mark: str = "",
             style: str = "") -> Lead:
    """A lead holding a number (a heading's, a table's): the number a run of its own."""
    return Lead(before + number + after, what, hint, style, mark, (len(before), len(before) + len(number)))


@dataclass
class Planned:
    """One paragraph of the Word file."""

    id: str                    # the source map's name ("" for what folio makes: contents, abbreviations)
    kind: str                  # heading | paragraph | item | cell | caption | footnote | generated | folio
    style: str                 # the style's name, as in styles/docx-styles.yaml
    lead: list = field(default_factory=list)      # Lead
    inlines: list = field(default_factory=list)   # the model's inline nodes
    line: int = 0              # the source line its text starts on
    block: object = None       # the model block whose id it carries
    level: int = 0             # headings
    follows: bool = False      # its text runs on from the previous paragraph's (a row's cells)
    lost: bool = False         # a lost part's heading: its gap shows why the part is lost
    hint: str = ""             # generated paragraphs: where a change to them belongs
    # how the writer sets it
    anchor: str = ""           # a bookmark named after this label around its whole text
    link: str = ""             # an internal hyperlink to this label around its whole text
    flags: frozenset = frozenset()     # the inlines' character flags ({"strong"}: a bold title)
    align: str | None = None   # a table cell's column alignment
    picture: str = ""          # a figure's image (its source's src)
    plain: bool = False        # a code block's lines: plain runs, no character style
    closes: list = field(default_factory=list)    # blocks whose paragraphs the source map takes after this one


@dataclass
class PlannedTable:
    """A table after its caption paragraph: rows of cells, each the items written in it (a
    cell of a grid table holds its blocks'), None for a place a cell from above covers."""

    style: str
    rows: list
    spans: list                # per row, per cell: (columns it spans, its w:vMerge)
    columns: int
    header_rows: int = 0
    first_width: int = 0       # twips of a fixed first column (the abbreviations'); 0: equal columns


@dataclass
class PlannedContents:
    """The contents: a title, then the entries inside one TOC field."""

    title: Planned
    entries: list
    depth: int                 # the levels the TOC field gathers when Word updates it


@dataclass
class PlannedNote:
    """A note's items, and its guests: the notes first called from its text, which follow it
    in its w:footnote (Word has no note in a note), each number as text in a bookmark."""

    note: m.Footnote
    items: list
    guests: list = field(default_factory=list)      # PlannedNote


@dataclass
class PlannedRegion:
    region: m.Region
    items: list


@dataclass
class Plan:
    regions: list
    notes: list                # PlannedNote: the notes called from the text, in call order
    paragraphs: list           # every source and generated paragraph in the writer's order (the import's view)
    written: list = field(default_factory=list)     # every paragraph, the folio ones too


def in_items(items):
    """The paragraphs among items, in order, a table's cells included."""
    for item in items:
        if isinstance(item, PlannedTable):
            for row in item.rows:
                for cell in row:
                    yield from in_items(cell or ())
        elif isinstance(item, PlannedContents):
            yield item.title
            yield from item.entries
        else:
            yield item


def paginate(plan: Plan, pages: dict) -> None:
    """Put the pages in: the writer plans before it knows them (its estimate of the pages reads
    the plan), and the contents' and the editorial note's page numbers are the pages'."""
    for planned in plan.written:
        if any(lead.ref for lead in planned.lead):
            planned.lead = [replace(lead, text=pages.get(lead.ref, "")) if lead.ref else lead for lead in planned.lead]
