"""Raw HTML in Markdown → folio's model, read with a real HTML parser (lxml's).

People put HTML in Markdown for what Markdown cannot say: a table with joined cells, a
superscript, a line break in a heading. folio reads that HTML as what it means, so that it
reaches all three editions as tables and formatting: `table` (caption, thead/tbody/tfoot,
th/td with colspan/rowspan), p, ul/ol/li, blockquote, pre, hr, and inline em/i, strong/b,
sup, sub, code, br, a (its href through folio's link rules), abbr (a definition for the
abbreviations table) and img. Nothing is passed through: any other element is dropped and its
text kept (a script's or a style's is left out), reported once per HTML block with its place
(README, "Hostile and pathological input": nothing runs).

A mixin of ToModel, as extensions.py is."""
from __future__ import annotations

import re

import lxml.html
from lxml import etree
from markdown_it.token import Token

from .. import model as m
from ..diagnostics import Kind, Location
from .markdown.plugins.html import REMOTE

SPACE = re.compile(r"\s+")
INLINE = {"em": m.Emph, "i": m.Emph, "cite": m.Emph, "var": m.Emph, "dfn": m.Emph, "strong": m.Strong,
          "b": m.Strong, "sup": m.Superscript, "sub": m.Subscript}
CODE = {"code", "kbd", "samp", "tt"}
QUIET = {"abbr", "a", "tbody", "folio-md"}      # read as their contents, unreported
BLOCKS = {"p", "table", "ul", "ol", "blockquote", "pre", "hr", "div", "center", "section", "article",
          "details", "summary", "figure", "figcaption", "dl", "dt", "dd", "header", "footer", "main",
          "aside", "nav", "h1", "h2", "h3", "h4", "h5", "h6", "folio-md", "address", "form", "fieldset"}
LEFT_OUT = {"script", "style", "template", "head", "title", "noscript", "iframe", "object", "embed"}
MAX_DEPTH = 20               # as the Markdown reader's: deeper markup is read as its text
MAX_COLSPAN, MAX_ROWSPAN = 100, 1000
PLACEHOLDER = "folio-md"     # where the Markdown between the pieces of one HTML block goes


