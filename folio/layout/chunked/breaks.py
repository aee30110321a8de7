"""Where the print HTML forces a new page, as its stylesheets say, without laying it out.

A unit is an element that starts on a new page: its break-before (or its first descendants'),
the break-after of what precedes it, or a change of named page. Elements are opened (their
children become the units) where forced breaks separate their children, down to DEPTH.
Selectors are matched with cssselect2 through css.Cascade, after a cheap look at tags, ids
and classes has ruled most elements out."""
from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

DEPTH = 4                                # how deep below <body> page breaks are looked for
SIDES = {"page": "page", "always": "page", "left": "left", "right": "right", "recto": "right",
         "verso": "left"}
STRENGTH = {None: 0, "page": 1, "left": 2, "right": 2}


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
    cut: str = ""                   # the block id a soft cut may start a chunk at (folio.layout.chunked.cuts)


def units(cascade, root, body, soft: frozenset = frozenset()) -> list[Unit]:
    """The units of the page, in order: root is the cssselect2 wrapper of <html>. `soft`: ids
    of blocks a page began with in a layout (soft cuts): the elements holding one are opened,
    so that the block (or the first unit inside it) starts a unit of its own."""
    body_wrapper = next(w for w in root.iter_children() if w.etree_element is body)
    marked = {e: e.get("id") for e in body.iter() if isinstance(e.tag, str) and e.get("id") in soft} if soft else {}
    holders = {a for e in marked for a in e.iterancestors()}
    leaves: list[tuple] = []
    _flatten(cascade, body_wrapper, (), leaves, 0, (holders, marked))
    found, previous = [], None
    for wrapper, ancestors, cut in leaves:
        opens = "first" if previous is None else _break_between(cascade, previous, wrapper)
        footnotes, slots = _inside(cascade, wrapper)
        element = wrapper.etree_element
        blank = _blank_name(cascade, previous, wrapper) if opens in ("left", "right") else ""
        found.append(Unit(element, tuple(a.etree_element for a in ancestors), opens,
                          len(etree.tostring(element)), footnotes, slots, _stable_key(element), blank,
                          tuple((id(a.etree_element), cascade.value(a, "page") or "auto") for a in ancestors), cut))
        previous = wrapper
    return found


BREAKING = ("break-before", "break-after", "page-break-before", "page-break-after")


def _flatten(cascade, wrapper, ancestors: tuple, out: list, depth: int, soft: tuple, cut: str = "") -> None:
    """Depth-first: an element whose children are separated by forced breaks is opened, and
    one that holds a soft cut; a soft cut element that is opened passes its id to its first unit."""
    holders, marked = soft
    for child in wrapper.iter_children():
        element = child.etree_element
        own = cut or marked.get(element, "")
        cut = ""
        if element in holders:
            _flatten(cascade, child, ancestors + (child,), out, depth + 1, soft, own)
            continue
        if depth < DEPTH and _may_break_inside(cascade, element):
            kids = list(child.iter_children())
            if any(_break_between(cascade, a, b) for a, b in zip(kids, kids[1:], strict=False)):
                _flatten(cascade, child, ancestors + (child,), out, depth + 1, soft, own)
                continue
        out.append((child, ancestors, own))


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
    links = [e for e in element.iter() if isinstance(e.tag, str) and _target(e)]
    if not floats and not (links and cascade.counters):
        return 0, []
    footnotes, slots = 0, []
    for node in _wrappers_of(wrapper, set(floats) | set(links)):
        if cascade.value(node, "float") == "footnote":
            footnotes += 1
        target = _target(node.etree_element)
        if target and cascade.shows_page_number(node):
            slots.append((node.etree_element, target))
    return footnotes, slots


def _target(element) -> str:
    """The id an element's page number would name: its link's (a page reference) or its
    data-href's (a contents entry, whose number stands apart from its link)."""
    for name in ("href", "data-href"):
        value = element.get(name) or ""
        if value.startswith("#"):
            return value[1:]
    return ""


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


