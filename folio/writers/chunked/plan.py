"""Split the print HTML at its hard page breaks into chunks, each a complete document.

A unit is an element that starts on a new page (its break-before, the break-after of what
precedes it, or a change of named page, as the stylesheets say): the cover, the title page,
each front-matter part, the contents, each chapter that opens a page. Units are grouped into
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

from . import css

TARGET_BYTES, MAX_BYTES = 40_000, 120_000   # of HTML per chunk: ~10 (at most ~30) pages of the report
DEPTH = 4                                # how deep below <body> page breaks are looked for
SIDES = {"page": "page", "always": "page", "left": "left", "right": "right", "recto": "right",
         "verso": "left"}
STRENGTH = {None: 0, "page": 1, "left": 2, "right": 2}
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
             "[data-folio-open-end]::after { content: none !important; }\n")


@dataclass
class Unit:
    element: object                 # lxml element in the full page
    ancestors: tuple                # wrappers between <body> and it, outermost first
    opens: str | None               # break before it: first, page, left, right (None: none)
    size: int
    footnotes: int                  # elements floated to footnotes inside it
    slots: list                     # (element, target id) showing a page number
    key: str                        # stable: the first id inside it
    blank_name: str = ""            # the named page of a blank page made before it
    chain: tuple = ()               # (identity, page value) of each wrapper, for the frames


@dataclass
class Chunk:
    index: int
    units: list
    opens: str
    footnotes_before: int
    blank_name: str = ""
    tree: object = None             # the chunk's own document (lxml)
    slots: list = field(default_factory=list)   # (element in tree, target id)
    anchors: frozenset = frozenset()            # ids defined inside (real anchors)
    made: tuple = ()                            # the last HTML made, and for what

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


def split(page: str, base_url: str, read=css.read_file_url) -> Plan:
    root = etree.fromstring(page, etree.HTMLParser())
    sheets, cascade = css.load(root, base_url, read)
    body = root.find("body")
    units = _units(cascade, cssselect2.ElementWrapper.from_html_root(root), body)
    _unique_keys(units)
    chunks = _group(units)
    head = _chunk_head(root.find("head"), sheets)
    for chunk in chunks:
        _build(chunk, root, body, head)
    return Plan(chunks, base_url, sheets, root.find("head"), (dict(root.attrib), dict(body.attrib)))


# ---- units and their breaks -------------------------------------------------------------

def _units(cascade: css.Cascade, root: cssselect2.ElementWrapper, body) -> list[Unit]:
    body_wrapper = next(w for w in root.iter_children() if w.etree_element is body)
    leaves: list[tuple] = []
    _flatten(cascade, body_wrapper, (), leaves, 0)
    units, previous = [], None
    for wrapper, ancestors in leaves:
        opens = "first" if previous is None else _break_between(cascade, previous, wrapper)
        footnotes, slots = _inside(cascade, wrapper)
        element = wrapper.etree_element
        blank = _blank_name(cascade, previous, wrapper) if opens in ("left", "right") else ""
        units.append(Unit(element, tuple(a.etree_element for a in ancestors), opens,
                          len(etree.tostring(element)), footnotes, slots, _stable_key(element), blank,
                          tuple((id(a.etree_element), cascade.value(a, "page") or "auto") for a in ancestors)))
        previous = wrapper
    return units


BREAKING = ("break-before", "break-after", "page-break-before", "page-break-after")


def _flatten(cascade, wrapper, ancestors: tuple, out: list, depth: int) -> None:
    """Depth-first: an element whose children are separated by forced breaks is opened."""
    for child in wrapper.iter_children():
        if depth < DEPTH and _may_break_inside(cascade, child.etree_element):
            kids = list(child.iter_children())
            if any(_break_between(cascade, a, b) for a, b in zip(kids, kids[1:], strict=False)):
                _flatten(cascade, child, ancestors + (child,), out, depth + 1)
                continue
        out.append((child, ancestors))


def _may_break_inside(cascade, element) -> bool:
    """A cheap first look (tags, ids, classes): could a rule force a break between the
    element's children, or name a page inside it? Most elements (a chapter's paragraphs)
    are ruled out here without matching selectors."""
    kids = [k for k in element if isinstance(k.tag, str)]
    if len(kids) < 2:
        return False
    return any(cascade.might_match(k, prop) for k in kids for prop in BREAKING) or any(
        cascade.might_match(e, "page") for e in element.iter() if isinstance(e.tag, str))


def _break_between(cascade, before, after) -> str | None:
    """The forced break between two elements in document order, as the cascade says."""
    kinds = [_forced(cascade, e, "before") for e in _first_chain(after, before)]
    kinds += [_forced(cascade, e, "after") for e in _last_chain(before, after)]
    if _page_name(cascade, after, first=True) != _page_name(cascade, before, first=False):
        kinds.append("page")
    return max(kinds, key=lambda k: STRENGTH[k], default=None)


def _blank_name(cascade, before, after) -> str:
    """A blank page takes the page name of the element the break leads into's parent (as
    WeasyPrint names it): the parent of the outermost element opening at the break."""
    top = list(_first_chain(after, before))[-1]
    for ancestor in (top.parent, *reversed(top.parent.ancestors)) if top.parent is not None else ():
        own = cascade.value(ancestor, "page")
        if own and own != "auto":
            return own
    return ""


def _forced(cascade, wrapper, where: str) -> str | None:
    value = cascade.value(wrapper, f"break-{where}") or cascade.value(wrapper, f"page-break-{where}")
    return SIDES.get(value or "")


def _first_chain(element, other):
    """The element and its ancestors it opens, up to (not including) one shared with other."""
    shared = set(other.ancestors)
    while element is not None and element not in shared:
        yield element
        parent = element.parent
        if parent is None or parent in shared or parent.etree_children[0] is not element.etree_element:
            return
        element = parent


def _last_chain(element, other):
    shared = set(other.ancestors)
    while element is not None and element not in shared:
        yield element
        parent = element.parent
        if parent is None or parent in shared or parent.etree_children[-1] is not element.etree_element:
            return
        element = parent


def _page_name(cascade, wrapper, first: bool) -> str:
    """The named page where the element starts (or ends): its own, a descendant's at its edge,
    or the nearest ancestor's."""
    key = ("page-name", wrapper.etree_element, first)
    if key not in cascade.memo:
        cascade.memo[key] = _find_page_name(cascade, wrapper, first)
    return cascade.memo[key]


