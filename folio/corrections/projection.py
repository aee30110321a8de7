"""The projection engine: an edit of the text a reader saw, made on the source it came from.

Given a paragraph's rendered spans (spans.Span) and the paragraph as the editor left it, it
finds what changed, word by word, and makes the smallest edits of the source that give that
text, leaving the source's own constructs as they were written: emphasis markers, escapes and
entities around an edited word stay; cross-references, footnote calls, gaps and numbers (atoms)
are kept whole, removed whole, or, for an edit inside one, refused with a message saying where
the change belongs instead.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from .diff import opcodes
from .escape import escape_inline
from .spans import ATOM, MARK, TEXT, Span, char_ranges

TOKEN = re.compile(r"\w+|\s+|[^\w\s]")
REFINE_RATIO = 0.6     # a changed stretch this similar to the old one is edited letter by letter
REFINE_CELLS = 250_000  # … if it is short enough for that (letter by letter is quadratic)
OPENERS = ("{~~", "{--", "{==")   # "{++…++}" comes whole: it goes where any added text goes
CLOSERS = ("~~}", "--}", "==}")


@dataclass(frozen=True)
class Piece:
    """A stretch of the edited paragraph."""

    text: str
    raw: bool = False          # source markup to write as it is (CriticMarkup), not text to escape
    generated: str = ""        # made by Word (a field result, a note number), not typed


@dataclass(frozen=True)
class SourceEdit:
    start: int                 # replace source[start:end] by text
    end: int
    text: str


@dataclass(frozen=True)
class Refusal:
    offset: int                # where in the source it concerns
    text: str


@dataclass
class Projection:
    edits: list = field(default_factory=list)
    refused: list = field(default_factory=list)
    removed: list = field(default_factory=list)  # atoms removed whole: (offset, what)
    changes: int = 0           # changed stretches of the text, as a reader counts them


class _Ranges:
    """rendered character -> source range, worked out per span when first asked for (most
    spans of a paragraph are never touched by an edit)."""

    def __init__(self, spans: list[Span], source: str, owner: list[int], offset: list[int]):
        self.spans, self.source, self.owner, self.offset = spans, source, owner, offset
        self.done: dict[int, list] = {}

    def __getitem__(self, i: int) -> tuple[int, int]:
        n = self.owner[i]
        if n not in self.done:
            span = self.spans[n]
            self.done[n] = char_ranges(span, self.source) if span.kind == TEXT else \
                [(span.start, span.end)] * len(span.text)
        return self.done[n][i - self.offset[n]]


class Rendered:
    """Per rendered character: its span, and the source range it came from."""

    def __init__(self, spans: list[Span], source: str):
        self.spans, self.source = spans, source
        self.text = "".join(s.text for s in spans)
        self.owner: list[int] = []
        self.offset: list[int] = []        # span -> its first rendered character
        for n, span in enumerate(spans):
            self.offset.append(len(self.owner))
            self.owner += [n] * len(span.text)
        self.ranges = _Ranges(spans, source, self.owner, self.offset)
        starts = [s.start for s in spans] or [0]
        self.first, self.last = min(starts), max([s.end for s in spans] or [0])

    def span(self, i: int) -> Span:
        return self.spans[self.owner[i]]

    def depth(self, i: int) -> int:
        return self.span(i).depth if 0 <= i < len(self.text) else 0

    def left(self, p: int) -> int:
        """The source position just after rendered character p-1."""
        return self.ranges[p - 1][1] if p > 0 else self.first

    def right(self, p: int) -> int:
        """The source position just before rendered character p."""
        return self.ranges[p][0] if p < len(self.text) else self.last

    def atom_at(self, p: int) -> Span | None:
        """The atom a boundary p falls strictly inside of, if any."""
        if 0 < p < len(self.text) and self.owner[p - 1] == self.owner[p] and self.span(p).kind == ATOM:
            return self.span(p)
        return None


def project(spans: list[Span], source: str, edited: list[Piece]) -> Projection:
    """Source edits that turn the paragraph the spans render into the edited one."""
    r = Rendered(spans, source)
    etext = "".join(p.text for p in edited)
    generated = _mask(edited, lambda p: bool(p.generated))
    raw = _mask(edited, lambda p: p.raw)
    work = _Work(r, etext, raw)
    for tag, r0, r1, e0, e1 in _char_opcodes(r.text, edited):
        if tag != "equal":
            work.change(r0, r1, e0, e1, any(generated[e0:e1]))
    return work.finish()


def _mask(pieces: list[Piece], test) -> list[bool]:
    out: list[bool] = []
    for p in pieces:
        out += [test(p)] * len(p.text)
    return out


def _tokens(pieces: list[Piece]) -> list[str]:
    """Words, runs of space, single signs; a raw piece is one token of its own."""
    out, plain = [], ""
    for p in pieces:
        if p.raw:
            out += TOKEN.findall(plain) + [p.text]
            plain = ""
        else:
            plain += p.text
    return out + TOKEN.findall(plain)


def _char_opcodes(rtext: str, edited: list[Piece]) -> list:
    """Opcodes over tokens (diff.py: bounded time however many changes), converted to
    character offsets; changes separated only by a space become one (a rewritten phrase is one
    change, not one per word)."""
    a, b = TOKEN.findall(rtext), _tokens(edited)
    apos, bpos = _offsets(a), _offsets(b)
    ops = opcodes(a, b)
    out: list = []
    for tag, i0, i1, j0, j1 in ops:
        op = [tag, apos[i0], apos[i1], bpos[j0], bpos[j1]]
        if tag != "equal" and len(out) >= 2 and out[-2][0] != "equal" and out[-1][0] == "equal" \
                and not rtext[out[-1][1]:out[-1][2]].strip():
            out.pop()
            out[-1] = ["replace", out[-1][1], op[2], out[-1][3], op[4]]
        else:
            out.append(op)
    return out


def _offsets(tokens: list[str]) -> list[int]:
    out = [0]
    for t in tokens:
        out.append(out[-1] + len(t))
    return out


class _Work:
    """Collects deletions and insertions (in source positions) for one paragraph."""

    def __init__(self, r: Rendered, etext: str, raw: list[bool]):
        self.r, self.etext, self.raw = r, etext, raw
        self.deleted: set[int] = set()             # rendered characters deleted
        self.inserts: list[tuple[int, int, str]] = []  # (source position, order, source text)
        self.result = Projection()

    # ---- one changed stretch --------------------------------------------------------------

    def change(self, r0: int, r1: int, e0: int, e1: int, has_generated: bool) -> None:
        problem = self._atom_problem(r0, r1, e0, e1)
        if problem is None and has_generated:
            problem = (self.r.right(r0) if r0 < len(self.r.text) else self.r.last,
                       f"'{self.etext[e0:e1].strip()}' was added in Word as a field or a note; it cannot be"
                       " typed into the source: write the cross-reference (@label) or the note ([^label]) there")
        if problem is not None:
            self.result.refused.append(Refusal(*problem))
            return
        self.result.changes += 1
        old, new = self.r.text[r0:r1], self.etext[e0:e1]
        if r1 > r0 and e1 > e0 and len(old) * len(new) <= REFINE_CELLS \
                and difflib.SequenceMatcher(None, old, new).ratio() >= REFINE_RATIO \
                and not any(self.r.span(i).kind == ATOM for i in range(r0, r1)):
            for tag, a0, a1, b0, b1 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
                if tag != "equal":
                    self._apply(r0 + a0, r0 + a1, e0 + b0, e0 + b1, inside=(r0, r1))
        else:
            self._apply(r0, r1, e0, e1, inside=(r0, r1) if r1 > r0 else None)

    def _atom_problem(self, r0: int, r1: int, e0: int, e1: int):
        """An atom the stretch cuts into (or a sourceless one it touches): (offset, message)."""
        for i in range(r0, r1):
            span = self.r.span(i)
            first = self.r.offset[self.r.owner[i]]
            whole = first >= r0 and first + len(span.text) <= r1
            if span.kind == ATOM and (not whole or span.start == span.end):
                return span.start, _refusal(span, self.r.text[r0:r1], self.etext[e0:e1])
        for p in (r0, r1) if r0 == r1 else ():
            atom = self.r.atom_at(p)
            if atom is not None:
                return atom.start, _refusal(atom, "", self.etext[e0:e1])
        return None

    def _apply(self, r0: int, r1: int, e0: int, e1: int, inside) -> None:
        self.deleted.update(range(r0, r1))
        for i in range(r0, r1):
            span = self.r.span(i)
            if span.kind == ATOM and self.r.offset[self.r.owner[i]] == i:
                self.result.removed.append((span.start, span.what or span.text))
        if e1 > e0:
            at = self._insert_position(r0, r1, inside, self._leaning(e0))
            self.inserts.append((at, len(self.inserts), self._encode(e0, e1, at)))

    def _leaning(self, e0: int) -> str:
        """CriticMarkup that opens a mark leans on the text after it, one that closes or turns
        it on the text before: both stay inside the emphasis around the marked words."""
        if not self.raw[e0]:
            return ""
        rest = self.etext[e0:e0 + 3]
        return "right" if rest in OPENERS else "left" if rest[:2] == "~>" or rest in CLOSERS else ""

    def _insert_position(self, r0: int, r1: int, inside, leaning: str = "") -> int:
        """Where new text goes in the source. Replacing: where the old text began, inside its
        containers. Adding at a boundary of a changed word: on that word's side. Adding
        between words: outside any container that starts or ends there."""
        r = self.r
        if r1 > r0:
            return r.ranges[r0][0]
        left, right = r.left(r0), r.right(r0)
        if left == right or leaning:
            return right if leaning == "right" else left
        if inside is not None and r0 == inside[1]:
            return left
        if inside is not None and r0 == inside[0]:
            return right
        return right if r.depth(r0) < r.depth(r0 - 1) else left

    def _encode(self, e0: int, e1: int, at: int) -> str:
        """Edited text as source: typed text escaped, raw markup as it is."""
        out, i = [], e0
        while i < e1:
            j = i
            while j < e1 and self.raw[j] == self.raw[i]:
                j += 1
            chunk = self.etext[i:j]
            out.append(chunk if self.raw[i] else escape_inline(chunk, _line_start(self.r.source, at)))
            i = j
        return "".join(out)

    # ---- result ---------------------------------------------------------------------------

    def finish(self) -> Projection:
        cuts = [self.r.ranges[i] for i in sorted(self.deleted) if self.r.span(i).kind != ATOM
                or self.r.span(i).start != self.r.span(i).end]
        cuts += self._emptied_marks()
        edits = [SourceEdit(lo, hi, "") for lo, hi in _merge(cuts)]
        for at, _, text in sorted(self.inserts):
            edits.append(SourceEdit(at, at, text))
        self.result.edits = _trim(_combine(edits), self.r.source)
        return self.result

    def _emptied_marks(self) -> list[tuple[int, int]]:
        """Both marks of a container whose every character was deleted, nothing added inside."""
        r, out = self.r, []
        opens: dict[int, int] = {}
        for n, close in enumerate(r.spans):
            if close.kind != MARK or not close.pair or opens.setdefault(close.pair, n) == n:
                continue
            open_ = r.spans[opens[close.pair]]
            first = r.offset[opens[close.pair]]
            inner = range(first, r.offset[n])          # the characters of the spans between the two
            added = any(open_.end <= at <= close.start for at, _, _ in self.inserts)
            if inner and all(i in self.deleted for i in inner) and not added:
                out += [(open_.start, open_.end), (close.start, close.end)]
        return out


def _refusal(atom: Span, old: str, new: str) -> str:
    what = atom.what or "generated text"
    change = f"'{old.strip()}' → '{new.strip()}'" if old.strip() else f"'{new.strip()}' added"
    where = atom.hint or "make the change in the source"
    return f"not applied: {change} falls inside '{atom.text.strip()}', which is {what}; {where}"


def _line_start(source: str, at: int) -> bool:
    return at == 0 or source[at - 1] == "\n"


def _merge(ranges) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for lo, hi in sorted(r for r in ranges if r[1] > r[0]):
        if out and lo <= out[-1][1]:
            out[-1][1] = max(out[-1][1], hi)
        else:
            out.append([lo, hi])
    return [(lo, hi) for lo, hi in out]


def _combine(edits: list[SourceEdit]) -> list[SourceEdit]:
    """Deletions and insertions that touch become one replacement each."""
    out: list[SourceEdit] = []
    for e in sorted(edits, key=lambda e: (e.start, e.end > e.start)):
        if out and e.start <= out[-1].end:
            last = out[-1]
            out[-1] = SourceEdit(last.start, max(last.end, e.end), last.text + e.text)
        else:
            out.append(e)
    return out


def _trim(edits: list[SourceEdit], source: str) -> list[SourceEdit]:
    """Each edit without the characters it would leave as they are."""
    out = []
    for e in edits:
        old, new, lo = source[e.start:e.end], e.text, e.start
        k = 0
        while k < min(len(old), len(new)) and old[k] == new[k]:
            k += 1
        old, new, lo = old[k:], new[k:], lo + k
        k = 0
        while k < min(len(old), len(new)) and old[-1 - k] == new[-1 - k]:
            k += 1
        if k:
            old, new = old[:-k], new[:-k]
        if old or new:
            out.append(SourceEdit(lo, lo + len(old), new))
    return out
