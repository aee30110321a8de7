"""The source as the DOCX shows it: one RenderedParagraph per paragraph the DOCX writer
writes, in the writer's order (folio's composition, then the notes in call order), named as
the writer's source map names it (a block's id, `#1`, `#2` … for its further paragraphs), with
the writer's generated prefixes (heading and paragraph numbers, list markers, "Table 1", a
note's own number) as atoms and every other piece tied to the source it came from.

Where the model's span of a node is exact (folio's own constructs, and text markdown-it did not
rewrite) it is used as it is; the rest is found from the cursor on in the block's lines."""
from __future__ import annotations

import re

from ... import model as m
from ...i18n import numerals, wording
from ...i18n.terms import load as load_terms
from ...model.boxes import box_kind
from ...model.text import is_lost
from ...writers.docx.sourcemap import paragraph_id
from ..markdown.plugins.gaps import GAP
from ..markdown.plugins.xrefs import BARE, BRACKETED
from .spans import ATOM, MARK, TEXT, RenderedParagraph, SourceView, Span, canon

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
DASHES = {"\u2014": r"(?:\u2014|---|&[#\w]+;)", "\u2013": r"(?:\u2013|--|&[#\w]+;)"}
LIST_MARKERS = ("•", "–")


def source_view(doc: m.Document, text: str, path: str, pages: dict | None = None) -> SourceView:
    """The paragraphs of the DOCX folio writes for doc, each with spans into text."""
    builder = _Builder(text, path, _BlockEnds(text), pages or {}, doc.terms or load_terms("en"))
    for region in doc.composition:
        if region.kind == "contents":
            builder.contents(doc)
        elif region.part is not None:
            part = region.part
            builder.blocks(([part.heading] if part.heading else []) + part.blocks)
            if part.heading is not None and "abbreviations" in part.heading.classes:
                builder.abbreviation_table(doc)
    for note in doc.footnote_order:
        builder.footnote(note)
    return SourceView(path, text, builder.out)


class _BlockEnds:
    """first line (1-based) -> the line after its block: the next blank line, or the closing
    fence of a code block. (A second markdown-it parse would cost as much as the whole import.)"""

    def __init__(self, text: str):
        self.lines = text.split("\n")

    def get(self, line: int, default: int) -> int:
        lines, n = self.lines, line - 1
        if not 0 <= n < len(lines):
            return default
        fence = FENCE.match(lines[n])
        n += 1
        while n < len(lines) and (lines[n].strip() if not fence else not lines[n].startswith(fence.group(1))):
            n += 1
        return n + 1 if fence else n


