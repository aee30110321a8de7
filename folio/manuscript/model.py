"""The blocks of a manuscript, between reading the DOCX and writing Markdown."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Heading:
    level: int
    text: str                   # Markdown, the author's number taken off
    number: str | None = None   # the author's chapter number (Roman), kept as number=
    unnumbered: bool = False
    classes: tuple[str, ...] = ()   # .front, .abbreviations


@dataclass
class Para:
    text: str


@dataclass
class Item:
    ordered: bool
    depth: int                  # 0 for the outermost list
    text: str


@dataclass
class Table:
    rows: list[list[str]]


@dataclass
class Manuscript:
    title: str
    subtitle: str = ""
    blocks: list = field(default_factory=list)
    notes: list[list[str]] = field(default_factory=list)   # note n (1-based) → its paragraphs
    abbreviations: list[tuple[str, str]] = field(default_factory=list)   # (short, expansion)
    images: dict[str, bytes] = field(default_factory=dict)  # file name → bytes
