"""Bookmarks: Word's naming rules, unique names and ids, and what a cross-reference points at."""
from __future__ import annotations

import re

from ... import model as m
from ...model.walk import iter_blocks

MAX = 40  # Word drops or truncates longer bookmark names


def sanitise(label: str) -> str:
    """Word's rules: a letter first, then letters, digits and '_', at most 40 characters."""
    name = re.sub(r"[^A-Za-z0-9_]", "_", label)
    if not name[:1].isalpha() or not name[:1].isascii():
        name = "b_" + name
    return name[:MAX]


class Bookmarks:
    """label → bookmark name, allocated once and unique; ids counted up from 1."""

    def __init__(self):
        self.names: dict[str, str] = {}
        self.taken: set[str] = set()
        self.next_id = 0

    def name(self, label: str, shown: str | None = None) -> str:
        if label not in self.names:
            base = candidate = sanitise(shown or label)
            n = 1
            while candidate.casefold() in self.taken:  # Word compares names case-insensitively
                n += 1
                suffix = f"_{n}"
                candidate = base[:MAX - len(suffix)] + suffix
            self.taken.add(candidate.casefold())
            self.names[label] = candidate
        return self.names[label]

    def number_name(self, label: str) -> str:
        """The bookmark around a target's number only, for REF fields."""
        return self.name("\0" + label, "n_" + label)

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id


def reference_parts(doc: m.Document) -> dict[str, list[tuple[str, str]]]:
    """label → [(label whose number bookmark to REF, the number shown)], so that
    'section IV.A' reads as REF(chapter IV) '.' REF(section A) and stays right on update."""
    parts: dict[str, list[tuple[str, str]]] = {}
    chain: dict[int, tuple[str, str]] = {}
    for part in doc.parts:
        for block in ([part.heading] if part.heading else []) + list(iter_blocks(part.blocks)):
            if isinstance(block, m.Heading):
                for level in [k for k in chain if k >= block.level]:
                    del chain[level]
                if block.number and block.id and not part.front:
                    chain[block.level] = (block.id, block.number)
                    parts[block.id] = [chain[k] for k in sorted(chain)]
            elif isinstance(block, m.Paragraph) and block.id and block.number:
                parts[block.id] = [(block.id, str(block.number))]
            elif isinstance(block, (m.Table, m.Figure)) and block.id and block.number:
                parts[block.id] = [(block.id, str(block.number))]
    return parts
