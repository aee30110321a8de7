"""The DOCX paragraph plan: every paragraph the Word edition carries that comes from the source,
in the writer's order, with the id the source map gives it, its style, the text folio generates
at its head (numbers, list markers, labels) and the source inlines that follow.

It is the one description of those paragraphs: the writer (body.py) takes its markers, labels
and style names from here, and the import (`folio import-docx`) reads the plan to know what
the Word file showed for each source paragraph instead of keeping a second DOCX renderer. A
test checks that the plan equals the paragraphs of word/document.xml for every test document.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ... import model as m
from ...i18n import numerals, wording
from ...i18n.locale import paragraph_mark
from ...model.boxes import KINDS, box_kind
from ...model.text import is_lost
from ...model.walk import note_guests
from ...ooxml.ids import paragraph_id

# Bullets by depth, each in the text face (Times New Roman, Liberation Serif), and the deepest
# level with a style of its own ("List Bullet 5", as Word's built-in names go); deeper lists
# share it. The bullet of each depth is the locale's (folio.i18n.locale).
LIST_DEPTHS = 5
BOX_STYLES = {kind: f"Box {kind.title()}" for kind in KINDS}     # "Box Note" … "Box Caution"
# A document's masthead (a corrigendum, corrigendum/document.py): its divs' paragraph styles,
# as print.css sets them (the symbol at the right, the issue lines stacked at the right).
DIV_STYLES = {"masthead-symbol": "Masthead Symbol", "masthead-issue": "Masthead Issue"}


def div_style(classes, style: str, known) -> str:
    """The paragraph style of a div that is no box: its class's when the project's styles
    define it (an older styles/docx-styles.yaml may not), else the surrounding one."""
    return next((DIV_STYLES[name] for name in classes if name in DIV_STYLES
                 and DIV_STYLES[name].casefold() in known), style)


def list_style(kind: str, depth: int) -> str:
    """'List Bullet', 'List Bullet 2', … 'List Bullet 5' for depth 0, 1, … 4 and deeper."""
    level = min(depth, LIST_DEPTHS - 1) + 1
    return kind + (f" {level}" if level > 1 else "")


def heading_style(h: m.Heading, has_style=lambda name: True) -> str:
    """A front-matter part (PREFACE) is centred, as in print; a chapter hangs after its
    number, and one without a number does not hang (when the styles have that style)."""
    if h.kind == "part":
        return "Part Heading"
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
    """Text folio writes at a paragraph's head, with what it is and where to change it."""

    text: str
    what: str = ""
    hint: str = ""


@dataclass
class Planned:
    id: str                    # the source map's name ("" for what folio makes: contents, abbreviations)
    kind: str                  # heading | paragraph | item | cell | caption | footnote | generated
    style: str                 # the style's name, as in styles/docx-styles.yaml
    lead: list = field(default_factory=list)      # Lead
    inlines: list = field(default_factory=list)   # the model's inline nodes
    line: int = 0              # the source line its text starts on
    block: object = None       # the model block
    level: int = 0             # headings
    follows: bool = False      # its text runs on from the previous paragraph's (a row's cells)
    lost: bool = False         # a lost part's heading: its gap shows why the part is lost
    hint: str = ""             # generated paragraphs: where a change to them belongs


def plan(doc: m.Document, pages: dict | None = None) -> list[Planned]:
    """The paragraphs of doc's Word edition that come from the source, in the writer's order
    (folio's composition, then the notes in call order). pages: label -> page shown."""
    planner = _Planner(doc, pages or {})
    for region in doc.composition:
        if region.kind == "contents":
            planner.contents()
        elif region.part is not None:
            part = region.part
            planner.blocks(([part.heading] if part.heading else []) + part.blocks)
            if part.heading is not None and "abbreviations" in part.heading.classes:
                planner.abbreviation_table()
    guests = note_guests(doc)
    for note in doc.footnote_order:
        if not note.host:       # a note called from a note follows its host (Word has no note in a note)
            for each in [note, *guests.get(note.label, ())]:
                planner.footnote(each)
    return planner.out


