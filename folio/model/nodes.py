"""The document model: plain data, no behaviour. The contract between stages.

Parsing fills in what the author wrote, with the span of source it came from (`loc`);
transforms fill in what folio computes (stable ids, numbers as data, resolved references,
the composition of the publication); writers only display.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..diagnostics import Location

NOWHERE = Location("")
EDITORIAL_NOTE = "editorial-note"   # the id of the editorial note folio writes, in every edition

# ---- numbers ---------------------------------------------------------------


@dataclass(frozen=True)
class Number:
    """A number as data: its kind and one entry per level, e.g. ("section", (2, 1)) for II.A.

    An entry is an int, or the text an author wrote that folio cannot count ("4bis").
    `anchors` are the ids of the heading at each level, so that a Word field can refer to
    each level's number on its own. `styles` is the locale's numeral style of each level
    (folio.i18n.locale): folio.i18n.numerals formats it, once, per language."""
    kind: str                    # chapter | section | subsection | para | table | figure | note
    path: tuple
    anchors: tuple = ()
    styles: tuple = ()           # per level: "upper-roman" … or a tuple of words; () = I./A./1.
    mark: str = "."              # what follows a heading's number: "I." in English, "أولاً -" in Arabic


# ---- parts of a node -----------------------------------------------------


@dataclass
class CiteItem:
    """One work a citation names: `see @key, p. 33` is prefix 'see', key, locator ('page', '33')."""
    key: str
    prefix: str = ""
    suffix: str = ""
    locator: tuple = ()            # (CSL locator label, value), e.g. ("page", "33"); () = none
    suppress_author: bool = False  # -@key: the author is named in the sentence already


# ---- inlines ---------------------------------------------------------------


@dataclass
class Text:
    text: str
    loc: Location = NOWHERE


@dataclass
class SoftBreak:
    loc: Location = NOWHERE


@dataclass
class LineBreak:
    loc: Location = NOWHERE


@dataclass
class Code:
    text: str
    loc: Location = NOWHERE


@dataclass
class Emph:
    children: list
    loc: Location = NOWHERE


@dataclass
class Strong:
    children: list
    loc: Location = NOWHERE


@dataclass
class Superscript:
    children: list
    loc: Location = NOWHERE


@dataclass
class Subscript:
    children: list
    loc: Location = NOWHERE


@dataclass
class Link:
    href: str                  # already filtered: only web, mail and in-document targets
    children: list
    loc: Location = NOWHERE


@dataclass
class Symbol:
    """A UN document symbol such as A/RES/70/1; href is computed by folio."""
    symbol: str
    href: str
    loc: Location = NOWHERE


@dataclass
class Abbr:
    abbr: str
    expansion: str = ""
    loc: Location = NOWHERE


@dataclass
class Gap:
    """An editorial gap: text missing or damaged in the source."""
    reason: str = ""
    loc: Location = NOWHERE
    id: str = ""               # "gap-3": its anchor, set by the gaps transform
    number: int = 0


@dataclass
class XRef:
    label: str
    mode: str                  # "prefixed" | "number" | "page"
    loc: Location = NOWHERE
    # resolved by the xrefs transform:
    kind: str = ""             # chapter | section | subsection | para | table | figure | note | part | heading
    number: Number | None = None
    target: str = ""           # the id of the target block (its anchor in every edition)
    title: str = ""            # the target's plain title, for an unnumbered target
    resolved: bool = False


@dataclass
class FootnoteRef:
    label: str
    loc: Location = NOWHERE
    number: Number | None = None   # set by the footnotes transform
    first: bool = True             # the first call of this note (later calls refer to it)


@dataclass
class Cite:
    """A citation as written ([@a; @b, p. 3], or @key in the text). The citations transform
    replaces it by what the citation style makes of it (a note, or text), so no writer sees one."""
    items: list                    # CiteItems
    in_text: bool                  # @key in the sentence, not in brackets
    source: str                    # as written: shown as is when the document has no bibliography
    loc: Location = NOWHERE


@dataclass
class Cited:
    """Words the bibliography made: what a citation became (author-date text, a narrative's
    author name, a note's text) with the citation's span, or an entry of the references.
    Writers show the children; the Word import and the abbreviation check know that the words
    come from the bibliography, not from the source."""
    children: list
    source: str                    # the citation as written ("" for an entry of the references)
    loc: Location = NOWHERE


@dataclass
class Image:
    src: str
    alt: str
    loc: Location = NOWHERE


@dataclass
class HeadingRef(Link):
    """A link to a heading by its text (`[Heading text]`, `[words][Heading text]`, pandoc's
    implicit header references): shown as its own words, linked to the heading in every edition.
    `line` names the heading (the line it starts on); the xrefs transform sets href to its id."""
    line: int = 0


# ---- blocks ----------------------------------------------------------------
# Every block has `loc` (the lines it came from), `label` (what the author wrote after
# `#`, empty if nothing) and `id` (stable: the label, or derived from the block's kind and
# text so that edits elsewhere never change it; set by the ids transform).


@dataclass
class Heading:
    level: int                 # 1 chapter/part, 2 section, 3 subsection, 4+
    children: list
    loc: Location
    label: str = ""
    id: str = ""
    classes: list = field(default_factory=list)
    explicit_number: str = ""  # from {number=II}
    number: Number | None = None
    kind: str = ""             # chapter | section | subsection | part | heading


@dataclass
class Paragraph:
    children: list
    loc: Location
    label: str = ""
    id: str = ""
    number: Number | None = None   # consecutive paragraph number, when switched on


@dataclass
class GapBlock:
    gap: Gap
    loc: Location
    label: str = ""
    id: str = ""


@dataclass
class ListItem:
    blocks: list


@dataclass
class ListBlock:
    ordered: bool
    items: list
    loc: Location
    start: int = 1
    label: str = ""
    id: str = ""


@dataclass
class BlockQuote:
    blocks: list
    loc: Location
    label: str = ""
    id: str = ""


@dataclass
class CodeBlock:
    text: str
    loc: Location
    label: str = ""
    id: str = ""


@dataclass
class Rule:
    loc: Location
    label: str = ""
    id: str = ""


@dataclass
class TableCell:
    children: list
    align: str = ""            # "" | left | center | right
    blocks: list = field(default_factory=list)   # a grid table's cell of several blocks (then no children)
    colspan: int = 1           # columns and rows the cell spans (an HTML table's); the rows below
    rowspan: int = 1           # a spanning cell leave its place out, as HTML's do


@dataclass
class Table:
    head: list                 # rows of TableCell
    body: list
    loc: Location
    caption: list = field(default_factory=list)
    label: str = ""
    id: str = ""
    number: Number | None = None


@dataclass
class Figure:
    src: str
    caption: list
    loc: Location
    label: str = ""
    id: str = ""
    number: Number | None = None


@dataclass
class DefinitionItem:
    term: list                 # inlines
    definitions: list          # one list of blocks per definition of the term
    loc: Location = NOWHERE    # the term's line


@dataclass
class DefinitionList:
    items: list                # DefinitionItems
    loc: Location
    label: str = ""
    id: str = ""


@dataclass
class Div:
    """A fenced div (`::: {#id .class}` … `:::`) or an admonition (`!!! note`): its blocks kept
    together with the author's id and classes. A class folio knows as a box (note, warning …)
    is set apart in every edition under its title: the author's, or the class's word."""
    blocks: list
    loc: Location
    classes: list = field(default_factory=list)
    title: list = field(default_factory=list)    # inlines the author gave as the box's title
    label: str = ""
    id: str = ""


Block = (Heading | Paragraph | GapBlock | ListBlock | BlockQuote | CodeBlock
         | Rule | Table | Figure | DefinitionList | Div)


# ---- document-level --------------------------------------------------------


@dataclass
class Footnote:
    label: str
    blocks: list
    loc: Location
    number: Number | None = None
    id: str = ""               # "fn-" + label: its anchor in every edition
    host: str = ""             # the label of the note whose text first calls it ("" for the text)


@dataclass
class Abbreviation:
    abbr: str
    expansion: str
    loc: Location
    used: bool = False


@dataclass
class Part:
    """A level-1 heading and everything up to the next one."""
    heading: Heading | None
    blocks: list
    front: bool = False        # front matter (roman pages) or report body


@dataclass
class Region:
    """One stretch of the publication in reading order, as the compose transform decides it
    for every edition: what it is, how it opens, how its pages are numbered."""
    kind: str                  # cover | blank | title-page | imprint | part | contents | editorial-note
                               # | back-cover
    part: Part | None = None
    opens: str = "page"        # first | page | right | left | continue
    numbering: str = "none"    # none | lower-roman | decimal
    restart: bool = False      # page numbers start again at 1 here
    running_head: bool = False
    front: bool = False


@dataclass
class GapEntry:
    """One gap, where it is: what the editorial note lists."""
    gap: Gap
    block: object              # the block it stands in (a GapBlock, or the paragraph around it)
    part: Part | None          # the part (chapter) it is in


@dataclass
class ContentsEntry:
    level: int
    number: Number | None
    title: str                 # plain text
    target: str                # the heading's id
    front: bool
    lost: bool = False         # a lost part: a heading that is only a gap
    reason: str = ""           # …and that gap's reason
    term: str = ""             # a part folio writes (the editorial note): its title's key in the terms


@dataclass
class Target:
    """Something a cross-reference can point at."""
    label: str
    kind: str                  # chapter | section | subsection | para | table | figure | note
    number: Number | None
    loc: Location
    id: str = ""               # the anchor: the block's id
    title: str = ""


@dataclass
class ImageFile:
    """An image the document uses, found under the project and judged by its content."""
    src: str
    path: object               # pathlib.Path
    loc: Location
    facts: object = None       # folio.images.ImageFacts: format, size in pixels, the bytes read


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
class Reissue:
    """A document reissued for technical reasons: the mark after its symbol wherever the symbol
    is shown, and the note that mark calls, in the document's language."""
    date: str                  # YYYY-MM-DD
    mark: str                  # "*"
    note: str                  # "Reissued for technical reasons on 7 December 2026."


@dataclass
class Document:
    meta: dict
    source: str                # path as given, for messages
    blocks: list = field(default_factory=list)
    footnotes: dict = field(default_factory=dict)       # label -> Footnote
    abbreviations: dict = field(default_factory=dict)   # abbr -> Abbreviation
    text: str = ""             # the cleaned source text the spans' offsets point into
    terms: dict = field(default_factory=dict)           # the words of the outputs (folio.i18n.terms)
    locale: object = None      # folio.i18n.locale.Locale: words, direction, numbering schemes
    # filled in by transforms:
    parts: list = field(default_factory=list)
    composition: list = field(default_factory=list)     # Regions in reading order
    targets: dict = field(default_factory=dict)         # label -> Target
    contents: list = field(default_factory=list)
    abbreviation_table: list = field(default_factory=list)
    footnote_order: list = field(default_factory=list)  # Footnotes in call order
    citation: Citation | None = None                    # set by the citation transform
    reissue: Reissue | None = None                      # set from the front matter's `reissued`
    images: dict = field(default_factory=dict)          # src -> ImageFile
    gaps: list = field(default_factory=list)            # GapEntry, in reading order
    base_dir: str | None = None   # the source's folder: relative image paths start here
    root: str | None = None       # the project: nothing outside it is read
