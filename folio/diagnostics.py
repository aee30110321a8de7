"""Located messages: every problem names a file and line, and has a kind."""
from __future__ import annotations

import bisect
import difflib
from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum

from .controls import visible


class Kind(StrEnum):
    """Message kinds; their values are what --strict/ignore lists and the README name."""

    XREF_UNKNOWN = "xref-unknown"
    XREF_UNNUMBERED = "xref-unnumbered"
    LABEL_DUPLICATE = "label-duplicate"
    FRONT_MATTER = "front-matter"
    FRONT_MATTER_KEY = "front-matter-key"
    FRONT_MATTER_TYPE = "front-matter-type"
    ABBR_DUPLICATE = "abbr-duplicate"
    ABBR_UNDEFINED = "abbr-undefined"
    ABBR_UNUSED = "abbr-unused"
    ABBR_FIRST_USE = "abbr-first-use"
    FOOTNOTE_UNKNOWN = "footnote-unknown"
    HEADING_SKIP = "heading-skip"
    SYNTAX = "syntax"
    FILE = "file"
    ENCODING = "encoding"
    CONTROL_CHAR = "control-char"
    TEMPLATE = "template"
    FORMAT = "format"
    RENDER = "render"
    LAYOUT = "layout"
    DOCX = "docx"                      # an edited Word file that cannot be read
    DOCX_MATCH = "docx-match"          # paragraphs matched by text alone, or not at all
    DOCX_UNPLACED = "docx-unplaced"    # a correction that could not be placed in the source
    DOCX_GENERATED = "docx-generated"  # a correction inside generated text (numbers, contents …)
    DOCX_COMMENT = "docx-comment"      # an editor's comment, as a note
    DOCX_CONFLICT = "docx-conflict"    # the source and the Word file changed the same lines
    GLYPH = "glyph"
    UNSUPPORTED_SYNTAX = "unsupported-syntax"   # syntax of another tool folio does not read
    INVISIBLE_CHAR = "invisible-char"
    FIGURE_NUMBER = "figure-number"    # a figure number written in its caption that repeats or goes back
    LINK_EMPTY = "link-empty"          # a link with no text: its address is shown
    SERVE = "serve"
    LOCALE = "locale"                  # a locale table with an unknown word or a bad scheme
    LINK = "link"                      # a link target no edition may carry
    STRUCTURE = "structure"            # a language version whose structure is not its original's
    CITATION = "citation"              # a citation key the bibliography lacks, or no bibliography
    BIBLIOGRAPHY = "bibliography"      # a bibliography or citation style that cannot be read


@dataclass(frozen=True)
class Location:
    """A span of a source file. Messages show path:line; the rest maps an output back to its
    source (folio where, Word corrections, the page map)."""
    path: str
    line: int = 0      # 1-based first line; 0 = the file as a whole
    end_line: int = 0  # 1-based last line (inclusive); 0 = same as line
    col: int = 0       # 1-based column of the first character; 0 = unknown
    start: int = -1    # character offsets into the cleaned source text, end exclusive;
    end: int = -1      # -1 = unknown

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path

    @property
    def last_line(self) -> int:
        return max(self.end_line, self.line)


@dataclass(frozen=True)
class Message:
    location: Location
    severity: str  # "error" | "warning" | "note" (information; never fails a run)
    text: str
    kind: Kind

    def __str__(self) -> str:
        # Invisible characters quoted from the source are written <U+202E>: an override would
        # reorder the terminal's line, a zero-width space hide in a name.
        return visible(f"{self.location}: {self.severity}: {self.text} [{self.kind.value}]")


