"""One corrigendum per language version, with the same item numbers in every language.

Each version's items are made from its own old pages (page and line numbers differ between
languages); what the items are about is the same: the versions share their structure (the
check of folio/parallel.py holds the issued versions to it), so a block is known in every
language by its place in that structure: its part, its kind and how many blocks of that kind
come before it in the part (a footnote by its number). The items are aligned by it:

- a place changed in every version keeps its items, one number each, when every version counts
  as many; when they count them apart, each version says the whole block "should read";
- a place changed in some versions only is "Not applicable to <language>" in the others, at
  the same number;
- the numbers follow the original's page order; a place only a version changed comes after the
  one it follows in that version."""
from __future__ import annotations

from .. import model as m
from .items import Item
from .place import Place, units

NOWHERE = Place(-1, -1, "")      # "Not applicable to French." names no place


def positions(doc: m.Document) -> dict[int, tuple]:
    """id(block) → its place in the structure every version shares."""
    found: dict[int, tuple] = {}
    for index, part in enumerate(doc.parts):
        counted: dict[str, int] = {}
        for block in units(([part.heading] if part.heading is not None else []) + part.blocks):
            kind = type(block).__name__
            counted[kind] = counted.get(kind, 0) + 1
            found[id(block)] = (index, kind, counted[kind])
    for order, note in enumerate(doc.footnotes.values(), 1):
        found[id(note)] = ("note", note.number.path if note.number is not None else (order,))
    return found


def _grouped(doc: m.Document, items: list[Item], tag: str) -> dict[tuple, list[Item]]:
    """The items by what they are about, in the version's page order. Items about no block
    (the list of abbreviations, generated in each language) are the version's own."""
    where = positions(doc)
    groups: dict[tuple, list[Item]] = {}
    for n, item in enumerate(items):
        key = (item.how, where[id(item.block)]) if id(item.block) in where else ("own", tag, n)
        groups.setdefault(key, []).append(item)
    return groups


def align(versions: list[tuple[str, m.Document, list[Item]]], not_applicable) -> dict[str, list[Item]]:
    """Each version's items (the original first), numbered alike: {tag: items}.
    not_applicable(tag) is the item a version shows for a change that is not in it."""
    grouped = {tag: _grouped(doc, items, tag) for tag, doc, items in versions}
    order: list[tuple] = []
    for tag, _doc, _items in versions:
        previous = None
        for key in grouped[tag]:
            if key not in order:
                order.insert(order.index(previous) + 1 if previous is not None else 0, key)
            previous = key
    result: dict[str, list[Item]] = {tag: [] for tag, _doc, _items in versions}
    for key in order:
        present = {tag: grouped[tag][key] for tag in result if key in grouped[tag]}
        counts = {len(items) for items in present.values()}
        if len(counts) > 1:       # counted apart: one whole block each
            present = {tag: [_whole(items)] for tag, items in present.items()}
        slots = max(len(items) for items in present.values())
        for tag in result:
            result[tag] += present[tag] if tag in present else [not_applicable(tag)] * slots
    return result


def _whole(items: list[Item]) -> Item:
    """The block's "should read" item standing for its several items (the first item as it is
    when it has none: a deletion, an insertion)."""
    return next((item.whole for item in items if item.whole is not None), items[0])