class _Planner:
    def __init__(self, doc: m.Document, pages: dict):
        self.doc, self.pages, self.terms = doc, pages, doc.terms or {}
        self.out: list[Planned] = []
        self.in_footnote = False
        self.seen: dict[str, int] = {}

    def add(self, block, kind: str, style: str, lead: list, inlines, line: int = 0, index: int | None = None,
            **more) -> None:
        ident = getattr(block, "id", "") or ""
        if index is not None:
            ident = paragraph_id(ident, index)
        self.out.append(Planned(ident, kind, style, lead, list(inlines), line or block.loc.line, block, **more))

    def blocks(self, blocks, style: str = "Normal") -> None:
        for block in blocks:
            getattr(self, "block_" + type(block).__name__, self.block_other)(block, style)

    def block_other(self, block, style: str) -> None:
        return None

    def block_Heading(self, h: m.Heading, style: str) -> None:
        lead = [Lead(f"{numerals.labelled(h.number)}\t", "a heading number",
                     "numbers are given by the source's order and {number=…}")] if h.number else []
        self.add(h, "heading", heading_style(h), lead, h.children, level=h.level, lost=is_lost(h))

    def block_Paragraph(self, p: m.Paragraph, style: str, lead=None, kind: str = "paragraph") -> None:
        lead = list(lead or [])
        if p.number:
            lead.insert(0, Lead(f"{numerals.own(p.number)}{paragraph_mark(self.doc.locale)}\t", "a paragraph number",
                                "paragraph numbers are generated"))
        self.add(p, kind, "Numbered Paragraph" if p.number and style == "Normal" else style, lead, p.children)

    def block_GapBlock(self, g: m.GapBlock, style: str) -> None:
        self.add(g, "paragraph", "Gap Block", [], [g.gap])

    def block_BlockQuote(self, q: m.BlockQuote, style: str) -> None:
        self.blocks(q.blocks, "Quote")

    def block_ListBlock(self, lst: m.ListBlock, style: str, depth: int = 0) -> None:
        name = list_style("List Number" if lst.ordered else "List Bullet", depth)
        for n, item in enumerate(lst.items):
            first = True
            for block in item.blocks:
                if isinstance(block, m.ListBlock):
                    self.block_ListBlock(block, style, depth + 1)
                elif isinstance(block, m.Paragraph) and first:
                    marker = list_marker(lst.ordered, lst.start, n, depth, bullets(self.doc))
                    lead = [Lead(marker + "\t", "a list marker", "list markers are generated")]
                    self.add(block, "item", name, lead, block.children)
                else:
                    self.blocks([block], list_style("List Continue", depth))
                first = False

    def block_CodeBlock(self, c: m.CodeBlock, style: str) -> None:
        lines = c.text.rstrip("\n").split("\n")
        inlines = [x for n, line in enumerate(lines) for x in ([m.LineBreak()] if n else []) + [m.Code(line)]]
        self.add(c, "paragraph", "Code Block", [], inlines)

    def block_Rule(self, r: m.Rule, style: str) -> None:
        self.add(r, "paragraph", "Horizontal Rule", [], [])

    def block_Table(self, t: m.Table, style: str) -> None:
        index = 0      # the writer's order: the caption, then the cells row by row
        if t.number or t.caption:
            line = t.caption[0].loc.line if t.caption and t.caption[0].loc.line else t.loc.last_line
            word = wording.caption_label("table", None, self.terms)
            lead = [Lead(f"{word} {numerals.own(t.number)}", "a table number", "tables are numbered in order")] \
                if t.number else []
            lead += [Lead("\n")] if t.caption else []
            self.add(t, "caption", "Caption", lead, t.caption, line=line, index=index)
            index += 1
        for r, row in enumerate(t.head + t.body):
            style = "Table Heading" if r < len(t.head) else "Table Text"
            for c, cell in enumerate(row):
                if cell.blocks:            # a grid table's cell of blocks: each is its own
                    self.blocks(cell.blocks, style)
                    continue
                line = next((n.loc.line for n in cell.children if getattr(n, "loc", None) and n.loc.line), 0)
                self.add(t, "cell", style, [], cell.children, line=line, index=index, follows=bool(r or c))
                index += 1

    def block_Figure(self, f: m.Figure, style: str) -> None:
        word = wording.caption_label("figure", None, self.terms)
        lead = [Lead(f"{word} {numerals.own(f.number)}. ", "a figure number", "figures are numbered in order")]
        self.add(f, "paragraph", "Figure", [], [], index=0)        # the picture: no text
        self.add(f, "caption", "Caption", lead, f.caption, index=1)

    def block_DefinitionList(self, dl: m.DefinitionList, style: str) -> None:
        # Each term, then its definitions' blocks; the terms are the list's own paragraphs (its
        # id, then #1, #2 …), the definitions' blocks are theirs, their lists a level in.
        term_style, text_style = ("Footnote Text", "Footnote Text") if self.in_footnote else \
            ("Definition Term", "Definition")
        for n, item in enumerate(dl.items):
            self.add(dl, "paragraph", term_style, [], item.term, line=item.loc.line or dl.loc.line, index=n)
            for definition in item.definitions:
                for block in definition:
                    if isinstance(block, m.ListBlock):
                        self.block_ListBlock(block, text_style, 1)
                    else:
                        self.blocks([block], text_style)

    def block_Div(self, d: m.Div, style: str) -> None:
        kind = box_kind(d.classes)
        if not kind:
            self.blocks(d.blocks, style)
            return
        nested = style in BOX_STYLES.values() or self.in_footnote
        lead = [] if d.title else [Lead(self.terms.get("boxes", {}).get(kind, ""), "a box title",
                                        "the title comes from the div's class: write ::: {." + kind
                                        + ' title="…"} to give it one')]
        self.add(d, "paragraph", style if nested else "Box Title", lead, d.title)
        self.blocks(d.blocks, style if self.in_footnote else BOX_STYLES[kind])

    def footnote(self, note: m.Footnote) -> None:
        """A note's blocks in its style; its number at the head of the first (on a paragraph
        of its own when the note does not open with one)."""
        self.in_footnote = True
        lead = Lead(f"{numerals.own(note.number)} ", "a note number", "notes are numbered in the order they are called")
        first = len(self.out)
        self.blocks(note.blocks, "Footnote Text")
        for planned in self.out[first:]:      # the import pairs a note's paragraphs with notes
            planned.kind = "footnote" if planned.kind != "generated" else planned.kind
        planned = self.out[first] if first < len(self.out) else None
        if planned is not None and planned.style == "Footnote Text":
            planned.lead.insert(0, lead)
        else:
            self.out.insert(first, Planned("", "generated", "Footnote Text", [lead], [], note.loc.line, note,
                                           hint=lead.hint))
        self.in_footnote = False

    # ---- what folio makes from the source: the contents, the abbreviation table -------------

    def contents(self) -> None:
        doc = self.doc
        headings = {p.heading.id: p.heading.loc.line for p in doc.parts if p.heading}
        headings.update({t.id: t.loc.line for t in doc.targets.values()})
        for entry in doc.contents:
            title = wording.contents_title(entry, self.terms)         # the heading's own text
            text = (f"{numerals.own(entry.number)}.\t" if entry.number else "") + title + "\t" + \
                self.pages.get(entry.target, "")
            self.generated(text, f"TOC {min(entry.level, 3)}", "the contents are made from the headings:"
                           " change the heading here", headings.get(entry.target, 0))

    def abbreviation_table(self) -> None:
        for abbr in self.doc.abbreviation_table:
            hint = f"the table is made from the definitions: change '*[{abbr.abbr}]: …' here"
            self.generated(abbr.abbr, "Abbreviation Entry", hint, abbr.loc.line)
            self.generated(abbr.expansion, "Abbreviation Entry", hint, abbr.loc.line)

    def generated(self, text: str, style: str, hint: str, line: int) -> None:
        self.out.append(Planned("", "generated", style, [Lead(text, "generated", hint)], [], line, hint=hint))