@dataclass
class Reporter:
    """Collects every problem of a run, so all of them can be shown at once."""

    messages: list[Message] = field(default_factory=list)
    ignore: frozenset[str] = frozenset()
    _seen: set = field(default_factory=set, repr=False)
    # Messages of ignored kinds, kept aside: an output that one of them stopped must still say why.
    ignored: list[Message] = field(default_factory=list, repr=False)

    def error(self, loc: Location, text: str, kind: Kind) -> None:
        self._add(Message(loc, "error", text, kind))

    def warning(self, loc: Location, text: str, kind: Kind) -> None:
        self._add(Message(loc, "warning", text, kind))

    def note(self, loc: Location, text: str, kind: Kind) -> None:
        self._add(Message(loc, "note", text, kind))

    def extend(self, messages) -> None:
        """Take messages collected elsewhere (a writer's process) through the same filters."""
        for msg in messages:
            self._add(msg)

    def silence(self, kinds) -> None:
        """Ignore these kinds from now on, and drop any already collected."""
        self.ignore = frozenset(self.ignore | set(kinds))
        self.messages = [m for m in self.messages if m.kind.value not in self.ignore]

    def _add(self, msg: Message) -> None:
        if msg.kind.value in self.ignore:
            self.ignored.append(msg)
        elif (key := str(msg)) not in self._seen:  # as printed: one line once, whatever the columns
            self._seen.add(key)
            self.messages.append(msg)

    @property
    def errors(self) -> list[Message]:
        return [m for m in self.messages if m.severity == "error"]

    @property
    def warnings(self) -> list[Message]:
        return [m for m in self.messages if m.severity == "warning"]


SHOWN_PER_KIND = 5


def grouped(messages: list[Message], shown: int = SHOWN_PER_KIND) -> list[str]:
    """The lines to print: of each kind of warning, the first few with their lines, then one line
    counting the rest (80 'abbr-undefined' warnings drowned the one error that mattered). Errors
    and notes are all shown: each asks for a fix, or was asked for (an editor's comments). A count
    of one saves nothing: that warning is shown instead."""
    totals = Counter((msg.severity, msg.kind) for msg in messages)
    seen: Counter = Counter()
    lines, first_hidden = [], {}
    for msg in messages:
        key = (msg.severity, msg.kind)
        seen[key] += 1
        if msg.severity != "warning" or seen[key] <= shown or totals[key] == shown + 1:
            lines.append(str(msg))
        else:
            first_hidden.setdefault(key, msg)
    for (severity, kind), first in first_hidden.items():
        lines.append(visible(f"{first.location.path}: {severity}: … and {totals[(severity, kind)] - shown}"
                             f" more like these ('folio check' lists every one; 'ignore: [{kind.value}]'"
                             f" in the front matter silences the kind) [{kind.value}]"))
    return lines


class FolioError(Exception):
    """Stops a build: the reporter already holds the located messages."""


def closest(word: str, choices) -> str:
    """' (did you mean 'x'?)' for a choice the word is likely a typo of, or ''.

    Only a few edits away (two, or a quarter of the word's length): 'titel' → 'title',
    never 'version' → 'division', which merely look alike. For many words against one set
    of choices, make a Suggestions once."""
    return Suggestions(choices)(word)


class Suggestions:
    """closest() for many words against many choices in linear time: each word is compared
    with a bounded number of candidates, the choices next to it in alphabetical order and in
    the order of their reversed spelling (a typo keeps the start or the end of a word), those of
    a likely length first. difflib over every choice for every word was quadratic (17.9× the
    time at 4n unknown cross-references)."""

    NEIGHBOURS = 8          # on each side, in each order
    LONGEST = 200           # longer words get no suggestion: the edit distance is len²

    def __init__(self, choices):
        self.forward = sorted(str(c) for c in choices)
        self.backward = sorted(c[::-1] for c in self.forward)

    def __call__(self, word: str) -> str:
        if len(word) > self.LONGEST:
            return ""
        limit = max(2, len(word) // 4)
        candidates = dict.fromkeys(self._near(self.forward, word) + [c[::-1] for c in self._near(
            self.backward, word[::-1])])
        candidates = [c for c in candidates if abs(len(c) - len(word)) <= limit]     # length first
        for match in difflib.get_close_matches(word, candidates, n=3, cutoff=0.5):
            if typo_distance(word.casefold(), match.casefold()) <= limit:
                return f" (did you mean '{match}'?)"
        return ""

    def _near(self, ordered: list[str], word: str) -> list[str]:
        at = bisect.bisect_left(ordered, word)
        return ordered[max(0, at - self.NEIGHBOURS):at + self.NEIGHBOURS]


def typo_distance(a: str, b: str) -> int:
    """Edits (insert, delete, replace, swap two neighbours) that turn a into b."""
    previous, current = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        before, previous, current = previous, current, [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], before[j - 2] + 1)
    return current[len(b)]
