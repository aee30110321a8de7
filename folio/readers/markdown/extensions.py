"""The model's side of the syntax other tools bring (plugins/): definition lists, fenced divs
and admonitions, inline notes, cells of blocks, and the constructs folio reports as
unsupported. A mixin of ToModel: one method per token type, as the rest of it."""
from __future__ import annotations

import hashlib
import re

from markdown_it.token import Token

from ... import model as m
from ...diagnostics import Kind, Location
from ...model.boxes import box_kind
from .markdown import markdown
from .plugins.unsupported import message
from .spans import InlineCursor, SubCursor

# Which blocks a div labelled with a table's or figure's label is about (Quarto writes
# `::: {#tbl-x}` around a table and its caption): the label goes to that block.
WRAPPED_LABELS = {"tbl-": m.Table, "fig-": m.Figure}
FIGURES = {"figure", "image"}     # ```{figure} path: the image and its caption
LANGUAGE_ARGUMENT = {"code", "code-block", "code-cell", "sourcecode"}   # ```{code-cell} python
ALERT = re.compile(r"\[!([A-Za-z]+)\]\s*")


class Extensions:
    # ---- definition lists ------------------------------------------------------------

    def block_dl(self, tok: Token, inner: list[Token]):
        items, i = [], 0
        while i < len(inner):
            end = self._close_of(inner, i)
            if inner[i].type == "dt_open":
                term = inner[i + 1]
                items.append(m.DefinitionItem(self.inlines(term), [], self.loc(term)))
            elif inner[i].type == "dd_open" and items:
                items[-1].definitions.append(self.blocks(inner[i + 1:end]))
            i = end + 1
        return m.DefinitionList(items, self.loc(tok))

    # ---- divs and admonitions ----------------------------------------------------------

    def block_folio_div(self, tok: Token, inner: list[Token]):
        meta, loc = tok.meta, self.loc(tok)
        if not meta["closed"]:
            fence = meta.get("fence", ":::")
            self.reporter.warning(loc, f"this {'div' if fence == ':::' else 'directive'} ({fence}) is never"
                                  f" closed: it runs to the end of its container; close it with a line of"
                                  f" '{fence}'", Kind.SYNTAX)
        if meta["directive"].casefold() in FIGURES and meta["title"]:
            return self._figure(meta, loc, self.blocks(inner))
        title = self._text_inlines(meta["title"], tok) if meta["title"] else []
        self.too_deep(tok, inner, skip=1)
        blocks = self.blocks(inner)
        if meta["directive"] and not box_kind([meta["directive"]]):
            self.unsupported(loc, "directive", "{" + meta["directive"] + "}")
            if title:         # a div shows no title: the directive's argument leads its text instead
                blocks, title = [m.Paragraph([m.Strong(title)], loc), *blocks], []
        div = m.Div(blocks, loc, list(meta["classes"]), title, label=meta["id"])
        return self._heading_in(self._unwrap_label(div))

    def _figure(self, meta: dict, loc: Location, blocks: list) -> list:
        """```{figure} path (or {image}): a figure, its first paragraph the caption, the rest
        of its body after it."""
        first = blocks[0] if blocks and isinstance(blocks[0], m.Paragraph) else None
        caption = first.children if first is not None else []
        return [m.Figure(meta["title"].strip(), caption, loc, label=meta["id"]), *blocks[1 if first else 0:]]

    def block_folio_directive_code(self, tok: Token, inner: list[Token]):
        """A MyST directive whose body is code (```{code-cell} python): its body stays code,
        under its argument as a title unless that names the code's language."""
        meta, loc = tok.meta, self.loc(tok)
        self.unsupported(loc, "directive-code", "{" + meta["directive"] + "}")
        code = m.CodeBlock(tok.content, loc)
        if not meta["title"] or meta["directive"].casefold() in LANGUAGE_ARGUMENT:
            code.label = meta["id"]
            return code
        return m.Div([code], loc, list(meta["classes"]), self._text_inlines(meta["title"], tok), label=meta["id"])

    def too_deep(self, tok: Token, inner: list[Token], skip: int = 0, marks: str = " \t>:") -> None:
        """markdown-it reads blocks at most 20 deep; plugins/nesting.py keeps what is deeper as
        plain paragraphs, and a container holding them says so (once)."""
        if self._nesting_warned or not tok.map:
            return
        if inner and inner[0].meta.get("folio_flattened"):
            self._nesting_warned = True
            self.reporter.warning(self.loc(inner[0]), "blocks nested more than 20 deep (quotations, divs,"
                                  " lists) are kept as plain paragraphs", Kind.SYNTAX)
            return
        if inner:
            return
        lines = [self.source.line_text(k) for k in range(tok.map[0] + skip, tok.map[1])]
        if any(line.strip(marks) for line in lines):
            self._nesting_warned = True
            self.reporter.warning(self.loc(tok), "blocks nested more than 20 deep (quotations, divs, lists)"
                                  " are left out", Kind.SYNTAX)

    def _heading_in(self, div: m.Div) -> m.Div:
        """A box's first heading is its title (Quarto's callouts); any other heading in a div is
        outside the document's outline, and says so."""
        blocks = div.blocks
        if box_kind(div.classes) and not div.title and blocks and isinstance(blocks[0], m.Heading):
            div.title, div.blocks = blocks[0].children, blocks[1:]
        for block in div.blocks:
            if isinstance(block, m.Heading):
                self.reporter.warning(block.loc, "a heading inside a div (:::) is not numbered and not in the"
                                      " contents; close the div before it", Kind.SYNTAX)
        return div

    def block_admonition(self, tok: Token, inner: list[Token]):
        """`!!! note "Title"` (Python-Markdown, MkDocs): a div of the note class."""
        title: list = []
        if inner and inner[0].type == "admonition_title_open":
            if tok.info.strip().casefold() != tok.meta["tag"]:   # the author wrote a title
                title = self.inlines(inner[1])
            inner = inner[3:]
        return m.Div(self.blocks(inner), self.loc(tok), [tok.meta["tag"]], title)

    def alert(self, quote: m.BlockQuote):
        """GitHub's alerts, `> [!NOTE]` … `> [!CAUTION]`: a quotation that is a box."""
        first = quote.blocks[0] if quote.blocks else None
        if not isinstance(first, m.Paragraph) or not first.children or not isinstance(first.children[0], m.Text):
            return quote
        match = ALERT.match(first.children[0].text)
        if not match or not box_kind([match.group(1)]):
            return quote
        rest = first.children[1:]
        rest = rest[1:] if rest and isinstance(rest[0], (m.SoftBreak, m.LineBreak)) else rest
        kept = ([m.Text(first.children[0].text[match.end():], first.children[0].loc)] if match.end() < len(
            first.children[0].text) else []) + rest
        blocks = ([m.Paragraph(kept, first.loc, first.label)] if kept else []) + quote.blocks[1:]
        return m.Div(blocks, quote.loc, [match.group(1).lower()])

    def block_folio_div_stray(self, tok: Token, inner: list[Token]):
        self.reporter.warning(self.loc(tok), "this ':::' closes no div: left out", Kind.SYNTAX)

    def _unwrap_label(self, div: m.Div):
        for prefix, kind in WRAPPED_LABELS.items():
            inside = [b for b in div.blocks if isinstance(b, kind)]
            if div.label.startswith(prefix) and len(inside) == 1 and not inside[0].label:
                inside[0].label, div.label = div.label, ""
        return div

    def _text_inlines(self, text: str, tok: Token) -> list:
        """Inlines of a few words read from an opening line (a div's title)."""
        inline = Token("inline", "", 0)
        inline.content, inline.map = text, tok.map and [tok.map[0], tok.map[0] + 1]
        inline.children = []
        markdown().inline.parse(text, markdown(), self.env, inline.children)
        return self.inlines(inline)

    # ---- inline notes: ^[text] ---------------------------------------------------------

    def inline_note(self, tok: Token, cursor: InlineCursor | None) -> m.FootnoteRef:
        """The call of an inline note: its label, made from its text (stable when other notes
        change), and where its text is, for when the note itself is read."""
        number = tok.meta["id"]
        content = self.env.get("footnotes", {}).get("list", {}).get(number, {}).get("content", "")
        digest = "inline-" + hashlib.sha1(content.encode("utf-8")).hexdigest()[:8]
        label, n = digest, self.inline_labels.get(digest, 1)   # last suffix tried: n alike stay linear
        while label in self.inline_labels:
            n += 1
            label = f"{digest}-{n}"
        self.inline_labels[digest] = n
        self.inline_labels[label] = n
        sub, loc = None, self._inline_loc
        if cursor is not None:
            start, _ = cursor.find("^[")
            sub = SubCursor(cursor, start + 2, content)
            cursor.skip_to(start + 2 + len(content) + 1)
            loc = cursor.span(start, cursor.pos)
        self.inline_notes[number] = (label, sub)
        return m.FootnoteRef(label, loc)

    def inline_note_text(self, tok: Token, body: list[Token]) -> None:
        """The text of an inline note, read with its own cursor into the source."""
        label, cursor = self.inline_notes.get(tok.meta["id"], (f"inline-{tok.meta['id']}", None))
        inline = next((t for t in body if t.type == "inline"), None)
        content = inline.content if inline is not None else ""
        loc = cursor.span(0, len(content)) if cursor is not None else Location(self.path)
        children = self.inlines(inline, cursor, loc) if inline is not None else []
        if not content.strip():
            self.reporter.warning(loc, f"inline note '^[{content}]' has no text", Kind.FOOTNOTE_UNKNOWN)
        self.footnotes[label] = m.Footnote(label, [m.Paragraph(children, loc)], loc, id="fn-" + label)

    # ---- tables whose cells hold blocks (grid tables) -----------------------------------

    def cell(self, inner: list[Token], align: str) -> m.TableCell:
        if len(inner) == 1 and inner[0].type == "inline":
            return m.TableCell(self.inlines(inner[0]), align)
        return m.TableCell([], align, self.blocks(inner))

    # ---- what folio does not read --------------------------------------------------------

    def unsupported(self, loc: Location, key: str, detail: str = "") -> None:
        self.reporter.warning(loc, message(key, detail), Kind.UNSUPPORTED_SYNTAX)

    def unsupported_lines(self, inline: Token) -> None:
        """Constructs found line by line in a paragraph (example list items)."""
        for offset, key in (inline.meta or {}).get("folio_unsupported_lines", []):
            first = inline.map[0] + offset
            self.unsupported(self.source.block(first, first + 1), key)
