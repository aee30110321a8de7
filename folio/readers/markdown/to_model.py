"""markdown-it tokens → folio's model. One method per token type; lines become Locations here."""
from __future__ import annotations

import re

from markdown_it.token import Token

from ... import model as m
from ...diagnostics import Kind, Location, Reporter
from .plugins.heading_attrs import trailing_braces
from .plugins.symbols import symbol_href

# No "[" in the label: each try then stops at the next "[", so "[^a" * n is linear, not n².
UNRESOLVED_FOOTNOTE = re.compile(r"\[\^([^\]\[\s]+)\]")
CAPTION_ID = re.compile(r"\{#([A-Za-z][\w:.-]*)\}")
TABLE_CAPTION = "Table:"
MAX_INLINE_DEPTH = 20  # as markdown-it's maxNesting for blocks


class ToModel:
    def __init__(self, path: str, reporter: Reporter):
        self.path = path
        self.reporter = reporter
        self.footnotes: dict[str, m.Footnote] = {}
        self.abbreviations: dict[str, m.Abbreviation] = {}
        self.front_matter: tuple[str, Location] | None = None

    # ---- blocks ------------------------------------------------------------

    def blocks(self, tokens: list[Token]) -> list:
        """Convert a flat run of block tokens (balanced open/close) into blocks."""
        out, i = [], 0
        while i < len(tokens):
            tok = tokens[i]
            end = self._close_of(tokens, i)
            handler = getattr(self, "block_" + tok.type.removesuffix("_open"), None)
            if handler is None:
                self.reporter.warning(self.loc(tok), f"unsupported markup '{tok.type}' left out",
                                      Kind.SYNTAX)
            else:
                block = handler(tok, tokens[i + 1:end])
                if block is not None:
                    out.append(block)
            i = end + 1
        return self._attach_captions(out)

    @staticmethod
    def _close_of(tokens: list[Token], i: int) -> int:
        if tokens[i].nesting != 1:
            return i
        depth = 0
        for j in range(i, len(tokens)):
            depth += tokens[j].nesting
            if depth == 0:
                return j
        return len(tokens) - 1

    def block_front_matter(self, tok, inner):
        self.front_matter = (tok.content, Location(self.path, self.line(tok)))

    def block_heading(self, tok, inner):
        classes = (tok.attrGet("class") or "").split()
        return m.Heading(level=int(tok.tag[1]), children=self.inlines(inner[0]),
                         loc=self.loc(tok), id=tok.attrGet("id") or "", classes=classes,
                         explicit_number=str(tok.attrGet("number") or ""))

    def block_paragraph(self, tok, inner):
        children = self.inlines(inner[0])
        loc = self.loc(tok)
        visible = [c for c in children if not (isinstance(c, m.Text) and not c.text.strip())]
        if len(visible) == 1 and isinstance(visible[0], m.Gap):
            return m.GapBlock(visible[0], loc)
        if len(visible) == 1 and isinstance(visible[0], m.Image):
            image = visible[0]
            return m.Figure(image.src, self._image_caption(image), loc, id=image_id(inner[0]))
        return m.Paragraph(children, loc, id=tok.attrGet("id") or "")

    def _image_caption(self, image: m.Image) -> list:
        return [m.Text(image.alt)] if image.alt else []

    def block_bullet_list(self, tok, inner):
        return m.ListBlock(False, self._items(inner), self.loc(tok))

    def block_ordered_list(self, tok, inner):
        start = int(tok.attrGet("start") or 1)
        return m.ListBlock(True, self._items(inner), self.loc(tok), start=start)

    def _items(self, inner):
        items, i = [], 0
        while i < len(inner):
            end = self._close_of(inner, i)
            items.append(m.ListItem(self.blocks(inner[i + 1:end])))
            i = end + 1
        return items

    def block_blockquote(self, tok, inner):
        return m.BlockQuote(self.blocks(inner), self.loc(tok))

    def block_fence(self, tok, inner):
        return m.CodeBlock(tok.content, self.loc(tok))

    block_code_block = block_fence

    def block_hr(self, tok, inner):
        return m.Rule(self.loc(tok))

    def block_folio_abbr(self, tok, inner):
        abbr, expansion, loc = tok.meta["abbr"], tok.meta["expansion"], self.loc(tok)
        known = self.abbreviations.get(abbr)
        if known and known.expansion != expansion:
            self.reporter.error(loc, f"abbreviation '{abbr}' defined twice with different expansions"
                                f" (first at line {known.loc.line}: '{known.expansion}')",
                                Kind.ABBR_DUPLICATE)
        elif not known:
            self.abbreviations[abbr] = m.Abbreviation(abbr, expansion, loc)

    def block_table(self, tok, inner):
        head, body, section = [], [], None
        row: list | None = None
        last_cell = tok
        for t in inner:
            if t.type in ("thead_open", "tbody_open"):
                section = head if t.type == "thead_open" else body
            elif t.type == "tr_open":
                row = []
            elif t.type == "tr_close":
                section.append(row)
            elif t.type == "inline":
                row.append(m.TableCell(self.inlines(t), _align(last_cell)))
            elif t.type in ("th_open", "td_open"):
                last_cell = t
        return m.Table(head, body, self.loc(tok))

    def block_footnote_block(self, tok, inner):
        i = 0
        while i < len(inner):
            end = self._close_of(inner, i)
            if inner[i].type == "footnote_open":
                self._footnote(inner[i], inner[i + 1:end])
            i = end + 1

    def _footnote(self, tok, inner):
        label = tok.meta["label"]
        body = [t for t in inner if t.type != "footnote_anchor"]
        first = next((t for t in body if t.map), None)
        loc = self.loc(first) if first else Location(self.path)
        self.footnotes[label] = m.Footnote(label, self.blocks(body), loc)

    def _attach_captions(self, blocks: list) -> list:
        """A 'Table: …' paragraph right after a table is that table's caption."""
        out = []
        for block in blocks:
            if (isinstance(block, m.Paragraph) and out and isinstance(out[-1], m.Table)
                    and block.children and isinstance(block.children[0], m.Text)
                    and block.children[0].text.startswith(TABLE_CAPTION)):
                table = out[-1]
                children = list(block.children)
                children[0] = m.Text(children[0].text[len(TABLE_CAPTION):].lstrip())
                if isinstance(children[-1], m.Text):
                    found = trailing_braces(children[-1].text)  # linear: no regex search
                    match = found and CAPTION_ID.fullmatch(found[1])
                    if match:
                        table.id = match.group(1)
                        children[-1] = m.Text(children[-1].text[: found[0]])
                table.caption = children
                continue
            out.append(block)
        return out

    # ---- inlines -----------------------------------------------------------

    def inlines(self, inline: Token) -> list:
        self._inline_loc = self.loc(inline)
        root: list = []
        stack = [root]
        warned = False
        kept: list[bool] = []  # per open token: did it open a node (False past MAX_INLINE_DEPTH)?
        for tok in inline.children or []:
            kind = tok.type
            if kind in ("em_open", "strong_open", "link_open"):
                # markdown-it does not bound emphasis nesting ("*a **a " * n nests n deep);
                # the walkers and writers recurse, so deeper markup is flattened into its text.
                kept.append(len(stack) <= MAX_INLINE_DEPTH)
                if not kept[-1]:
                    if not warned:
                        warned = True
                        self.reporter.warning(self._inline_loc, "emphasis or links nested more than"
                                              f" {MAX_INLINE_DEPTH} deep: the deeper ones are shown as plain text",
                                              Kind.SYNTAX)
                    continue
                if kind == "link_open":
                    node = m.Link(tok.attrGet("href") or "", [])
                else:
                    node = (m.Emph if kind == "em_open" else m.Strong)([])
                stack[-1].append(node)
                stack.append(node.children)
            elif kind in ("em_close", "strong_close", "link_close"):
                if (kept.pop() if kept else True) and len(stack) > 1:
                    stack.pop()
            else:
                node = self.inline(tok)
                if node is not None:
                    stack[-1].append(node)
        return root

    def inline(self, tok: Token):
        kind = tok.type
        if kind == "text":
            self._check_footnote_text(tok.content)
            return m.Text(tok.content)
        if kind == "softbreak":
            return m.SoftBreak()
        if kind == "hardbreak":
            return m.LineBreak()
        if kind == "code_inline":
            return m.Code(tok.content)
        if kind == "image":
            return m.Image(tok.attrGet("src") or "", tok.content)
        if kind == "footnote_ref":
            return m.FootnoteRef(tok.meta["label"], self._inline_loc)
        if kind == "folio_gap":
            return m.Gap(tok.meta["reason"])
        if kind == "folio_xref":
            return m.XRef(tok.meta["label"], tok.meta["mode"], self._inline_loc)
        if kind == "folio_symbol":
            return m.Symbol(tok.content, symbol_href(tok.content))
        self.reporter.warning(self._inline_loc, f"unsupported inline markup '{kind}' left out",
                              Kind.SYNTAX)
        return None

    def _check_footnote_text(self, text: str) -> None:
        for match in UNRESOLVED_FOOTNOTE.finditer(text):
            self.reporter.error(self._inline_loc, f"footnote '[^{match.group(1)}]' has no text"
                                f" (add a line '[^{match.group(1)}]: …')", Kind.FOOTNOTE_UNKNOWN)

    # ---- locations ---------------------------------------------------------

    @staticmethod
    def line(tok: Token) -> int:
        return tok.map[0] + 1 if tok.map else 0

    def loc(self, tok: Token) -> Location:
        return Location(self.path, self.line(tok))


def image_id(inline: Token) -> str:
    for child in inline.children or []:
        if child.type == "image":
            return child.attrGet("id") or ""
    return ""


def _align(cell: Token) -> str:
    style = cell.attrGet("style") or ""
    return style.removeprefix("text-align:").strip()
