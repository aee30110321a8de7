"""Bookmarks: Word's naming rules, unique names and ids, and what a cross-reference points at."""
from __future__ import annotations

from ...ooxml.names import MAX_BOOKMARK as MAX
from ...ooxml.names import sanitise


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
