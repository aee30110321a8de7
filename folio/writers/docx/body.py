"""Model blocks → WordprocessingML elements, in one pass, each paragraph and run in a named style."""
from __future__ import annotations

import io

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part
from docx.oxml.ns import qn
from docx.shared import Emu

from ... import model as m
from ...i18n import numerals, wording
from ...i18n.locale import paragraph_mark
from ...links import safe_href
from ...model import grid
from ...model.boxes import box_kind
from ...model.text import is_lost
from . import oxml
from .names import Bookmarks
from .plan import BOX_STYLES, bullets, div_style, heading_style, list_marker, list_style
from .scripts import segments


class Story:
    """Writes blocks for one story (the body, or the footnotes) of the DOCX."""

    def __init__(self, ctx):
        self.ctx = ctx                     # the shared state of this write (see __init__.Context)
        self.part = ctx.document_part      # the part that owns relationships (links, images)
        self.in_footnote = False

    # ---- helpers --------------------------------------------------------------------

    def sid(self, name: str) -> str:
        return self.ctx.styles.id(name)

    def para(self, style: str, children=(), align: str | None = None):
        return oxml.paragraph(self.sid(style), children, align)

    @property
    def marks(self) -> Bookmarks:
        return self.ctx.bookmarks

    def wrap(self, label: str, children: list) -> list:
        """children inside a bookmark named after label."""
        ident = self.marks.new_id()
        return [oxml.bookmark_start(ident, self.marks.name(label)), *children, oxml.bookmark_end(ident)]

    def numbered(self, label: str, number: str, suffix: str, style: str | None = None) -> list:
        """'12' + suffix, with a bookmark around the number alone when something may cite it."""
        runs = [oxml.run(number, style)]
        if label:
            ident = self.marks.new_id()
            runs = [oxml.bookmark_start(ident, self.marks.number_name(label)), *runs, oxml.bookmark_end(ident)]
        return runs + ([oxml.run(suffix, style)] if suffix else [])

    # ---- blocks ----------------------------------------------------------------------

    def blocks(self, blocks, out: list, style: str = "Normal") -> list:
        for block in blocks:
            before = len(out)
            getattr(self, "block_" + type(block).__name__)(block, out, style)
            self.ctx.source_map.mark(block, out[before:])
        return out

    def block_Heading(self, h: m.Heading, out: list, style: str) -> None:
        children = []
        if h.number:
            own = numerals.own(h.number)       # the field's result; the locale's mark after it
            children += self.numbered(h.id, own, numerals.labelled(h.number)[len(own):] + "\t")
        children += self.lost_title(h) if is_lost(h) else self.inlines(h.children)
        children = self.wrap(h.id, children)
        out.append(self.para(self.heading_style(h), children))

    def heading_style(self, h: m.Heading) -> str:
        return heading_style(h, self.ctx.styles.has)

    def lost_title(self, h: m.Heading) -> list:
        """A lost part's heading says what its contents entry says: the marker and why the part
        is lost, the reason in the editor's style, not the title's capitals."""
        gap = next(n for n in h.children if isinstance(n, m.Gap))
        reason = gap.reason or self.ctx.doc.terms.get("gap_no_reason", "")
        style = "Lost Reason" if self.ctx.styles.has("Lost Reason") else "Editorial Gap"
        return [*self.inline_Gap(gap, set()), oxml.run(" " + reason, self.sid(style))]

    def block_Paragraph(self, p: m.Paragraph, out: list, style: str) -> None:
        mark = paragraph_mark(self.ctx.doc.locale) + "\t"
        children = self.numbered(p.label, numerals.own(p.number), mark) if p.number else []
        children += self.inlines(p.children)
        if p.label:
            children = self.wrap(p.id, children)
        out.append(self.para("Numbered Paragraph" if p.number and style == "Normal" else style, children))

    def block_GapBlock(self, g: m.GapBlock, out: list, style: str) -> None:
        out.append(self.para("Gap Block", self.inline_Gap(g.gap, None)))

    def block_ListBlock(self, lst: m.ListBlock, out: list, style: str, depth: int = 0) -> None:
        name = list_style("List Number" if lst.ordered else "List Bullet", depth)
        for index, item in enumerate(lst.items):
            marker = list_marker(lst.ordered, lst.start, index, depth, bullets(self.ctx.doc))
            first = True
            for block in item.blocks:
                if isinstance(block, m.ListBlock):
                    self.block_ListBlock(block, out, style, depth + 1)
                elif isinstance(block, m.Paragraph) and first:
                    out.append(self.para(name, [oxml.run(marker + "\t"), *self.inlines(block.children)]))
                    self.ctx.source_map.mark(block, out[-1:])
                else:
                    self.blocks([block], out, list_style("List Continue", depth))
                first = False

    def block_BlockQuote(self, q: m.BlockQuote, out: list, style: str) -> None:
        self.blocks(q.blocks, out, "Quote")

    def block_CodeBlock(self, c: m.CodeBlock, out: list, style: str) -> None:
        runs = []
        for i, line in enumerate(c.text.rstrip("\n").split("\n")):
            if i:
                runs.append(oxml.line_break_run())
            runs.append(oxml.run(line))
        out.append(self.para("Code Block", runs))

    def block_Rule(self, r: m.Rule, out: list, style: str) -> None:
        out.append(self.para("Horizontal Rule"))

    def block_Table(self, t: m.Table, out: list, style: str) -> None:
        if t.number or t.caption:
            label = self.sid("Caption Label")
            word = wording.caption_label("table", None, self.ctx.doc.terms)
            children = [oxml.run(word + " ", label), *self.numbered(t.label, numerals.own(t.number), "", label)] \
                if t.number else []
            if t.caption:
                children += [oxml.line_break_run(), *self.inlines(t.caption)]
            out.append(self.para("Caption", self.wrap(t.id, children) if t.label else children))
        columns = max(grid.width(t.head), grid.width(t.body), 1)
        width = self.ctx.text_width // columns
        rows, spans = [], []
        for section, style in ((t.head, "Table Heading"), (t.body, "Table Text")):
            for slots in grid.layout(section):      # a place covered from above: an empty cell
                rows.append([self._cell(s.cell, style) if s.first else [] for s in slots])
                spans.append([(max(1, s.cell.colspan), _merge(s)) for s in slots])
        out.append(oxml.table(self.sid("Data Table"), [width] * columns, rows, header_rows=len(t.head),
                              spans=spans))

    def _cell(self, cell: m.TableCell, style: str) -> list:
        if cell.blocks:     # a grid table's cell of several blocks (Word needs a paragraph at least)
            return self.blocks(cell.blocks, [], style) or [self.para(style)]
        align = {"center": "center", "right": "right"}.get(cell.align)
        return [self.para(style, self.inlines(cell.children), align)]

    def block_Figure(self, f: m.Figure, out: list, style: str) -> None:
        out.append(self.para("Figure", self._picture(f.src)))
        label = self.sid("Caption Label")
        word = wording.caption_label("figure", None, self.ctx.doc.terms)
        children = [oxml.run(word + " ", label), *self.numbered(f.label, numerals.own(f.number), ". ", label),
                    *self.inlines(f.caption)]
        out.append(self.para("Caption", self.wrap(f.id, children) if f.label else children))

    def _picture(self, src: str) -> list:
        """An image in the part being written (the body or the footnotes); an SVG as Word
        inserts one: a PNG picture whose blip also names the SVG."""
        facts = self.ctx.images.get(src)
        if facts is None:
            return []
        data = facts.data if facts.format != "svg" else self.ctx.svg_fallback(facts)
        inline = self.part.new_pic_inline(io.BytesIO(data), None, None)
        if facts.format == "svg":
            svg = Part(self.part.package.next_partname("/word/media/image%d.svg"), "image/svg+xml",
                       facts.data, self.part.package)
            oxml.add_svg_blip(inline, self.part.relate_to(svg, RT.IMAGE))
        extent = inline.find(qn("wp:extent"))
        cx, cy = int(extent.get("cx")), int(extent.get("cy"))
        if facts.format == "svg":              # the PNG is drawn at twice the SVG's size
            cx, cy = facts.width * 9525, facts.height * 9525     # CSS px → EMU
        limit = Emu(self.ctx.text_width * 635)                  # twips → EMU
        if cx > limit:
            cx, cy = limit, int(cy * limit / cx)
        # A tall picture leaves a fifth of the page for its caption (Word clips what overflows).
        high = Emu(self.ctx.text_height * 635 * 4 // 5)
        if high and cy > high:
            cx, cy = int(cx * high / cy), high
        for node in (extent, inline.find(f".//{qn('a:xfrm')}/{qn('a:ext')}")):
            node.set("cx", str(cx))
            node.set("cy", str(cy))
        # No distance from the text, said outright: LibreOffice reads a missing one as 0.125 in
        # and set a picture as wide as the text that far into the right margin.
        for side in ("distT", "distB", "distL", "distR"):
            inline.set(side, "0")
        shape_id = str(self.ctx.new_shape_id())
        inline.find(qn("wp:docPr")).set("id", shape_id)
        inline.find(".//" + qn("pic:cNvPr")).set("id", shape_id)
        return [oxml.drawing_run(inline)]

    def block_DefinitionList(self, dl: m.DefinitionList, out: list, style: str) -> None:
        """Each term in its style, each definition's blocks in the definition's, its lists a level
        in (in a note: the note's text, the term in bold)."""
        term_style, text_style = ("Footnote Text", "Footnote Text") if self.in_footnote else \
            ("Definition Term", "Definition")
        flags = frozenset({"strong"}) if self.in_footnote else frozenset()
        for item in dl.items:
            out.append(self.para(term_style, self.inlines(item.term, flags)))
            for definition in item.definitions:
                for block in definition:
                    before = len(out)
                    if isinstance(block, m.ListBlock):
                        self.block_ListBlock(block, out, text_style, 1)
                        self.ctx.source_map.mark(block, out[before:])
                    else:
                        self.blocks([block], out, text_style)

    def block_Div(self, d: m.Div, out: list, style: str) -> None:
        """A box: its title above it, then its blocks in its kind's style, whose borders Word
        draws as one frame; a box in a box is inside its frame, the title in bold (so in a note,
        in the note's style). Any other div: its blocks as they are."""
        kind = box_kind(d.classes)
        if not kind:
            self.blocks(d.blocks, out, div_style(d.classes, style, self.ctx.styles.ids))
            return
        nested = style in BOX_STYLES.values() or self.in_footnote   # in a note: no frame, a bold title
        flags = frozenset({"strong"}) if nested else frozenset()
        words = self.inlines(d.title, flags) if d.title else \
            [oxml.run(self.ctx.doc.terms.get("boxes", {}).get(kind, ""), self.char_style(flags))]
        out.append(self.para(style if nested else "Box Title", words))
        self.blocks(d.blocks, out, style if self.in_footnote else BOX_STYLES[kind])

    # ---- inlines -----------------------------------------------------------------------

    def inlines(self, nodes, flags: frozenset = frozenset()) -> list:
        out = []
        for node in nodes:
            out += getattr(self, "inline_" + type(node).__name__)(node, flags)
        return out

    def char_style(self, flags: frozenset) -> str | None:
        if "strong" in flags and "emph" in flags:
            return self.sid("Strong Emphasis")
        for flag, name in (("strong", "Strong"), ("emph", "Emphasis"), ("link", "Hyperlink")):
            if flag in flags:
                return self.sid(name)
        return None

    def inline_Text(self, t, flags):
        style = self.char_style(flags)
        return [oxml.script_run(piece, style, font, rtl) if font else oxml.run(piece, style)
                for piece, font, rtl in segments(t.text, self.ctx.script_fonts)]

    def inline_SoftBreak(self, _, flags):
        return [oxml.run(" ", self.char_style(flags))]

    def inline_LineBreak(self, _, flags):
        return [oxml.line_break_run(self.char_style(flags))]

    def inline_Code(self, c, flags):
        return [oxml.run(c.text, self.sid("Inline Code"))]

    def inline_Emph(self, e, flags):
        return self.inlines(e.children, flags | {"emph"})

    def inline_Strong(self, s, flags):
        return self.inlines(s.children, flags | {"strong"})

    def inline_Cited(self, c, flags):
        return self.inlines(c.children, flags)

    def inline_Cite(self, c, flags):
        """Resolved by the citations transform; shown as written should one ever get here."""
        return [oxml.run(c.source, self.char_style(flags))]

    def inline_Superscript(self, s, flags):
        return oxml.vertical_align(self.inlines(s.children, flags), "superscript")

    def inline_Subscript(self, s, flags):
        return oxml.vertical_align(self.inlines(s.children, flags), "subscript")

    def inline_Abbr(self, a, flags):
        return [oxml.run(a.abbr, self.char_style(flags))]

    def inline_Image(self, i, flags):
        return self._picture(i.src)

    def inline_Gap(self, g, flags):
        runs = [oxml.run(self.ctx.doc.terms.get("gap", "[…]"), self.sid("Editorial Gap"))]
        return self.wrap(g.id, runs) if g.id else runs      # the editorial note's page references

    def inline_Link(self, link, flags):
        runs = self.inlines(link.children, flags | {"link"})
        if "link" in flags:                         # no hyperlink inside a hyperlink
            return runs
        href = safe_href(link.href)   # the model's links are filtered already; kept as a guard
        if not href:
            return runs
        if href.startswith("#"):
            return [oxml.hyperlink_anchor(self.marks.name(href[1:]), runs)] if href != "#" else runs
        return [oxml.hyperlink_external(self.external(href), runs)]

    def external(self, href: str) -> str:
        """The relationship id of an external link, made once per part and address."""
        href = oxml.clean(href)
        key = (id(self.part), href)
        if key not in self.ctx.link_ids:
            self.ctx.link_ids[key] = self.part.relate_to(href, RT.HYPERLINK, is_external=True)
        return self.ctx.link_ids[key]

    inline_HeadingRef = inline_Link

    def inline_Symbol(self, s, flags):
        runs = [oxml.run(s.symbol, self.char_style(flags | {"link"}))]
        if "link" in flags:
            return runs
        return [oxml.hyperlink_external(self.external(s.href), runs)]

    def inline_XRef(self, x, flags):
        style = self.char_style(flags)
        terms = self.ctx.doc.terms
        if x.mode == "page":
            page = self.ctx.pages.get(x.target, "")
            return [oxml.run(terms.get("page_ref", "") + " ", style),
                    *oxml.field(f"PAGEREF {self.marks.name(x.target)} \\h", [oxml.run(page, style)], style)]
        if not x.resolved or x.number is None:
            return [oxml.run(wording.reference(x, terms), style)]
        prefix, suffix = wording.around(terms, x.kind) if x.mode == "prefixed" else ("", "")
        out = [oxml.run(prefix, style)] if prefix else []
        after = [oxml.run(suffix, style)] if suffix else []
        if x.kind == "note":
            return out + oxml.field(f"NOTEREF {self.marks.name(x.target)} \\h",
                                    [oxml.run(numerals.own(x.number), style)], style) + after
        # One REF per level, so that "section IV.A" stays right when Word updates its fields.
        for i, (anchor, number) in enumerate(numerals.levels(x.number)):
            if i:
                out.append(oxml.run(".", style))
            out += oxml.field(f"REF {self.marks.number_name(anchor or x.target)} \\h",
                              [oxml.run(number, style)], style)
        return out + after

    def inline_FootnoteRef(self, r, flags):
        note = self.ctx.doc.footnotes.get(r.label)
        if note is None or note.number is None:
            return []
        ref_style = self.sid("Footnote Reference")
        number = numerals.own(note.number)
        if self.in_footnote or note.label in self.ctx.called:
            # Word has no note inside a note, and one note per call: refer to the first call.
            instr = f"NOTEREF {self.marks.name(note.id)} \\f \\h"
            return oxml.field(instr, [oxml.run(number, ref_style)], ref_style)
        self.ctx.called[note.label] = note
        return self.wrap(note.id, [oxml.footnote_reference(int(number), ref_style)])

    # ---- footnotes ------------------------------------------------------------------------

    def footnote_paragraphs(self, note: m.Footnote, guest: bool = False) -> list:
        """A note's paragraphs, its number first. A guest (a note first called from a note's
        text) follows its host inside the host's w:footnote: its number is text, in a bookmark
        the NOTEREF of its call in the host points to."""
        self.in_footnote = True
        out: list = []
        self.blocks(note.blocks, out, "Footnote Text")
        if not out or out[0].find(qn("w:pPr")).find(qn("w:pStyle")).get(qn("w:val")) != self.sid("Footnote Text"):
            out.insert(0, self.para("Footnote Text"))
        first_ppr = out[0].find(qn("w:pPr"))
        first_ppr.addnext(oxml.run(" "))
        ref_style = self.sid("Footnote Reference")
        if guest:
            for mark in reversed(self.wrap(note.id, [oxml.run(numerals.own(note.number), ref_style)])):
                first_ppr.addnext(mark)
        else:
            first_ppr.addnext(oxml.footnote_mark(ref_style))
        self.in_footnote = False
        return out


def _merge(slot: grid.Slot) -> str | None:
    """A cell's w:vMerge: it starts a merge down the rows, continues one, or neither."""
    if not slot.first:
        return "continue"
    return "restart" if slot.cell.rowspan > 1 else None
