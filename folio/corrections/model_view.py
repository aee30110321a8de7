"""The source as the DOCX shows it: one RenderedParagraph per paragraph of the DOCX writer's
plan (writers/docx/plan.py), in the writer's order, named as the writer's source map names it,
with the plan's generated text (heading and paragraph numbers, list markers, "Table 1", a
note's own number) as atoms and every other piece tied to the source it came from.

Nothing here decides what the Word file shows: the plan does, for the writer and for this
view alike. What is here is where each piece came from in the source. Where the model's span
of a node is exact (folio's own constructs, and text markdown-it did not rewrite) it is used as
it is; the rest is found from the cursor on in the block's lines."""
from __future__ import annotations

import re

from .. import model as m
from ..i18n import numerals, wording
from ..model.text import plain_text
from ..writers.docx.plan import Planned
from ..writers.docx.planner import plan
from .spans import ATOM, MARK, TEXT, RenderedParagraph, SourceView, Span, canon

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
DASHES = {"\u2014": r"(?:\u2014|---|&[#\w]+;)", "\u2013": r"(?:\u2013|--|&[#\w]+;)"}


def source_view(doc: m.Document, text: str, path: str, pages: dict | None = None) -> SourceView:
    """The paragraphs of the DOCX folio writes for doc, each with spans into text."""
    builder = _Builder(text, path, _BlockEnds(text), pages or {}, doc.terms or {})
    for planned in plan(doc, pages):
        builder.paragraph(planned)
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
        self.cursor = 0
        self.called: set[str] = set()     # notes called so far, in the writer's order
        self.in_note = False
        self.lost = False                 # inside a lost part's heading

    def paragraph(self, planned: Planned) -> None:
        self.in_note = planned.kind == "footnote"
        if planned.kind == "generated":
            self.generated(planned)
            return
        at = self.start_of(planned.line)
        lead = [self.atom(x.text, at, x.what, x.hint) for x in planned.lead]
        start = _start(planned.inlines) if planned.kind == "cell" else -1
        if start >= 0:             # a row's cells side by side on its lines: each from its own start
            self.cursor = start
        self.add(planned, lead, keep_cursor=planned.follows or start >= 0)

    def generated(self, planned: Planned) -> None:
        """A paragraph folio makes; its position is the line where a change to it belongs."""
        at = self.start_of(planned.line) if planned.line else 0
        text = "".join(x.text for x in planned.lead)
        self.out.append(RenderedParagraph(f"generated#{len(self.out)}", "", "generated",
                                          [Span(text, at, at, ATOM, what="generated", hint=planned.hint)],
                                          at, at, planned.line, hint=planned.hint))

    # ---- one paragraph ----------------------------------------------------------------------

    def add(self, planned: Planned, lead: list, keep_cursor: bool = False) -> None:
        first = planned.line
        start, end = self.start_of(first), self.end_of(first)
        if not keep_cursor:
            self.cursor = start
        self.lost = planned.lost
        spans = lead + self.inlines(planned.inlines, 0, end)
        self.lost = False
        key = self.unique(planned.id or f"{planned.kind}-{first}")
        self.out.append(RenderedParagraph(key, planned.id or key, planned.kind, spans, start, end, first,
                                          level=planned.level))

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
        match = re.compile(r"<br\b[^>]*>|(?:\\|[ \t]{2,})?\n[ \t]*").search(self.text, self.cursor, limit)
        return [self.found("\n", match, depth)] if match else [Span("\n", self.cursor, self.cursor, TEXT, depth)]

    def inline_Gap(self, g, depth, limit):
        shown = self.terms.get("gap", "[…]")
        if self.lost:                     # as the writer's lost heading: the marker and its reason
            shown += " " + (g.reason or self.terms.get("gap_no_reason", ""))
        return [self.construct(g, shown, depth, "an editorial gap",
                               "a gap is filled or removed in the source, where {gap} is written")]

    def inline_XRef(self, x, depth, limit):
        what, hint = f"a cross-reference to '{x.label}'", \
            f"what it shows comes from its target: retarget it or renumber the target ({x.label})"
        if x.mode != "page":
            return [self.construct(x, wording.reference(x, self.terms), depth, what, hint)]
        # "page " and the page number, which Word computes (a PAGEREF field's result)
        word = self.construct(x, self.terms.get("page_ref", "") + " ", depth, what, hint)
        return [word, Span(self.pages.get(x.target or x.label, ""), word.end, word.end, ATOM, depth,
                           what="a page number of " + what[2:], hint=hint)]

    def inline_Cited(self, c, depth, limit):
        return [self.construct(c, plain_text(c.children), depth, f"a citation ({c.source})",
                               "what it shows comes from the bibliography and the citation style:"
                               " change the citation or the bibliography")]

    def inline_FootnoteRef(self, r, depth, limit):
        # As the writer writes it: the first call of a note is Word's note reference; a note
        # called again, or from a note, is a NOTEREF field, whose result is text in the file.
        first = not self.in_note and r.label not in self.called
        self.called.add(r.label)
        match = re.compile(r"\[\^" + re.escape(r.label) + r"\]").search(self.text, self.cursor, limit)
        what = f"the call of note [^{r.label}]" if first else f"a reference to note [^{r.label}]"
        return [self.found(numerals.own(r.number), match, depth, ATOM, what,
                           "note numbers are given by the order of the calls")]

    # Each mark as Markdown writes it, or as raw HTML does (readers/html.py)
    def inline_Emph(self, e, depth, limit):
        return self.container(e.children, depth, limit, r"[*_]|<(?:em|i|cite|var|dfn)\b[^>]*>",
                              r"[*_]|</(?:em|i|cite|var|dfn)\s*>")

    def inline_Strong(self, s, depth, limit):
        return self.container(s.children, depth, limit, r"\*\*|__|<(?:strong|b)\b[^>]*>", r"\*\*|__|</(?:strong|b)\s*>")

    def inline_Link(self, link, depth, limit):
        return self.container(link.children, depth, limit, r"\[|<a\b[^>]*>",
                              r"\]\([^)\n]*\)|\]\[[^\]\n]*\]|\]|</a\s*>")

    inline_HeadingRef = inline_Link

    def inline_Superscript(self, s, depth, limit):
        return self.container(s.children, depth, limit, r"<sup\b[^>]*>|\^", r"</sup>|\^")

    def inline_Subscript(self, s, depth, limit):
        return self.container(s.children, depth, limit, r"<sub\b[^>]*>|~", r"</sub>|~")

    def container(self, children, depth, limit, opener: str, closer: str | None = None) -> list[Span]:
        self.pair += 1
        pair = self.pair
        opened = re.compile(opener).search(self.text, self.cursor, limit)
        out = [self.found("", opened, depth, MARK, pair=pair)] if opened else []
        out += self.inlines(children, depth + 1, limit)
        closed = re.compile(closer or opener).search(self.text, self.cursor, limit)
        out += [self.found("", closed, depth, MARK, pair=pair)] if closed else []
        return out

    def construct(self, node, shown: str, depth: int, what: str, hint: str) -> Span:
        """An atom for one of folio's own constructs ({gap}, @ref): its span is the model's,
        exact (the reader's own rules found it)."""
        loc = node.loc
        if loc is not None and 0 <= loc.start < loc.end <= len(self.text):
            self.cursor = max(self.cursor, loc.end)
            return Span(shown, loc.start, loc.end, ATOM, depth, 0, what, hint)
        return Span(shown, self.cursor, self.cursor, ATOM, depth, 0, what, hint)

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


def _start(children) -> int:
    """Where a cell's text starts in the source, -1 if unknown."""
    for node in children:
        loc = getattr(node, "loc", None)
        if loc is not None and loc.start >= 0:
            return loc.start
    return -1


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
