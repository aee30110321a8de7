"""Split the print HTML at its hard page breaks into chunks, each a complete document.

Units (breaks.py) are the elements that start on a new page: the cover, the title page, each
front-matter part, the contents, each chapter that opens a page. Units are grouped into
chunks; a right/left break always starts a chunk (so a chunk never holds a blank page, and
its layout does not depend on the side it starts on), other breaks start one where the
content says so (a hash of the unit's id), so a correction moves no chunk boundary but its own.

Each chunk is the page's <head> (stylesheets rewritten where they show page numbers), the
wrappers its units sit in (shallow copies, marked where they continue from or into another
chunk) and the units themselves."""
from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass, field

import cssselect2
from lxml import etree

from . import breaks, css

TARGET_BYTES, MAX_BYTES = 40_000, 120_000   # of HTML per chunk: ~10 (at most ~30) pages of the report
# Margin boxes are drawn by the frame layer (frames.py), which knows the page's number and side.
MARGINS = ("top-left-corner", "top-left", "top-center", "top-right", "top-right-corner",
           "bottom-left-corner", "bottom-left", "bottom-center", "bottom-right", "bottom-right-corner",
           "left-top", "left-middle", "left-bottom", "right-top", "right-middle", "right-bottom")
NO_MARGINS = " ".join(f"@{m} {{ content: none !important; }}" for m in MARGINS)
CHUNK_CSS = (f"@page {{ {NO_MARGINS} }}\n"
             "[data-folio-continued] { margin-top: 0 !important; padding-top: 0 !important;"
             " border-top-width: 0 !important; counter-reset: none !important;"
             " counter-increment: none !important; string-set: none !important;"
             " bookmark-level: none !important; }\n"
             "[data-folio-continued]::before { content: none !important; }\n"
             "[data-folio-open-end] { margin-bottom: 0 !important; padding-bottom: 0 !important;"
             " border-bottom-width: 0 !important; }\n"
             "[data-folio-open-end]::after { content: none !important; }\n"
             # A soft cut: in the flow the page broke there unforced, which truncates the margins
             # that meet the break (CSS Fragmentation 3: margin-break auto); a document's first
             # page keeps them, so the chunk truncates them itself. (WeasyPrint counts a break
             # into a named page as forced, and keeps them there: such a cut is not marked.)
             "[data-folio-cut] { margin-top: 0 !important; }\n")


@dataclass
class Chunk:
    index: int
    units: list                     # breaks.Unit
    opens: str
    footnotes_before: int
    blank_name: str = ""
    tree: object = None             # the chunk's own document (lxml)
    slots: list = field(default_factory=list)   # (element in tree, target id)
    anchors: frozenset = frozenset()            # ids defined inside (real anchors)
    made: tuple = ()                            # the last HTML made, and for what
    cut: str = ""                               # the block a soft cut starts it at ("" otherwise)
    complete: bool = True                       # a probe: does it hold the whole chunk it reaches into?

    @property
    def chain(self) -> tuple:
        return self.units[0].chain

    @property
    def targets(self) -> list[str]:
        return sorted({target for _, target in self.slots})

    def html(self, labels: dict[str, str], side: str) -> str:
        """The chunk's HTML with the page labels it shows, its first page on `side`."""
        wanted = (tuple(labels.get(t, "") for t in self.targets), side)
        if self.made and self.made[0] == wanted:
            return self.made[1]
        for element, target in self.slots:
            element.set(css.PAGE_ATTR, labels.get(target, ""))
        self.tree.find("head").find("style[@id='folio-side']").text = \
            "html { break-before: left; }" if side == "left" else ""
        self.made = (wanted, etree.tostring(self.tree, method="html", doctype="<!DOCTYPE html>", encoding="unicode"))
        return self.made[1]


@dataclass
class Plan:
    chunks: list
    base_url: str
    sheets: list                    # css.Sheet, as the page links them
    head: object                    # the page's <head> (lxml), for the frame documents
    attributes: tuple               # (<html> attributes, <body> attributes)
    units: list = field(default_factory=list)
    made_with: tuple = ()           # (root, body, chunk head): what span() builds documents from

    def span(self, first: int, end: int, cut: bool = True) -> Chunk:
        """A document of units[first:end] (a probe), begun as a soft cut begins a chunk if `cut`."""
        units = self.units[first:end]
        footnotes = sum(u.footnotes for u in self.units[:first])
        chunk = Chunk(-1, units, "soft" if cut else units[0].opens, footnotes, cut=units[0].key if cut else "")
        _build(chunk, *self.made_with)
        return chunk


def split(page: str, base_url: str, read=css.read_file_url, soft: frozenset = frozenset(),
          cuts: frozenset = frozenset()) -> Plan:
    """`soft`: block ids units are opened at (cuts.py); `cuts`: those of them that start a chunk."""
    root = etree.fromstring(page, etree.HTMLParser())
    sheets, cascade = css.load(root, base_url, read)
    body = root.find("body")
    units = breaks.units(cascade, cssselect2.ElementWrapper.from_html_root(root), body, soft | cuts)
    _unique_keys(units)
    chunks = _group(units, cuts)
    head = _chunk_head(root.find("head"), sheets)
    for chunk in chunks:
        _build(chunk, root, body, head)
    return Plan(chunks, base_url, sheets, root.find("head"), (dict(root.attrib), dict(body.attrib)),
                units, (root, body, head))