class _Builder:
    def __init__(self, text: str, path: str, ends: _BlockEnds, pages: dict, terms: dict):
        self.text, self.path, self.ends, self.pages, self.terms = text, path, ends, pages, terms
        self.canon = canon(text)
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.out: list[RenderedParagraph] = []
        self.seen: dict[str, int] = {}
        self.pair = 0
        self.lost = False                 # inside a lost part's heading

    # ---- blocks -----------------------------------------------------------------------

    def blocks(self, blocks) -> None:
        for block in blocks:
            getattr(self, "block_" + type(block).__name__, self.block_other)(block)

    def block_other(self, block) -> None:
        return None

    def block_Heading(self, h: m.Heading) -> None:
        lead = [self.atom(f"{numerals.own(h.number)}.\t", self.start_of(h.loc.line), "a heading number",
                          "numbers are given by the source's order and {number=…}")] if h.number else []
        self.lost = is_lost(h)            # its gap shows its reason, as the writer's heading does
        try:
            self.add(h, "heading", lead, h.children, h.id, level=h.level)
        finally:
            self.lost = False

    def block_Paragraph(self, p: m.Paragraph, lead=None, kind: str = "paragraph") -> None:
        lead = list(lead or [])
        if p.number:
            lead.insert(0, self.atom(f"{numerals.own(p.number)}.\t", self.start_of(p.loc.line), "a paragraph number",
                                     "paragraph numbers are generated"))
        self.add(p, kind, lead, p.children, p.id)

    def block_GapBlock(self, g: m.GapBlock) -> None:
        self.add(g, "paragraph", [], [g.gap], g.id)

    def block_BlockQuote(self, q: m.BlockQuote) -> None:
        self.blocks(q.blocks)

    def block_ListBlock(self, lst: m.ListBlock, depth: int = 0) -> None:
        for n, item in enumerate(lst.items):
            first = True
            for block in item.blocks:
                if isinstance(block, m.ListBlock):
                    self.block_ListBlock(block, depth + 1)
                elif isinstance(block, m.Paragraph) and first:
                    marker = f"{lst.start + n}." if lst.ordered else LIST_MARKERS[min(depth, 1)]
                    lead = [self.atom(marker + "\t", self.start_of(block.loc.line), "a list marker",
                                      "list markers are generated")]
                    self.add(block, "item", lead, block.children, block.id)
                else:
                    self.blocks([block])
                first = False

    def block_CodeBlock(self, c: m.CodeBlock) -> None:
        lines = c.text.rstrip("\n").split("\n")
        children = [x for n, line in enumerate(lines) for x in ([m.LineBreak()] if n else []) + [m.Code(line)]]
        self.add(c, "paragraph", [], children, c.id)

    def block_Table(self, t: m.Table) -> None:
        index = 0      # the writer's order: the caption, then the cells row by row
        if t.number or t.caption:
            line = t.caption[0].loc.line if t.caption and t.caption[0].loc.line else t.loc.last_line
            at = self.start_of(line)
            word = wording.caption_label("table", None, self.terms)
            lead = [self.atom(f"{word} {numerals.own(t.number)}", at, "a table number",
                              "tables are numbered in order")] if t.number else []
            lead += [self.atom("\n", at, "", "")] if t.number and t.caption else []
            self.add(t, "caption", lead, t.caption, paragraph_id(t.id, index), line=line)
            index += 1
        for r, row in enumerate(t.head + t.body):
            for c, cell in enumerate(row):
                if cell.blocks:            # a grid table's cell of blocks: each is its own
                    self.blocks(cell.blocks)
                    continue
                # A row of a grid or multiline table takes several lines, its cells side by side
                # on them: each cell's text is looked for from its own start.
                line, at = _start(cell.children)
                if at >= 0:
                    self.cursor = at
                self.add(t, "cell", [], cell.children, paragraph_id(t.id, index), keep_cursor=bool(r or c) or at >= 0,
                         line=line)
                index += 1

    def block_Figure(self, f: m.Figure) -> None:
        start = self.start_of(f.loc.line)
        word = wording.caption_label("figure", None, self.terms)
        lead = [self.atom(f"{word} {numerals.own(f.number)}. ", start, "a figure number",
                          "figures are numbered in order")]
        # the writer's first paragraph is the picture (no text); the caption is its second
        self.add(f, "paragraph", [], [], paragraph_id(f.id, 0))
        self.add(f, "caption", lead, f.caption, paragraph_id(f.id, 1))

    def block_Rule(self, r: m.Rule) -> None:
        self.add(r, "paragraph", [], [], r.id)           # a paragraph in the rule's style, no text

    def block_DefinitionList(self, dl: m.DefinitionList) -> None:
        # The writer's order: each term, then its definitions' blocks; the terms are the list's
        # own paragraphs (its id, then #1, #2 …), the definitions' blocks are theirs.
        for n, item in enumerate(dl.items):
            self.add(dl, "paragraph", [], item.term, paragraph_id(dl.id, n), line=item.loc.line or dl.loc.line)
            for definition in item.definitions:     # its lists a level in, as the writer sets them
                for block in definition:
                    if isinstance(block, m.ListBlock):
                        self.block_ListBlock(block, 1)
                    else:
                        self.blocks([block])

    def block_Div(self, d: m.Div) -> None:
        kind = box_kind(d.classes)
        if kind:                   # the box's title: the author's, or its kind's word
            word = self.terms.get("boxes", {}).get(kind, "")
            lead = [] if d.title else [self.atom(word, self.start_of(d.loc.line), "a box title",
                                                 "the title comes from the div's class: write ::: {." + kind
                                                 + ' title="…"} to give it one')]
            self.add(d, "paragraph", lead, d.title, d.id)
        self.blocks(d.blocks)

    def footnote(self, note: m.Footnote) -> None:
        for n, block in enumerate(note.blocks):
            lead = [self.atom(f"{numerals.own(note.number)} ", self.start_of(block.loc.line), "a note number",
                              "notes are numbered in the order they are called")] if n == 0 else []
            if isinstance(block, m.Paragraph):
                self.block_Paragraph(block, lead, "footnote")

    def contents(self, doc: m.Document) -> None:
        headings = {p.heading.id: p.heading.loc.line for p in doc.parts if p.heading}
        headings.update({t.id: t.loc.line for t in doc.targets.values()})
        for entry in doc.contents:
            title = wording.contents_title(entry, self.terms)      # as the writer writes it: the heading's text
            text = (f"{numerals.own(entry.number)}.\t" if entry.number else "") + title + "\t" + \
                self.pages.get(entry.target, "")
            self.generated(text, "the contents are made from the headings: change the heading here",
                           headings.get(entry.target, 0))

    def abbreviation_table(self, doc: m.Document) -> None:
        for abbr in doc.abbreviation_table:
            hint = f"the table is made from the definitions: change '*[{abbr.abbr}]: …' here"
            self.generated(abbr.abbr, hint, abbr.loc.line)
            self.generated(abbr.expansion, hint, abbr.loc.line)

    def generated(self, text: str, hint: str, line: int) -> None:
        """A paragraph folio makes; its position is the line where a change to it belongs."""
        at = self.start_of(line) if line else 0
        self.out.append(RenderedParagraph(f"generated#{len(self.out)}", "", "generated",
                                          [Span(text, at, at, ATOM, what="generated", hint=hint)],
                                          at, at, line, hint=hint))

    # ---- one paragraph ----------------------------------------------------------------------

    def add(self, block, kind: str, lead: list, children, ident: str, level: int = 0,
            keep_cursor: bool = False, line: int = 0) -> None:
        first = line or block.loc.line
        start, end = self.start_of(first), self.end_of(first)
        if not keep_cursor:
            self.cursor = start
        spans = lead + self.inlines(children, 0, end)
        key = self.unique(ident or f"{kind}-{first}")
        self.out.append(RenderedParagraph(key, ident or key, kind, spans, start, end, first, level=level))

    def unique(self, key: str) -> str:
        n = self.seen.get(key, 0)
        self.seen[key] = n + 1
        return key if not n else f"{key}#{n}"

    def start_of(self, line: int) -> int:
        return self.line_starts[min(max(line, 1), len(self.line_starts)) - 1]

    def end_of(self, line: int) -> int:
        last = self.ends.get(line, line)
        return self.line_starts[last] - 1 if last < len(self.line_starts) else len(self.text)

    def atom(self, text: str, at: int, what: str, hint: str, end: int | None = None) -> Span:
        return Span(text, at, at if end is None else end, ATOM, what=what, hint=hint)

    # ---- inlines: found one after another in the block's source ------------------------------

    def inlines(self, nodes, depth: int, limit: int) -> list[Span]:
        out: list[Span] = []
        for node in nodes:
            out += getattr(self, "inline_" + type(node).__name__, self.inline_other)(node, depth, limit)
        return out

    def inline_other(self, node, depth, limit):
        return []

    def inline_Text(self, t, depth, limit):
        return [self.find_text(t.text, depth, limit)] if t.text else []

    def inline_Abbr(self, a, depth, limit):
        return [self.find_text(a.abbr, depth, limit)]

    def inline_Symbol(self, s, depth, limit):
        return [self.find_text(s.symbol, depth, limit)]

    def inline_Code(self, c, depth, limit):
        return [self.find_text(c.text, depth, limit)] if c.text else []

    def inline_SoftBreak(self, _, depth, limit):
        match = re.compile(r"[ \t]*\n[ \t]*").search(self.text, self.cursor, limit)
        return [self.found(" ", match, depth)] if match else []

    def inline_LineBreak(self, _, depth, limit):
        match = re.compile(r"(?:\\|[ \t]{2,})?\n[ \t]*").search(self.text, self.cursor, limit)
        return [self.found("\n", match, depth)] if match else [Span("\n", self.cursor, self.cursor, TEXT, depth)]

    def inline_Gap(self, g, depth, limit):
        match = GAP.search(self.text, self.cursor, limit)
        shown = self.terms.get("gap", "[…]")
        if self.lost:
            shown += " " + (g.reason or self.terms.get("gap_no_reason", ""))
        return [self.found(shown, match, depth, ATOM, "an editorial gap",
                           "a gap is filled or removed in the source, where {gap} is written")]

    def inline_XRef(self, x, depth, limit):
        pattern = BARE if x.mode == "prefixed" else BRACKETED
        match = pattern.search(self.text, self.cursor, limit)
        shown = self.terms.get("page_ref", "") + " " + self.pages.get(x.target or x.label, "") \
            if x.mode == "page" else wording.reference(x, self.terms)
        return [self.found(shown, match, depth, ATOM, f"a cross-reference to '{x.label}'",
                           f"what it shows comes from its target: retarget it or renumber the target ({x.label})")]

    def inline_FootnoteRef(self, r, depth, limit):
        match = re.compile(r"\[\^" + re.escape(r.label) + r"\]").search(self.text, self.cursor, limit)
        return [self.found(numerals.own(r.number), match, depth, ATOM, f"the call of note [^{r.label}]",
                           "note numbers are given by the order of the calls")]

    def inline_Emph(self, e, depth, limit):
        return self.container(e.children, depth, limit, r"[*_]")

    def inline_Strong(self, s, depth, limit):
        return self.container(s.children, depth, limit, r"\*\*|__")

    def inline_Link(self, link, depth, limit):
        return self.container(link.children, depth, limit, r"\[", r"\]\([^)\n]*\)|\]\[[^\]\n]*\]|\]")

    inline_HeadingRef = inline_Link

    def container(self, children, depth, limit, opener: str, closer: str | None = None) -> list[Span]:
        self.pair += 1
        pair = self.pair
        opened = re.compile(opener).search(self.text, self.cursor, limit)
        out = [self.found("", opened, depth, MARK, pair=pair)] if opened else []
        out += self.inlines(children, depth + 1, limit)
        closed = re.compile(closer or opener).search(self.text, self.cursor, limit)
        out += [self.found("", closed, depth, MARK, pair=pair)] if closed else []
        return out

    def found(self, shown: str, match, depth: int, kind: str = TEXT, what: str = "", hint: str = "",
              pair: int = 0) -> Span:
        if match is None:
            return Span(shown, self.cursor, self.cursor, ATOM if kind == TEXT else kind, depth, pair, what, hint)
        self.cursor = match.end()
        return Span(shown, match.start(), match.end(), kind, depth, pair, what, hint)

    def find_text(self, shown: str, depth: int, limit: int) -> Span:
        at = self.canon.find(canon(shown), self.cursor, limit)
        if at >= 0:
            self.cursor = at + len(shown)
            return Span(shown, at, at + len(shown), TEXT, depth)
        return self.found(shown, _loose(shown).search(self.text, self.cursor, limit), depth)


def _start(children) -> tuple[int, int]:
    """(line, offset) where a cell's text starts in the source, (0, -1) if unknown."""
    for node in children:
        loc = getattr(node, "loc", None)
        if loc is not None and loc.start >= 0:
            return loc.line, loc.start
    return 0, -1


def _loose(shown: str) -> re.Pattern:
    """The text as markdown-it may have read it: escapes, entities, straight for curly quotes."""
    parts = []
    for c in shown:
        if c in DASHES:           # typed as --- and -- (plugins/dashes.py)
            parts.append(DASHES[c])
        elif c in "“”":
            parts.append(r"(?:[\"“”]|&[#\w]+;)")
        elif c in "‘’":
            parts.append(r"(?:['‘’]|&[#\w]+;)")
        elif c.isascii() and not c.isalnum() and not c.isspace():
            parts.append(r"(?:\\?" + re.escape(c) + r"|&[#\w]+;)")
        elif not c.isascii():
            parts.append(r"(?:" + re.escape(c) + r"|&[#\w]+;)")
        else:
            parts.append(re.escape(c))
    return re.compile("".join(parts))
