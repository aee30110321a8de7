"""markdown-it tokens → folio's model. One method per token type; lines become spans here."""
from __future__ import annotations

import re
from dataclasses import replace

from markdown_it.token import Token

from ... import model as m
from ...diagnostics import Kind, Location, Reporter
from ..html import HtmlReader
from .extensions import Extensions
from .plugins import escapes
from .plugins.heading_attrs import trailing_braces
from .plugins.symbols import symbol_href
from .spans import InlineCursor, SourceText

# No "[" in the label: each try then stops at the next "[", so "[^a" * n is linear, not n².
UNRESOLVED_FOOTNOTE = re.compile(r"\[\^([^\]\[\s]+)\]")
CAPTION_ID = re.compile(r"\{#([A-Za-z][\w:.-]*)\}")
TABLE_CAPTION = re.compile(r"(?:[Tt]able)?:(?:\s|$)")   # pandoc: "Table: …", "table: …", ": …"
RAW_INFO = re.compile(r"\{=([\w-]+)\}")                 # ```{=latex}: a raw block
DIRECTIVE_INFO = re.compile(r"\{([A-Za-z][\w-]*)\}")     # ```{note}: a MyST directive
MAX_INLINE_DEPTH = 20  # as markdown-it's maxNesting for blocks
CONTAINERS = {"em_open": m.Emph, "strong_open": m.Strong, "link_open": m.Link,
              "folio_heading_ref_open": m.HeadingRef, "folio_span_open": None, "folio_html_open": None}
CLOSERS = ("em_close", "strong_close", "link_close", "folio_heading_ref_close", "folio_span_close",
           "folio_html_close")