# ---- grouping ----------------------------------------------------------------------------

def _group(units: list, cuts: frozenset = frozenset()) -> list[Chunk]:
    chunks: list[Chunk] = []
    size, footnotes, previous = 0, 0, 0
    for unit in units:
        must = unit.opens in ("first", "left", "right")
        may = unit.opens == "page" and (size >= MAX_BYTES or _cut(unit.key, previous))
        soft = unit.opens is None and unit.cut in cuts
        previous = unit.size
        if must or may or soft:
            chunks.append(Chunk(len(chunks), [], "soft" if soft else unit.opens, footnotes, unit.blank_name,
                                cut=unit.cut if soft else ""))
            size = 0
        chunks[-1].units.append(unit)
        size += unit.size
        footnotes += unit.footnotes
    return chunks


def _unique_keys(units: list) -> None:
    """Units without an id of their own are named by their class; make every name unique."""
    seen: dict[str, int] = {}
    for unit in units:
        seen[unit.key] = seen.get(unit.key, 0) + 1
        if seen[unit.key] > 1:
            unit.key = f"{unit.key}#{seen[unit.key]}"


def _cut(key: str, before: int) -> bool:
    """A chunk starts at a unit if its id's hash falls below the share of TARGET_BYTES the unit
    before it makes: chunks of TARGET_BYTES on average, and a decision that depends on these two
    units only, so that a correction (a unit growing, a unit added) moves no other boundary."""
    draw = int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:4], "big") / 2 ** 32
    return draw < before / TARGET_BYTES


# ---- the chunk's own document -----------------------------------------------------------------

def _chunk_head(head, sheets: list) -> object:
    out = copy.deepcopy(head)
    links = [n for n in out.iter("link", "style")
             if n.tag == "style" or "stylesheet" in (n.get("rel") or "").lower().split()]
    for node, sheet in zip(links, sheets, strict=True):
        rewritten = css.chunk_sheet(sheet)
        if rewritten is not None:
            style = etree.Element("style")
            style.text = rewritten
            style.tail = node.tail
            node.getparent().replace(node, style)
    extra = etree.SubElement(out, "style", id="folio-chunk")
    extra.text = CHUNK_CSS
    etree.SubElement(out, "style", id="folio-side")
    return out


def _build(chunk: Chunk, root, body, head) -> None:
    tree = etree.Element("html", dict(root.attrib))
    tree.append(copy.deepcopy(head))
    if chunk.footnotes_before:
        tree.find("head").find("style[@id='folio-chunk']").text += \
            f"body {{ counter-reset: footnote {chunk.footnotes_before}; }}\n"
    new_body = etree.SubElement(tree, "body", dict(body.attrib))
    inside = {id(u.element) for u in chunk.units}
    clones: dict[int, object] = {}
    for unit in chunk.units:
        parent = new_body
        for ancestor in unit.ancestors:
            if id(ancestor) not in clones:
                clones[id(ancestor)] = _shallow(ancestor, parent, inside)
            parent = clones[id(ancestor)]
        parent.append(_copy_unit(unit, chunk))
    if chunk.cut and all(page == "auto" for _, page in chunk.units[0].chain):
        _mark_cut(new_body)
    chunk.tree = tree
    chunk.anchors = frozenset(e.get("id") for e in tree.iter() if isinstance(e.tag, str) and e.get("id"))


def _mark_cut(body) -> None:
    """The elements a soft cut begins with: the first element at every depth (wrappers too)."""
    node = next((c for c in body if isinstance(c.tag, str)), None)
    while node is not None:
        node.set("data-folio-cut", "")
        node = next((c for c in node if isinstance(c.tag, str)), None)


def _copy_unit(unit, chunk: Chunk):
    """A deep copy of the unit; its page-number slots are found again inside the copy."""
    clone = copy.deepcopy(unit.element)
    if unit.slots:
        originals = list(unit.element.iter())
        copies = list(clone.iter())
        where = {id(e): i for i, e in enumerate(originals)}
        chunk.slots += [(copies[where[id(element)]], target) for element, target in unit.slots]
    return clone


def _shallow(ancestor, parent, inside: set):
    """A wrapper's start tag in this chunk: without its id where it began in an earlier chunk;
    marked where it continues from an earlier chunk or into a later one."""
    clone = etree.SubElement(parent, ancestor.tag, dict(ancestor.attrib))
    elements = [c for c in ancestor if isinstance(c.tag, str)]
    first, last = _unit_edge(elements, inside, 0), _unit_edge(elements, inside, -1)
    if not first:
        clone.attrib.pop("id", None)
        clone.set("data-folio-continued", "")
    else:
        clone.text = ancestor.text
    if not last:
        clone.set("data-folio-open-end", "")
    return clone


def _unit_edge(elements: list, inside: set, end: int) -> bool:
    """Is the wrapper's first (end=0) or last (end=-1) descendant unit in this chunk?"""
    node = elements[end] if elements else None
    while node is not None and id(node) not in inside:
        kids = [c for c in node if isinstance(c.tag, str)]
        node = kids[end] if kids else None
    return node is not None
