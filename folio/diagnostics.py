"""Located messages: every problem names a file and line, and has a kind."""
from __future__ import annotations

import difflib
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
    INVISIBLE_CHAR = "invisible-char"
    SERVE = "serve"


@dataclass(frozen=True)
class Location:
    path: str
    line: int = 0  # 1-based; 0 = the file as a whole

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


@dataclass(frozen=True)
class Message:
    location: Location
    severity: str  # "error" | "warning"
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
        elif msg not in self._seen:
            self._seen.add(msg)
            self.messages.append(msg)

    @property
    def errors(self) -> list[Message]:
        return [m for m in self.messages if m.severity == "error"]

    @property
    def warnings(self) -> list[Message]:
        return [m for m in self.messages if m.severity == "warning"]


class FolioError(Exception):
    """Stops a build: the reporter already holds the located messages."""


def closest(word: str, choices) -> str:
    """' (did you mean 'x'?)' for the nearest choice, or ''."""
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.5)
    return f" (did you mean '{match[0]}'?)" if match else ""