class ToModel(Extensions, HtmlReader):
    def __init__(self, path: str, reporter: Reporter, text: str = "", env: dict | None = None):
        self.path = path
        self.reporter = reporter
        self.source = SourceText(path, text)
        self.env = env if env is not None else {}     # markdown-it's: the inline notes' texts
        self.footnotes: dict[str, m.Footnote] = {}
        self.abbreviations: dict[str, m.Abbreviation] = {}
        self.html_abbreviations: dict[str, m.Abbreviation] = {}   # <abbr title>: the text's own win
        self.front_matter: tuple[str, Location] | None = None
        self.inline_notes: dict[int, tuple] = {}       # an inline note's id → (label, cursor)
        self.inline_labels: dict[str, int] = {}        # labels given → the last suffix tried
        self._nesting_warned = False

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
                if isinstance(block, list):          # several blocks: an HTML block's, a figure and its legend
                    out.extend(block)
                elif block is not None:
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
                         loc=self.loc(tok), label=tok.attrGet("id") or "", classes=classes,
                         explicit_number=str(tok.attrGet("number") or ""))

    def block_paragraph(self, tok, inner):
        children = self.inlines(inner[0])
        loc = self.loc(tok)
        self.unsupported_lines(inner[0])
        if (inner[0].meta or {}).get("line_block"):
            children = [m.LineBreak(c.loc) if isinstance(c, m.SoftBreak) else c for c in children]
        visible = [c for c in children if not (isinstance(c, m.Text) and not c.text.strip())]
        if not visible and not tok.attrGet("id"):
            return None              # nothing left to show (an HTML comment alone, say)
        if len(visible) == 1 and isinstance(visible[0], m.Gap):
            return m.GapBlock(visible[0], loc)
        if len(visible) == 1 and isinstance(visible[0], m.Image):
            image = visible[0]
            span = image.loc.end - image.loc.start
            caption = [m.Text(image.alt, _trim(image.loc, 2, span - 2 - len(image.alt)))] if image.alt else []
            return m.Figure(image.src, caption, loc, label=image_id(inner[0]))
        return m.Paragraph(children, loc, label=tok.attrGet("id") or "")

    def block_bullet_list(self, tok, inner):
        return m.ListBlock(False, self._items(inner), self.loc(tok))

    def block_ordered_list(self, tok, inner):
        start = int(tok.attrGet("start") or 1)
        return m.ListBlock(True, self._items(inner), self.loc(tok), start=start)

    def _items(self, inner):
        items, i = [], 0
        while i < len(inner):
            end = self._close_of(inner, i)
            self.too_deep(inner[i], inner[i + 1:end], marks=" \t>:*-+0123456789.)")
            items.append(m.ListItem(self.blocks(inner[i + 1:end])))
            i = end + 1
        return items

    def block_blockquote(self, tok, inner):
        self.too_deep(tok, inner)
        return self.alert(m.BlockQuote(self.blocks(inner), self.loc(tok)))

    def block_fence(self, tok, inner):
        info = tok.info.strip()
        raw, directive = RAW_INFO.match(info), DIRECTIVE_INFO.match(info)
        if raw:
            self.unsupported(self.loc(tok), "raw-block", "{=" + raw.group(1) + "}")
        elif directive:
            self.unsupported(self.loc(tok), "directive-code", "{" + directive.group(1) + "}")
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
        """Every kind of table comes as markdown-it's pipe tables do; a grid table's cell may
        hold blocks between its th/td tokens instead of one inline token."""
        head, body, section = [], [], None
        row: list | None = None
        i = 0
        while i < len(inner):
            t = inner[i]
            if t.type in ("thead_open", "tbody_open"):
                section = head if t.type == "thead_open" else body
            elif t.type == "tr_open":
                row = []
            elif t.type == "tr_close":
                section.append(row)
            elif t.type in ("th_open", "td_open"):
                end = self._close_of(inner, i)
                row.append(self.cell(inner[i + 1:end], _align(t)))
                i = end
            i += 1
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
        if label is None:
            self.inline_note_text(tok, body)
            return
        mapped = [t for t in body if t.map]
        if mapped:
            first = self.loc(mapped[0])
            last = max(t.map[1] for t in mapped)
            loc = self.source.block(first.line - 1, last)
        else:
            loc = Location(self.path)
        self.footnotes[label] = m.Footnote(label, self.blocks(body), loc, id="fn-" + label)

    def _attach_captions(self, blocks: list) -> list:
        """A 'Table: …' (or ': …') paragraph right after a table, or else right before one, is
        that table's caption, as pandoc reads it."""
        out: list = []
        for block in blocks:
            if isinstance(block, m.Table) and out and _caption_text(out[-1]) and not block.caption:
                self._caption(block, out.pop(), before=True)
            elif out and isinstance(out[-1], m.Table) and not out[-1].caption and _caption_text(block):
                self._caption(out[-1], block, before=False)
                continue
            out.append(block)
        return out

    def _caption(self, table: m.Table, block: m.Paragraph, before: bool) -> None:
        children = list(block.children)
        first = children[0]
        kept = TABLE_CAPTION.sub("", first.text, count=1).lstrip()
        children[0] = m.Text(kept, _trim(first.loc, len(first.text) - len(kept), 0))
        if isinstance(children[-1], m.Text):
            last = children[-1]
            found = trailing_braces(last.text)      # linear: a regex search was quadratic in spaces
            match = found and CAPTION_ID.fullmatch(found[1])
            if match:
                table.label = match.group(1)
                cut = len(last.text) - found[0]
                children[-1] = m.Text(last.text[: found[0]], _trim(last.loc, 0, cut))
        table.caption = children
        first_line, last_line = (block.loc.line, table.loc.last_line) if before else \
            (table.loc.line, block.loc.last_line)
        table.loc = self.source.block(first_line - 1, last_line)

    # ---- inlines -----------------------------------------------------------

    def inlines(self, inline: Token, cursor: InlineCursor | None = None, loc: Location | None = None) -> list:
        """The inline token's nodes; `cursor` and `loc` for text whose token has no lines of its
        own (an inline note's)."""
        self._inline_loc = loc or self.loc(inline)
        if cursor is None and inline.map:
            cursor = InlineCursor(self.source, inline.content, self._inline_loc.line - 1)
        root: list = []
        stack = [root]
        opened: list = []      # per open token: its node, or None past MAX_INLINE_DEPTH
        warned = False
        autolink = 0           # inside <https://…>: the address is text, its hyphens stay
        for tok in inline.children or []:
            kind = tok.type
            if tok.markup == "autolink":
                autolink += tok.nesting
            if kind in CONTAINERS:
                # markdown-it does not bound emphasis nesting ("*a **a " * n nests n deep);
                # the walkers and writers recurse, so deeper markup is flattened into its text.
                if len(stack) > MAX_INLINE_DEPTH:
                    opened.append(None)
                    if not warned:
                        warned = True
                        self.reporter.warning(self._inline_loc, "emphasis or links nested more than"
                                              f" {MAX_INLINE_DEPTH} deep: the deeper ones are shown as plain text",
                                              Kind.SYNTAX)
                    continue
                start, _ = self._place(cursor, tok)
                node = self._container(tok)
                if node is None:       # a bracketed span or an HTML element: its text, not its marks
                    opened.append(None)
                    if kind == "folio_span_open":
                        self.unsupported(start, "span")
                    continue
                node.loc = start
                stack[-1].append(node)
                stack.append(node.children)
                opened.append(node)
            elif kind in CLOSERS:
                node = opened.pop() if opened else None
                if node is not None and len(stack) > 1:
                    stack.pop()
                    reach = len(node.href) if isinstance(node, m.Link) else 0
                    _, end = self._place(cursor, tok, reach)
                    node.loc = self._join(node.loc, end)
                    if isinstance(node, m.Link) and not any(not isinstance(c, m.Text) or c.text.strip()
                                                            for c in node.children):
                        self._empty_link(node)
            elif kind == "footnote_ref" and "label" not in tok.meta:
                stack[-1].append(self.inline_note(tok, cursor))
            else:
                node = self.inline(tok)
                if autolink and isinstance(node, m.Text):
                    node.text = tok.content
                reach = len(node.src) + len(node.alt) if isinstance(node, m.Image) else 0
                start, end = self._place(cursor, tok, reach)
                if kind == "folio_unsupported":
                    self.unsupported(self._join(start, end), tok.meta["construct"], tok.meta["detail"])
                if node is not None:
                    node.loc = self._join(start, end)
                    stack[-1].append(node)
        return root

    def _empty_link(self, link: m.Link) -> None:
        """[](mailto:…) would print nothing where the address was: the address is its text."""
        shown = link.href.removeprefix("mailto:")
        link.children.clear()
        if shown and not shown.startswith("#"):
            link.children.append(m.Text(shown, link.loc))
        self.reporter.warning(link.loc, "a link with no text"
                              + (f": its address '{shown}' is shown instead" if link.children else ""),
                              Kind.LINK_EMPTY)

    def _container(self, tok: Token):
        """The node a container token opens (None for a span, whose text joins its parent's)."""
        if tok.type == "link_open":
            return m.Link(tok.attrGet("href") or "", [])     # checked by transforms/links.py
        if tok.type == "folio_heading_ref_open":
            return m.HeadingRef("#", [], line=tok.meta["line"])
        if tok.type == "folio_html_open":
            return self.html_inline_container(tok.meta["tag"], tok.meta["attrs"], tok.meta["text"])
        kind = CONTAINERS[tok.type]
        return kind([]) if kind else None

    def _place(self, cursor: InlineCursor | None, tok: Token, reach: int = 0) -> tuple[Location, Location]:
        """The spans where a token starts and ends (the block's when nothing is known).
        `reach`: how much source a link's or image's target may take after its text."""
        if cursor is None:
            return self._inline_loc, self._inline_loc
        if "pos" in (tok.meta or {}):
            start, end = tok.meta["pos"]
            cursor.skip_to(end)
        else:
            start, end = cursor.find(_source_text(tok))
            if tok.type == "image":
                _, end = cursor.find("]", reach)     # past the alternative text
            if tok.type in ("link_close", "image") and cursor.content.startswith("(", end):
                _, end = cursor.find(")", reach)   # past an inline link's (target "title")
        return cursor.span(start, start), cursor.span(end, end)

    def _join(self, start: Location, end: Location) -> Location:
        if start.start < 0:
            return start
        return self.source.at(start.start, max(start.start, end.end if end.end >= 0 else end.start))

    def inline(self, tok: Token):
        kind = tok.type
        if kind == "text":
            for stretch in escapes.typed(tok):
                self._check_footnote_text(stretch)
            return m.Text(escapes.shown(tok))
        if kind == "folio_unsupported":
            return m.Text(tok.content) if tok.content else None
        if kind == "softbreak":
            return m.SoftBreak()
        if kind == "hardbreak":
            return m.LineBreak()
        if kind == "code_inline":
            return m.Code(tok.content)
        if kind == "image":
            return m.Image(tok.attrGet("src") or "", tok.content)
        if kind == "footnote_ref":
            return m.FootnoteRef(tok.meta["label"])
        if kind == "folio_gap":
            return m.Gap(tok.meta["reason"])
        if kind == "folio_xref":
            return m.XRef(tok.meta["label"], tok.meta["mode"])
        if kind == "folio_role":
            return self.role(tok)
        if kind == "folio_cite":
            return m.Cite([m.CiteItem(**item) for item in tok.meta["items"]], tok.meta["in_text"], tok.content)
        if kind == "folio_symbol":
            return m.Symbol(tok.content, symbol_href(tok.content))
        self.reporter.warning(self._inline_loc, f"unsupported inline markup '{kind}' left out",
                              Kind.SYNTAX)
        return None

    def role(self, tok: Token):
        """A MyST role folio reads (plugins/roles.py) as its own node."""
        meta = tok.meta
        if meta["kind"] in ("sub", "sup"):
            return (m.Subscript if meta["kind"] == "sub" else m.Superscript)([m.Text(tok.content)])
        if meta["kind"] == "abbr":
            self.html_abbreviation(meta["abbr"], meta["expansion"], self._inline_loc)
            return m.Text(meta["abbr"])
        return m.XRef(meta["label"], "prefixed")

    def _check_footnote_text(self, text: str) -> None:
        for match in UNRESOLVED_FOOTNOTE.finditer(text):
            self.reporter.error(self._inline_loc, f"footnote '[^{match.group(1)}]' has no text"
                                f" (add a line '[^{match.group(1)}]: …')", Kind.FOOTNOTE_UNKNOWN)

    # ---- locations ---------------------------------------------------------

    @staticmethod
    def line(tok: Token) -> int:
        return tok.map[0] + 1 if tok.map else 0

    def loc(self, tok: Token) -> Location:
        if not tok.map:
            return Location(self.path)
        return self.source.block(tok.map[0], tok.map[1])