def _find_page_name(cascade, wrapper, first: bool) -> str:
    name, node, depth = None, wrapper, 0
    while node is not None and depth <= DEPTH:
        if cascade.might_match(node.etree_element, "page"):
            own = cascade.value(node, "page")
            if own and own != "auto":
                name = own
        node = _edge_child(node, first)
        depth += 1
    if name:
        return name
    for ancestor in reversed(wrapper.ancestors):
        own = cascade.value(ancestor, "page")
        if own and own != "auto":
            return own
    return "auto"


def _edge_child(node, first: bool):
    """The first (or last) element child's wrapper; a last child's needs its siblings' (for
    sibling selectors), made only where a rule might match it."""
    kids = node.etree_children
    if not kids:
        return None
    if first:
        return next(iter(node.iter_children()))
    return list(node.iter_children())[-1]


def _inside(cascade, wrapper) -> tuple[int, list]:
    """Footnotes (float: footnote) and page-number slots inside one unit. Wrappers for full
    matching are made only below elements a cheap test cannot rule out."""
    element = wrapper.etree_element
    floats = [e for e in element.iter() if isinstance(e.tag, str) and cascade.might_match(e, "float")]
    links = [e for e in element.iter() if isinstance(e.tag, str) and (e.get("href") or "").startswith("#")]
    if not floats and not (links and cascade.counters):
        return 0, []
    footnotes, slots = 0, []
    for node in _wrappers_of(wrapper, set(floats) | set(links)):
        if cascade.value(node, "float") == "footnote":
            footnotes += 1
        href = node.etree_element.get("href") or ""
        if href.startswith("#") and cascade.shows_page_number(node):
            slots.append((node.etree_element, href[1:]))
    return footnotes, slots


def _wrappers_of(wrapper, wanted: set):
    """Selector-matching wrappers of the wanted elements below wrapper, in document order,
    descending only into the branches that hold one."""
    on_path = {a for e in wanted for a in e.iterancestors()} | wanted
    stack = [wrapper]
    while stack:
        node = stack.pop()
        if node.etree_element in wanted:
            yield node
        children = [c for c in node.iter_children() if c.etree_element in on_path]
        stack.extend(reversed(children))


def _stable_key(element) -> str:
    ident = element.get("id") or next((e.get("id") for e in element.iter() if e.get("id")), "")
    return ident or element.get("class", "")


# ---- grouping ----------------------------------------------------------------------------

def _group(units: list[Unit]) -> list[Chunk]:
    chunks: list[Chunk] = []
    size, footnotes, previous = 0, 0, 0
    for unit in units:
        must = unit.opens in ("first", "left", "right")
        may = unit.opens == "page" and (size >= MAX_BYTES or _cut(unit.key, previous))
        previous = unit.size
        if must or may:
            chunks.append(Chunk(len(chunks), [], unit.opens, footnotes, unit.blank_name))
            size = 0
        chunks[-1].units.append(unit)
        size += unit.size
        footnotes += unit.footnotes
    return chunks


def _unique_keys(units: list[Unit]) -> None:
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
    chunk.tree = tree
    chunk.anchors = frozenset(e.get("id") for e in tree.iter() if isinstance(e.tag, str) and e.get("id"))


def _copy_unit(unit: Unit, chunk: Chunk):
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
