"""The interface between the model and the projection engine: a paragraph as the reader sees it,
piece by piece, each piece knowing the stretch of source it came from.

The model side (the source map, issue 12) produces these; the projection engine consumes them.
Everything here is plain data plus the one computation both sides need: which source characters
each rendered character came from.
"""
from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass, field

TEXT = "text"   # the reader's characters come from the source's, one by one (modulo smart quotes,
#                 escapes, entities, a line end read as a space)
ATOM = "atom"   # generated as a whole from a source construct (cross-reference, footnote call,
#                 gap, a number); never edited inside. start == end when it has no source at all
MARK = "mark"   # source only, shows nothing: `*`, `**`, `[`, `](url)`; opening and closing
#                 marks of one container share a `pair` number


@dataclass(frozen=True)
class Span:
    text: str            # what the reader sees ("chapter V", "“quoted”", "" for a mark)
    start: int           # [start, end): absolute character offsets into the source text
    end: int
    kind: str = TEXT
    depth: int = 0       # how many inline containers (emphasis, strong, link) enclose it
    pair: int = 0        # marks: the container they open or close
    what: str = ""       # atoms: what it is, for messages ("cross-reference @sec-x")
    hint: str = ""       # atoms: where to make a change to what it shows instead


@dataclass
class RenderedParagraph:
    """One paragraph of the DOCX as folio wrote it, and where it came from.

    A block gives one, or several (a table's cells, a list's items): `id` is unique and is what
    the DOCX's source map names; `block` is the model block's id."""

    id: str
    block: str
    kind: str                  # heading | paragraph | cell | caption | item | footnote | generated
    spans: list
    start: int = 0             # the block's whole source slice, for removing or adding blocks
    end: int = 0
    line: int = 0              # first line, for messages
    hint: str = ""             # generated paragraphs: where to change them instead
    level: int = 0             # headings: 1, 2, 3 …

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.spans)


@dataclass
class SourceView:
    """A source revision as the DOCX shows it: the text, and its paragraphs in DOCX order."""

    path: str                  # as messages show it
    text: str
    paragraphs: list = field(default_factory=list)


# Atoms left out of a paragraph's text hash: the note numbers Word shows for a reference (not
# text in the file) and page numbers (Word and LibreOffice update them).
UNHASHED = ("a note number", "the call of note", "a page number")


def written_text(paragraph: RenderedParagraph) -> str:
    """The paragraph's text as the source map hashes it (sourcemap.text_digest)."""
    return "".join(s.text for s in paragraph.spans if not (s.kind == ATOM and s.what.startswith(UNHASHED)))


# ---- which source characters each rendered character came from ------------------------

# Both sides are compared in one canonical form, so that what markdown-it changed (quotes,
# dashes from a typographer, a line end read as a space) still lines up.
CANON_PAIRS = (("“", '"'), ("”", '"'), ("„", '"'), ("‘", "'"), ("’", "'"), ("\u00a0", " "), ("\n", " "),
               ("\t", " "))


def canon(text: str) -> str:
    """The canonical form: one character for one, so offsets stay valid. (A chain of replaces:
    str.translate with a table is ten times slower on a long report.)"""
    for old, new in CANON_PAIRS:
        if old in text:
            text = text.replace(old, new)
    return text


def char_ranges(span: Span, source: str) -> list[tuple[int, int]]:
    """For each character of a TEXT span, the source range [lo, hi) it came from.

    The source is read in units first: an escape (`\\*`) or an entity (`&amp;`) is one unit
    standing for the one character it shows, so an edit of that character replaces it whole.
    """
    text, src = span.text, source[span.start:span.end]
    if text == src:
        return [(span.start + i, span.start + i + 1) for i in range(len(text))]
    units = [(span.start + m.start(), span.start + m.end(), _shows(m.group())) for m in UNIT.finditer(src)]
    shows, owner = [], []
    for n, (_, _, shown) in enumerate(units):
        shows.append(shown)
        owner += [n] * len(shown)
    ranges: list = [None] * len(text)
    matcher = difflib.SequenceMatcher(None, canon(text), canon("".join(shows)), autojunk=False)
    ti = ci = 0
    for block in matcher.get_matching_blocks():
        _fill_gap(ranges, ti, block.a, _unit_span(units, owner, ci, block.b))
        for k in range(block.size):
            lo, hi, _ = units[owner[block.b + k]]
            ranges[block.a + k] = (lo, hi)
        ti, ci = block.a + block.size, block.b + block.size
    return ranges


UNIT = re.compile(r"\\[!-/:-@\[-`{-~]|&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});|.", re.S)


def _shows(unit: str) -> str:
    """What one source unit shows: the escaped sign, the entity's character, or itself."""
    if len(unit) == 2 and unit[0] == "\\":
        return unit[1]
    if unit[0] == "&" and len(unit) > 1:
        return html.unescape(unit)
    return unit


def _unit_span(units: list, owner: list, c0: int, c1: int) -> tuple[int, int]:
    """The source range of the units behind canonical characters c0..c1 (empty if none)."""
    if c1 <= c0:
        lo = units[owner[c0]][0] if c0 < len(owner) else (units[-1][1] if units else 0)
        return lo, lo
    return units[owner[c0]][0], units[owner[c1 - 1]][1]


def _fill_gap(ranges: list, t0: int, t1: int, where: tuple[int, int]) -> None:
    """Rendered characters t0..t1 with no one-to-one source: all of them stand for the same
    stretch (a typographer's dash, text markdown-it rewrote)."""
    for i in range(t0, t1):
        ranges[i] = where