def _source_text(tok: Token) -> str:
    """What a token's source text starts with, to find it in its block."""
    if tok.type in ("text", "folio_symbol"):
        return tok.content
    if tok.type == "code_inline":
        return tok.markup + tok.content if tok.markup else tok.content
    if tok.type == "footnote_ref":
        return f"[^{tok.meta['label']}]"
    if tok.type == "image":
        return "!["
    if tok.type in ("em_open", "strong_open", "em_close", "strong_close"):
        return tok.markup
    if tok.type == "link_open":
        return "<" if tok.markup == "autolink" else "["
    if tok.type == "link_close":
        return ">" if tok.markup == "autolink" else "]"
    return ""


def _trim(loc: Location, head: int, tail: int) -> Location:
    """A text node's span with `head` characters taken off its start and `tail` off its end."""
    if loc.start < 0:
        return loc
    return replace(loc, col=loc.col + head, start=loc.start + head, end=max(loc.start + head, loc.end - tail))


def image_id(inline: Token) -> str:
    for child in inline.children or []:
        if child.type == "image":
            return child.attrGet("id") or ""
    return ""


def _align(cell: Token) -> str:
    style = cell.attrGet("style") or ""
    return style.removeprefix("text-align:").strip()


def _caption_text(block) -> bool:
    """Does this block read as a table caption ('Table: …', ': …')?"""
    return (isinstance(block, m.Paragraph) and bool(block.children) and isinstance(block.children[0], m.Text)
            and TABLE_CAPTION.match(block.children[0].text) is not None)
