"""Where every page of the stitched file comes from, and the numbers folio settles from it.

From the chunks laid out so far (and estimates for the others), the file's page sequence:
each chunk's pages in order, with a blank page before a chunk that must open on the other
side. From it, through the numbering the writer passes in (the same function the single-pass
route uses on WeasyPrint's pages), each page's number and label, and the label of every
anchor, which is what the contents and the page references show."""
from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace

BYTES_PER_PAGE = 3800   # the report's print HTML per page: only for guessing unseen chunks


@dataclass
class Slot:
    chunk: int | None          # None: a blank page before the next chunk
    page: int                  # index in its chunk
    side: str                  # in the stitched file
    known: bool = True         # False: estimated (that chunk is not laid out yet)


@dataclass
class Sequence:
    slots: list
    first: dict                        # chunk → index of its first page in the file
    anchors: dict                      # id → (page index, x, y), first occurrence
    numbering: list = field(default_factory=list)   # (number, style) per page
    labels: list = field(default_factory=list)
    guesses: dict = field(default_factory=dict)     # id → estimated page index (not laid out)

    def label(self, target: str, hints: dict) -> str:
        """The label of the page a target is on: laid out, else as the last build had it,
        else an estimate (a number of about the right width, until the real one is known)."""
        if target in self.anchors:
            return self.labels[self.anchors[target][0]]
        if target in hints:
            return hints[target]
        return self.labels[self.guesses[target]] if target in self.guesses else ""


def sequence(plan, results: dict, first_side: str, number_pages, label, hints: dict) -> Sequence:
    """results: chunk → worker.Rendered (or absent). hints: the last build's counts by chunk."""
    slots, first, anchors, pages, guesses = [], {}, {}, [], {}
    for chunk in plan.chunks:
        side = _side(len(slots), first_side)
        if chunk.opens in ("left", "right") and slots and side != chunk.opens:
            slots.append(Slot(None, 0, side))
            pages.append(SimpleNamespace(anchors={}))
        first[chunk.index] = len(slots)
        rendered = results.get(chunk.index)
        if rendered is not None:
            for j, facts in enumerate(rendered.pages):
                for name, (x, y) in facts.anchors.items():
                    anchors.setdefault(name, (len(slots), x, y))
                pages.append(SimpleNamespace(anchors=facts.anchors))
                slots.append(Slot(chunk.index, j, _side(len(slots), first_side)))
        else:
            # Not laid out yet: its count from the last build or its size; its anchors on its
            # first page for the numbering only (labels of its targets come from the last build).
            count = hints.get(chunk_key(chunk)) or max(1, round(sum(u.size for u in chunk.units) / BYTES_PER_PAGE))
            guesses.update((name, len(slots)) for name in chunk.anchors)
            for j in range(count):
                pages.append(SimpleNamespace(anchors={n: (0, 0) for n in chunk.anchors} if j == 0 else {}))
                slots.append(Slot(chunk.index, j, _side(len(slots), first_side), known=False))
    seq = Sequence(slots, first, anchors, guesses=guesses)
    seq.numbering = number_pages(pages)
    seq.labels = [label(number, style) for number, style in seq.numbering]
    return seq


def chunk_key(chunk) -> str:
    """A chunk's name from one build to the next: its first unit's stable key."""
    return chunk.units[0].key


def _side(index: int, first_side: str) -> str:
    other = "left" if first_side == "right" else "right"
    return first_side if index % 2 == 0 else other
