"""The one walk of the model for the Word edition: folio's composition, then the notes in call
order, into the records of plan.py.

Every decision about a paragraph is taken here (its style, the number, marker or label at its
head, its id, the bookmark around it); the writer only turns records into XML. The source map
names a paragraph after the innermost block that holds it and takes it once that block is
written: `closes` on a block's last paragraph says so, and keeps the writer's bookmark ids in
the order they have always been given.
"""
from __future__ import annotations

from ... import model as m
from ...i18n import numerals, wording
from ...i18n.locale import paragraph_mark
from ...model import grid
from ...model.boxes import box_kind
from ...model.text import is_lost
from ...model.walk import note_guests
from ...ooxml.ids import paragraph_id
from .plan import (
    BOX_STYLES,
    NOTE_NUMBER,
    Lead,
    Plan,
    Planned,
    PlannedNote,
    PlannedRegion,
    PlannedTable,
    bullets,
    div_style,
    heading_style,
    list_marker,
    list_style,
    numbered,
)
from .planner_folio import abbreviation_table, contents, editorial_note


class Planner:
    def __init__(self, doc: m.Document, pages: dict, has_style):
        self.doc, self.pages, self.terms, self.has_style = doc, pages, doc.terms or {}, has_style
        self.flat: list[Planned] = []          # every paragraph, in order
        self.sink: list = []                   # the list the next item goes into
        self.in_footnote = False

    def run(self) -> Plan:
        regions = []
        for region in self.doc.composition:
            self.sink = []
            if region.kind == "contents":
                self.sink.append(contents(self))
            elif region.kind == "editorial-note":
                editorial_note(self)
            elif region.part is not None:
                part = region.part
                self.blocks(([part.heading] if part.heading else []) + part.blocks)
                if part.heading is not None and "abbreviations" in part.heading.classes:
                    self.sink.append(abbreviation_table(self))
            regions.append(PlannedRegion(region, self.sink))
        notes = []
        guests = note_guests(self.doc)
        for note in self.doc.footnote_order:
            if not note.host:       # a note called from a note follows its host (Word has no note in a note)
                notes.append(self.footnote(note))
                notes[-1].guests = [self.footnote(guest) for guest in guests.get(note.label, ())]
        return Plan(regions, notes, [p for p in self.flat if p.kind != "folio"], self.flat)

    def add(self, block, kind: str, style: str, lead: list, inlines, line: int = 0, index: int | None = None,
            **more) -> Planned:
        ident = getattr(block, "id", "") or ""
        if index is not None:
            ident = paragraph_id(ident, index)
        planned = Planned(ident, kind, style, lead, list(inlines), line or block.loc.line, block, **more)
        self.flat.append(planned)
        self.sink.append(planned)
        return planned

    def blocks(self, blocks, style: str = "Normal") -> None:
        for block in blocks:
            before = len(self.flat)
            getattr(self, "block_" + type(block).__name__, self.block_other)(block, style)
            if len(self.flat) > before:
                self.flat[-1].closes.append(block)

    def block_other(self, block, style: str) -> None:
        return None

    def block_Heading(self, h: m.Heading, style: str) -> None:
        own = numerals.own(h.number)          # the field's result; the locale's mark after it
        lead = [numbered("", own, numerals.labelled(h.number)[len(own):] + "\t", "a heading number",
                         "numbers are given by the source's order and {number=…}", h.id)] if h.number else []
        self.add(h, "heading", heading_style(h, self.has_style), lead, h.children, level=h.level,
                 lost=is_lost(h), anchor=h.id)

    def block_Paragraph(self, p: m.Paragraph, style: str) -> None:
        mark = paragraph_mark(self.doc.locale) + "\t"      # "1." ; Arabic "1 -"
        lead = [numbered("", numerals.own(p.number), mark, "a paragraph number", "paragraph numbers are generated",
                         p.label)] if p.number else []
        self.add(p, "paragraph", "Numbered Paragraph" if p.number and style == "Normal" else style, lead,
                 p.children, anchor=p.id if p.label else "")

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
                    planned = self.add(block, "item", name, lead, block.children)
                    planned.closes.append(block)
                else:
                    self.blocks([block], list_style("List Continue", depth))
                first = False

    def block_CodeBlock(self, c: m.CodeBlock, style: str) -> None:
        lines = c.text.rstrip("\n").split("\n")
        inlines = [x for n, line in enumerate(lines) for x in ([m.LineBreak()] if n else []) + [m.Code(line)]]
        self.add(c, "paragraph", "Code Block", [], inlines, plain=True)

    def block_Rule(self, r: m.Rule, style: str) -> None:
        self.add(r, "paragraph", "Horizontal Rule", [], [])

    def block_Table(self, t: m.Table, style: str) -> None:
        index = 0      # the writer's order: the caption, then the cells row by row
        if t.number or t.caption:
            line = t.caption[0].loc.line if t.caption and t.caption[0].loc.line else t.loc.last_line
            word = wording.caption_label("table", None, self.terms)
            lead = [numbered(word + " ", numerals.own(t.number), "", "a table number", "tables are numbered in order",
                             t.label, "Caption Label")] if t.number else []
            lead += [Lead("\n")] if t.caption else []
            self.add(t, "caption", "Caption", lead, t.caption, line=line, index=index,
                     anchor=t.id if t.label else "")
            index += 1
        outer, rows, spans = self.sink, [], []
        for section, style in ((t.head, "Table Heading"), (t.body, "Table Text")):
            for slots in grid.layout(section):      # a place covered from above: None
                cells = []
                for s in slots:
                    self.sink = []
                    if s.first:
                        index = self.cell(t, s.cell, style, index, bool(rows or cells))
                    cells.append(self.sink if s.first else None)
                rows.append(cells)
                spans.append([(max(1, s.cell.colspan), _merge(s)) for s in slots])
        self.sink = outer
        columns = max(grid.width(t.head), grid.width(t.body), 1)
        self.sink.append(PlannedTable("Data Table", rows, spans, columns, header_rows=len(t.head)))

    def cell(self, t: m.Table, cell: m.TableCell, style: str, index: int, follows: bool) -> int:
        """A cell's paragraph, or a grid table's cell of blocks (each its own; Word needs a
        paragraph at least); the index of the table's next paragraph."""
        if cell.blocks:
            self.blocks(cell.blocks, style)
            if self.sink:
                return index
        line = next((n.loc.line for n in cell.children if getattr(n, "loc", None) and n.loc.line), 0)
        align = {"center": "center", "right": "right"}.get(cell.align)
        self.add(t, "cell", style, [], cell.children, line=line, index=index, follows=follows,
                 align=None if cell.blocks else align)
        return index + 1

    def block_Figure(self, f: m.Figure, style: str) -> None:
        word = wording.caption_label("figure", None, self.terms)
        lead = [numbered(word + " ", numerals.own(f.number), ". ", "a figure number", "figures are numbered in order",
                         f.label, "Caption Label")]
        self.add(f, "paragraph", "Figure", [], [], index=0, picture=f.src)        # the picture: no text
        self.add(f, "caption", "Caption", lead, f.caption, index=1, anchor=f.id if f.label else "")

    def block_DefinitionList(self, dl: m.DefinitionList, style: str) -> None:
        # Each term, then its definitions' blocks; the terms are the list's own paragraphs (its
        # id, then #1, #2 …), the definitions' blocks are theirs, their lists a level in (in a
        # note: the note's text, the term in bold).
        term_style, text_style = ("Footnote Text", "Footnote Text") if self.in_footnote else \
            ("Definition Term", "Definition")
        flags = frozenset({"strong"}) if self.in_footnote else frozenset()
        for n, item in enumerate(dl.items):
            self.add(dl, "paragraph", term_style, [], item.term, line=item.loc.line or dl.loc.line, index=n,
                     flags=flags)
            for definition in item.definitions:
                for block in definition:
                    if isinstance(block, m.ListBlock):
                        self.block_ListBlock(block, text_style, 1)
                    else:
                        self.blocks([block], text_style)

    def block_Div(self, d: m.Div, style: str) -> None:
        """A box: its title above it, then its blocks in its kind's style, whose borders Word
        draws as one frame; a box in a box is inside its frame, the title in bold (so in a note,
        in the note's style). Any other div: its blocks as they are."""
        kind = box_kind(d.classes)
        if not kind:
            self.blocks(d.blocks, div_style(d.classes, style, self.has_style))
            return
        nested = style in BOX_STYLES.values() or self.in_footnote
        bold = "Strong" if nested else ""
        lead = [] if d.title else [Lead(self.terms.get("boxes", {}).get(kind, ""), "a box title",
                                        "the title comes from the div's class: write ::: {." + kind
                                        + ' title="…"} to give it one', style=bold)]
        self.add(d, "paragraph", style if nested else "Box Title", lead, d.title,
                 flags=frozenset({"strong"}) if nested else frozenset())
        self.blocks(d.blocks, style if self.in_footnote else BOX_STYLES[kind])

    def footnote(self, note: m.Footnote) -> PlannedNote:
        """A note's blocks in its style; its number at the head of the first (on a paragraph
        of its own when the note does not open with one)."""
        self.in_footnote, self.sink = True, []
        lead = Lead(f"{numerals.own(note.number)} ", "a note number", "notes are numbered in the order they are called",
                    role=NOTE_NUMBER)
        first = len(self.flat)
        self.blocks(note.blocks, "Footnote Text")
        for planned in self.flat[first:]:      # the import pairs a note's paragraphs with notes
            planned.kind = "footnote" if planned.kind != "generated" else planned.kind
        planned = self.sink[0] if self.sink else None
        if isinstance(planned, Planned) and planned.style == "Footnote Text":
            planned.lead.insert(0, lead)
        else:
            planned = Planned("", "generated", "Footnote Text", [lead], [], note.loc.line, note, hint=lead.hint)
            self.flat.insert(first, planned)
            self.sink.insert(0, planned)
        self.in_footnote = False
        return PlannedNote(note, self.sink)

    def generated(self, text: str, style: str, hint: str, line: int, kind: str = "generated", **more) -> Planned:
        """A paragraph folio makes (its id is ""): the contents, the abbreviations, the
        editorial note; kind "folio" for what the import does not read."""
        lead = [x if isinstance(x, Lead) else Lead(x, "generated", hint) for x in
                (text if isinstance(text, list) else [text])]
        planned = Planned("", kind, style, lead, [], line, hint=hint, **more)
        self.flat.append(planned)
        self.sink.append(planned)
        return planned


def layout(doc: m.Document, pages: dict | None = None, has_style=lambda name: True) -> Plan:
    """The Word file's plan for doc. pages: label -> page shown; has_style: whether the
    document's styles define a style (the import assumes they all do)."""
    return Planner(doc, pages or {}, has_style).run()


def plan(doc: m.Document, pages: dict | None = None) -> list[Planned]:
    """The paragraphs of doc's Word edition that come from the source, and those folio
    generates from it (contents, abbreviations), in the writer's order (folio's composition,
    then the notes in call order)."""
    return layout(doc, pages).paragraphs


def _merge(slot: grid.Slot) -> str | None:
    """A cell's w:vMerge: it starts a merge down the rows, continues one, or neither."""
    if not slot.first:
        return "continue"
    return "restart" if slot.cell.rowspan > 1 else None