class HtmlReader:
    def block_html_block(self, tok: Token, inner: list[Token]) -> list:
        return self._html(tok.content, tok, [])

    def block_folio_html_group(self, tok: Token, inner: list[Token]) -> list:
        """An HTML element cut by blank lines, the Markdown between its pieces kept as blocks."""
        pieces, groups, i = [], [], 0
        while i < len(inner):
            end = self._close_of(inner, i)
            if inner[i].type == "html_block":
                pieces.append(inner[i].content)
            else:
                pieces.append(f'<{PLACEHOLDER} n="{len(groups)}"></{PLACEHOLDER}>')
                groups.append(self.blocks(inner[i:end + 1]))
            i = end + 1
        return self._html("".join(pieces), tok, groups)

    def _html(self, text: str, tok: Token, groups: list) -> list:
        loc = self.loc(tok)
        self._html_state = {"dropped": {}, "groups": groups, "loc": loc, "deep": False, "placed": set()}
        if "<!--" in text:
            self.unsupported(loc, "comment")
        try:
            root = lxml.html.fragment_fromstring(text, create_parent="div")
        except (etree.ParserError, ValueError):          # nothing but a comment, say
            return []
        blocks = self._html_blocks(root, 0)
        # Markdown the HTML had no place for (between a <tr> and a <td>, in a <p> never closed)
        # follows the HTML block: the author's text is never lost
        blocks += [b for n, group in enumerate(groups) if n not in self._html_state["placed"] for b in group]
        dropped = self._html_state["dropped"]
        if dropped:
            kept = ", ".join(f"<{t}>" for t in dropped if t not in LEFT_OUT)
            left_out = ", ".join(f"<{t}>" for t in dropped if t in LEFT_OUT)
            if kept:
                gone = left_out and "left out: " + left_out
                self.unsupported(loc, "html-tags", "; ".join(filter(None, (kept, gone))))
            else:
                self.unsupported(loc, "html-left-out", left_out)
        if self._html_state["deep"]:
            self.reporter.warning(loc, f"HTML nested more than {MAX_DEPTH} deep: the deeper elements"
                                  " are read as their text", Kind.SYNTAX)
        return blocks

    # ---- blocks ---------------------------------------------------------------------------

    def _html_blocks(self, el, depth: int) -> list:
        """The blocks an element holds: runs of inline content become paragraphs."""
        out, run = [], self._html_text(el.text)
        for child in el:
            if _tag(child) in BLOCKS or _tag(child) in LEFT_OUT:
                out += self._paragraph(run)
                run = []
                out += self._html_block(child, depth + 1)
            else:
                run += self._html_inline(child, depth + 1)
            run += self._html_text(child.tail)
        return out + self._paragraph(run)

    def _html_block(self, el, depth: int) -> list:
        tag = _tag(el)
        if tag in LEFT_OUT or depth > MAX_DEPTH:
            return self._too_deep(el) if tag not in LEFT_OUT else self._drop(tag, [])
        if tag == PLACEHOLDER:
            groups = self._html_state["groups"]
            n = int(el.get("n", "-1"))
            self._html_state["placed"].add(n)
            return groups[n] if 0 <= n < len(groups) else []
        loc = self._html_loc(el)
        if tag == "p":
            return self._paragraph(self._html_children(el, depth), loc)
        if tag == "table":
            after: list = []          # what a table holds outside its cells follows it
            return [self._html_table(el, depth, loc, after), *after]
        if tag in ("ul", "ol"):
            items = [m.ListItem(self._html_blocks(li, depth + 1)) for li in el if _tag(li) == "li"]
            start = _number(el.get("start"), 1, 10 ** 9)
            return [m.ListBlock(tag == "ol", items, loc, start=start)]
        if tag == "blockquote":
            return [m.BlockQuote(self._html_blocks(el, depth), loc)]
        if tag == "pre":
            return [m.CodeBlock(el.text_content().strip("\n") + "\n", loc)]
        if tag == "hr":
            return [m.Rule(loc)]
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6", "dt", "summary"):   # set apart, not in the outline
            return self._drop(tag, self._paragraph([m.Strong(self._html_children(el, depth))], loc))
        self._drop(tag, [])
        return self._html_blocks(el, depth)

    def _paragraph(self, run: list, loc: Location | None = None) -> list:
        run = _trimmed(run)
        if not run:
            return []
        loc = loc or self._html_state["loc"]
        if len(run) == 1 and isinstance(run[0], m.Image):
            return [m.Figure(run[0].src, [m.Text(run[0].alt)] if run[0].alt else [], loc)]
        return [m.Paragraph(run, loc)]

    def _html_table(self, el, depth: int, loc: Location, after: list) -> m.Table:
        head, body, caption = [], [], []
        self._stray(el, after, depth)
        for child in el:
            tag = _tag(child)
            if tag == "caption":
                caption = _trimmed(self._html_children(child, depth))
            elif tag in ("thead", "tbody", "tfoot"):
                self._stray(child, after, depth)
                rows = [self._html_row(tr, depth + 1, after) for tr in child if _tag(tr) == "tr"]
                (head if tag == "thead" else body).extend(rows)
            elif tag == "tr":
                body.append(self._html_row(child, depth, after))
            elif tag not in ("colgroup", "col", ""):
                after += self._html_block(child, depth + 1)
        if not head and body and body[0] and all(c.align.startswith("th:") for c in body[0]):
            head.append(body.pop(0))            # a first row of <th> only is the table's head
        for row in head + body:
            for cell in row:
                cell.align = cell.align.removeprefix("th:")
        return m.Table(head, body, loc, caption=caption)

    def _stray(self, el, after: list, depth: int) -> None:
        """Text and elements of a table, its sections or its rows outside any cell: kept, after
        the table; the elements of the table itself are the caller's."""
        after += self._paragraph(self._html_text(el.text) + [t for c in el for t in self._html_text(c.tail)])
        if _tag(el) in ("thead", "tbody", "tfoot", "tr"):
            for child in el:
                if _tag(child) not in ("tr", "td", "th", ""):
                    after += self._html_block(child, depth + 1)

    def _html_row(self, tr, depth: int, after: list) -> list:
        cells = []
        self._stray(tr, after, depth)
        for td in tr:
            tag = _tag(td)
            if tag not in ("td", "th"):
                continue
            align = (td.get("align") or _style_align(td.get("style") or "")).lower()
            align = ("th:" if tag == "th" else "") + (align if align in ("left", "center", "right") else "")
            cell = m.TableCell([], align, colspan=_number(td.get("colspan"), 1, MAX_COLSPAN),
                               rowspan=_number(td.get("rowspan"), 1, MAX_ROWSPAN))
            if any(_tag(c) in BLOCKS for c in td):
                cell.blocks = self._html_blocks(td, depth + 1)
            else:
                cell.children = _trimmed(self._html_children(td, depth + 1))
            cells.append(cell)
        return cells

    # ---- inlines --------------------------------------------------------------------------

    def _html_children(self, el, depth: int) -> list:
        out = self._html_text(el.text)
        for child in el:
            out += self._html_inline(child, depth + 1)
            out += self._html_text(child.tail)
        return out

    def _html_inline(self, el, depth: int) -> list:
        tag = _tag(el)
        if tag in LEFT_OUT or not tag:
            return self._drop(tag, []) if tag else []     # a comment is "" here
        if depth > MAX_DEPTH:
            return self._too_deep(el, inline=True)
        if tag == "br":
            return [m.LineBreak()]
        if tag in CODE:
            return [m.Code(el.text_content())]
        if tag == "img" and not REMOTE.match(el.get("src") or ""):
            return [m.Image(el.get("src") or "", el.get("alt") or "")]
        if tag == "img":                 # a badge from the network: its words (folio fetches nothing)
            return self._drop(tag, [m.Text(el.get("alt") or "")])
        if tag == "a" and el.get("href"):
            return [m.Link(el.get("href") or "", self._html_children(el, depth))]   # checked by transforms/links.py
        if tag in INLINE:
            return [INLINE[tag](self._html_children(el, depth))]
        if tag == "abbr":
            self.html_abbreviation(el.text_content(), el.get("title") or "", self._html_loc(el))
        return self._drop(tag, self._html_children(el, depth))

    def html_inline_container(self, tag: str, attrs: dict, text: str):
        """The node an inline HTML element of a Markdown paragraph opens (None: its text only)."""
        if tag == "a":
            return m.Link(attrs["href"], []) if attrs.get("href") else None
        if tag == "abbr":
            self.html_abbreviation(text, attrs.get("title", ""), self._inline_loc)
        return INLINE[tag]([]) if tag in INLINE else None

    def html_abbreviation(self, abbr: str, expansion: str, loc: Location) -> None:
        """<abbr title="…">: a definition, as `*[ABBR]: …` is, unless the text defines it (the
        first title given counts; the text's definitions are kept apart and win)."""
        abbr, expansion = SPACE.sub(" ", abbr).strip(), SPACE.sub(" ", expansion).strip()
        if abbr and expansion and abbr not in self.html_abbreviations and len(abbr) <= 40:
            self.html_abbreviations[abbr] = m.Abbreviation(abbr, expansion, loc)

    # ---- helpers --------------------------------------------------------------------------

    def _html_text(self, text: str | None) -> list:
        return [m.Text(SPACE.sub(" ", text), self._html_state["loc"])] if text else []

    def _html_loc(self, el) -> Location:
        loc = self._html_state["loc"]
        line = getattr(el, "sourceline", None)
        if self._html_state["groups"] or not line or loc.line <= 0:
            return loc
        first = loc.line - 1 + line - 1
        return self.source.block(first, first + 1) if first < loc.last_line else loc

    def _drop(self, tag: str, kept: list) -> list:
        if tag not in QUIET:
            self._html_state["dropped"].setdefault(tag, True)
        return kept

    def _too_deep(self, el, inline: bool = False) -> list:
        self._html_state["deep"] = True
        text = SPACE.sub(" ", el.text_content()).strip()
        if not text:
            return []
        return [m.Text(" " + text + " ")] if inline else [m.Paragraph([m.Text(text)], self._html_state["loc"])]


def _tag(el) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def _number(text: str | None, low: int, high: int) -> int:
    try:
        return min(high, max(low, int((text or "").strip())))
    except ValueError:
        return low


def _style_align(style: str) -> str:
    found = re.search(r"text-align\s*:\s*(\w+)", style)
    return found.group(1) if found else ""


def _trimmed(run: list) -> list:
    """Inline nodes without the spaces at their ends (HTML's whitespace is not the text's)."""
    run = [n for n in run if not (isinstance(n, m.Text) and not n.text)]
    while run and isinstance(run[0], m.Text) and not run[0].text.strip():
        run.pop(0)
    while run and isinstance(run[-1], m.Text) and not run[-1].text.strip():
        run.pop()
    if run and isinstance(run[0], m.Text):
        run[0] = m.Text(run[0].text.lstrip(), run[0].loc)
    if run and isinstance(run[-1], m.Text):
        run[-1] = m.Text(run[-1].text.rstrip(), run[-1].loc)
    return run
