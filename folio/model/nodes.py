"""The document model: plain data, no behaviour. The contract between stages.

Parsing fills in what the author wrote; transforms fill in what folio computes
(numbers, resolved references, the contents); writers only display.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..diagnostics import Location

# ---- inlines ---------------------------------------------------------------

@dataclass
class Text:
    text: str


@dataclass
class SoftBreak:
    pass


@dataclass
class LineBreak:
    pass


@dataclass
class Code:
    text: str


@dataclass
class Emph:
    children: list


@dataclass
class Strong:
    children: list


@dataclass
class Link:
    href: str
    children: list


@dataclass
class Symbol:
    """A UN document symbol such as A/RES/70/1; href is computed by folio."""
    symbol: str
    href: str


@dataclass
class Abbr:
    abbr: str
    expansion: str = ""


@dataclass
class Gap:
    """An editorial gap: text missing or damaged in the source."""
    reason: str = ""


@dataclass
class XRef:
    label: str
    mode: str  # "prefixed" | "number" | "page"
    loc: Location
    # resolved by the xrefs transform:
    text: str = ""      # what the reader sees, e.g. "chapter V"
    number: str = ""    # the bare number, e.g. "V"
    kind: str = ""      # chapter | section | subsection | para | table | figure | note


@dataclass
class FootnoteRef:
    label: str
    loc: Location
    number: int = 0     # set by the footnotes transform


@dataclass
class Image:
    src: str
    alt: str


Inline = (Text | SoftBreak | LineBreak | Code | Emph | Strong | Link | Symbol
          | Abbr | Gap | XRef | FootnoteRef | Image)


# ---- blocks ----------------------------------------------------------------

@dataclass
class Heading:
    level: int                 # 1 chapter/part, 2 section, 3 subsection, 4+
    children: list
    loc: Location
    id: str = ""
    classes: list = field(default_factory=list)
    explicit_number: str = ""  # from {number=II}
    number: str = ""           # set by numbering: "II", "A", "1"
    full_number: str = ""      # set by numbering: "II", "II.A", "II.A.1"
    kind: str = ""             # chapter | section | subsection | part


@dataclass
class Paragraph:
    children: list
    loc: Location
    id: str = ""
    number: int = 0            # consecutive paragraph number, when switched on


@dataclass
class GapBlock:
    gap: Gap
    loc: Location


@dataclass
class ListItem:
    blocks: list


@dataclass
class ListBlock:
    ordered: bool
    items: list
    loc: Location
    start: int = 1


@dataclass
class BlockQuote:
    blocks: list
    loc: Location


@dataclass
class CodeBlock:
    text: str
    loc: Location


@dataclass
class Rule:
    loc: Location


@dataclass
class TableCell:
    children: list
    align: str = ""            # "" | left | center | right


@dataclass
class Table:
    head: list                 # rows of TableCell
    body: list
    loc: Location
    caption: list = field(default_factory=list)
    id: str = ""
    number: int = 0


@dataclass
class Figure:
    src: str
    caption: list
    loc: Location
    id: str = ""
    number: int = 0


Block = (Heading | Paragraph | GapBlock | ListBlock | BlockQuote | CodeBlock
         | Rule | Table | Figure)


# ---- document-level --------------------------------------------------------

@dataclass
class Footnote:
    label: str
    blocks: list
    loc: Location
    number: int = 0


@dataclass
class Abbreviation:
    abbr: str
    expansion: str
    loc: Location
    used: bool = False


@dataclass
class Part:
    """A level-1 heading and everything up to the next one."""
    heading: Heading
    blocks: list
    front: bool = False        # front matter (roman pages) or report body


@dataclass
class ContentsEntry:
    level: int
    number: str
    title: str                 # plain text
    target: str                # the heading's id
    front: bool


@dataclass
class Target:
    """Something a cross-reference can point at."""
    label: str
    kind: str                  # chapter | section | subsection | para | table | figure | note
    number: str
    loc: Location


@dataclass
class Citation:
    """How to cite the document: one text for every edition (web page, print imprint) and the
    fields reference managers read (the HTML's citation_* meta tags)."""
    text: str                  # the suggested citation, e.g. "United Nations, … (2017). Title. ESA/P/WP/249."
    title: str
    author: str                # the issuing body as a library names it: "United Nations. Population Division"
    date: str                  # publication date, YYYY/MM/DD or YYYY ("" if unknown)
    publisher: str
    number: str                # the document symbol


@dataclass
class Document:
    meta: dict
    source: str                # path as given, for messages
    blocks: list = field(default_factory=list)
    footnotes: dict = field(default_factory=dict)       # label -> Footnote
    abbreviations: dict = field(default_factory=dict)   # abbr -> Abbreviation
    # filled in by transforms:
    parts: list = field(default_factory=list)
    targets: dict = field(default_factory=dict)         # label -> Target
    contents: list = field(default_factory=list)
    abbreviation_table: list = field(default_factory=list)
    footnote_order: list = field(default_factory=list)  # Footnotes in call order
    citation: Citation | None = None                    # set by the citation transform
    base_dir: str | None = None
