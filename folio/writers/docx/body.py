"""The plan's items (plan.py) → WordprocessingML elements, each paragraph and run in a named
style. What a paragraph is (its style, its number, its bookmark) the plan says; here are the
runs of its inlines, its pictures and links, and how a table or a note is put together."""
from __future__ import annotations

import io

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part
from docx.oxml.ns import qn
from docx.shared import Emu

from ... import model as m
from ...i18n import numerals, wording
from ...links import safe_href
from . import oxml
from .names import Bookmarks
from .plan import NOTE_NUMBER, Lead, Planned, PlannedNote, PlannedTable
from .scripts import segments


class Story:
    """Writes the planned items of one story (the body, or the footnotes) of the DOCX."""

    def __init__(self, ctx):
        self.ctx = ctx                     # the shared state of this write (see __init__.Context)
        self.part = ctx.document_part      # the part that owns relationships (links, images)
        self.in_footnote = False
        self.pending: dict[int, list] = {}     # id(block) -> its paragraphs written, not yet mapped

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

    # ---- planned items (plan.py): paragraphs and tables -------------------------------

    def items(self, items, out: list) -> list:
        """Each planned item as XML, in order; the source map takes a block's paragraphs once
        its last is written (Planned.closes), which is when the plan's ids are its own."""
        for item in items:
            if isinstance(item, PlannedTable):
                out.append(self.table(item))
            else:
                out.append(self.paragraph(item))
        return out

    def paragraph(self, planned: Planned):
        """Its lead, its picture, its text, a bookmark round them and a link round that: the
        order in which the file's bookmark ids have always been taken."""
        anchor = self.marks.name(planned.link) if planned.link else ""
        children = [run for lead in planned.lead if lead.role != NOTE_NUMBER for run in self.lead(lead)]
        children += self._picture(planned.picture) if planned.picture else []
        if planned.lost:
            children += self.lost_title(planned.inlines)
        elif planned.plain:
            children += [oxml.line_break_run() if isinstance(n, m.LineBreak) else oxml.run(n.text)
                         for n in planned.inlines]
        else:
            children += self.inlines(planned.inlines, planned.flags)
        if planned.anchor:
            children = self.wrap(planned.anchor, children)
        if anchor:
            children = [oxml.hyperlink_anchor(anchor, children)]
        p = self.para(planned.style, children, planned.align)
        self.taken(planned, p)
        return p

    def taken(self, planned: Planned, p) -> None:
        """Give p to the source map when the block that owns it is written whole (a box's title
        after the box's text), as the map has always been made: its bookmark ids follow."""
        if planned.id:
            self.pending.setdefault(id(planned.block), []).append((planned, p))
        for block in planned.closes:
            for each, element in self.pending.pop(id(block), ()):
                self.ctx.source_map.mark_paragraph(element, each.id, block)

    def lead(self, lead: Lead) -> list:
        """A lead's runs: a line break; a page number as a PAGEREF's result; a number as a run
        of its own, in a bookmark when something may cite it; or the text as it is."""
        style = self.sid(lead.style) if lead.style else None
        if lead.text == "\n":
            return [oxml.line_break_run(style)]
        if lead.ref:
            return oxml.field(f"PAGEREF {self.marks.name(lead.ref)} \\h", [oxml.run(lead.text, style)], style)
        if not lead.cut:
            return [oxml.run(lead.text, style)]
        start, end = lead.cut
        number = [oxml.run(lead.text[start:end], style)]
        if lead.mark:
            ident = self.marks.new_id()
            number = [oxml.bookmark_start(ident, self.marks.number_name(lead.mark)), *number,
                      oxml.bookmark_end(ident)]
        before, after = lead.text[:start], lead.text[end:]
        return ([oxml.run(before, style)] if before else []) + number + ([oxml.run(after, style)] if after else [])

    def lost_title(self, inlines: list) -> list:
        """A lost part's heading says what its contents entry says: the marker and why the part
        is lost, the reason in the editor's style, not the title's capitals."""
        gap = next(n for n in inlines if isinstance(n, m.Gap))
        reason = gap.reason or self.ctx.doc.terms.get("gap_no_reason", "")
        style = "Lost Reason" if self.ctx.styles.has("Lost Reason") else "Editorial Gap"
        return [*self.inline_Gap(gap, set()), oxml.run(" " + reason, self.sid(style))]

    def table(self, planned: PlannedTable):
        """Its rows of cells (a covered place: an empty cell that continues the one above)."""
        if planned.first_width:
            widths = [planned.first_width, self.ctx.text_width - planned.first_width]
        else:
            widths = [self.ctx.text_width // planned.columns] * planned.columns
        rows = [[self.items(cell, []) if cell is not None else [] for cell in row] for row in planned.rows]
        return oxml.table(self.sid(planned.style), widths, rows, header_rows=planned.header_rows,
                          first_column=bool(planned.first_width), spans=planned.spans)

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

    def note(self, planned: PlannedNote, guest: bool = False) -> list:
        """A note's paragraphs, its number first: Word's own mark, or for a guest (a note first
        called from a note's text, which follows its host inside the host's w:footnote) text in
        a bookmark the NOTEREF of its call in the host points to. The number goes in once the
        note is written, in front of the source map's bookmark."""
        self.in_footnote = True
        out = self.items(planned.items, [])
        first_ppr = out[0].find(qn("w:pPr"))
        first_ppr.addnext(oxml.run(" "))
        ref_style = self.sid("Footnote Reference")
        note = planned.note
        if guest:
            for mark in reversed(self.wrap(note.id, [oxml.run(numerals.own(note.number), ref_style)])):
                first_ppr.addnext(mark)
        else:
            first_ppr.addnext(oxml.footnote_mark(ref_style))
        self.in_footnote = False
        return out
