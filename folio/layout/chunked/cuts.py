"""Soft cuts: where chapters run on, the chunks are cut where the pages say.

A page that begins with the start of a block (a paragraph, a heading, a table, a list item)
is a place the flow may be cut: laid out from that block on a fresh page, the pages after it
are the same, as long as what comes before still ends there. Every layout the route makes
tells where its pages begin blocks (`begins`); a content-defined share of those blocks
(`chosen`: a hash of the block's id) start chunks, so a correction moves no cut but the ones
around it, and a build from nothing finds the same cuts as one after a correction.

A cut is used only once it is *confirmed*: some layout of this build that runs across it
(a chunk holding it, a probe from the last block-beginning page before it, or the discovery
layout of a build from nothing) shows the same pages on both sides of it as the two chunks it
separates. What makes a cut unsafe (a note carried over from the page before, a table
continued, widows and orphans, counters, margins at the break) shows as a difference in a
page's text or in where its anchors landed, and the cut is not used: the chunks on both sides
are one. A confirmed pair of chunks (by their cache keys) stays confirmed in the next build.
The cuts are settled when the chosen blocks of the confirmed layout are the cuts it was laid
out with (a fixed point, which a build from nothing reaches too: the same file)."""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from . import keys

RECORD = "cuts.json"
# Of the blocks that begin a page (a third of the report's pages), those whose id hashes below
# this start a chunk: a chunk of about six pages. At 0.3 (ten pages) a one-word fix to the report
# at 10x took 3.28 s against 2.72 s at 0.6, for a cold build 1 % faster (wall; 6 % less CPU:
# more cuts, more probes; bench/pdf_fix.py, interleaved, medians of 3). FOLIO_CUT_SHARE sets it
# (tests cut short documents).
SHARE = float(os.environ.get("FOLIO_CUT_SHARE", "0.6"))
LOOK = 8_000          # bytes of the chunk after a cut a probe lays out (two pages or so)
DISCOVER = 120_000    # bytes: a chunk this large, with no cut known, is laid out once to find its cuts
ROUNDS = 6


def chosen(block: str) -> bool:
    draw = int.from_bytes(hashlib.sha256(f"cut:{block}".encode()).digest()[:4], "big") / 2 ** 32
    return draw < SHARE


def signature(facts) -> tuple:
    """What a page shows, compared across layouts: its text and where its anchors landed (from
    its left margin: a chunk is laid out on a right-hand page and moved where it lands)."""
    left = facts.margins[3]
    return facts.text, tuple(sorted((name, round(x - left, 1), round(y, 1)) for name, (x, y) in facts.anchors.items()))


@dataclass
class Layout:
    """One layout of this build, as evidence: its pages' signatures, the block each page begins
    with (outermost; "" where a page begins inside one), whether its last page is complete."""
    pages: list
    begins: list
    complete: bool = True


@dataclass
class Record:
    """What the last build settled (build/.folio/chunks/cuts.json), per variant of the print
    HTML (the writer's: a build that sets its last pages tighter lays them out twice, and each
    flow has its own cuts) and per revision (each layout the hyphenation rounds ask for is
    another flow: a build replays them from the first, and each starts from the cuts the last
    build settled for it, so that its chunks are those the cache holds)."""
    cuts: set = field(default_factory=set)
    pairs: set = field(default_factory=set)     # (key before, key after) of confirmed cuts
    unsafe: set = field(default_factory=set)    # blocks a layout showed no place to cut at
    variant: str = ""
    revision: int = 0

    @classmethod
    def load(cls, folder: Path, variant: str = "", revision: int = 0, before: Record | None = None) -> Record:
        """The record of a revision; met for the first time, it starts from the revision before
        it in this build (its cuts hold up to where hyphenation changed the lines), else from the
        flow's (a variant: they hold up to where it differs)."""
        known = keys.load(folder / RECORD)
        data = known.get(f"{variant or 'flow'}@{revision}")
        if data is None and before is not None:
            return cls(set(before.cuts), set(before.pairs), set(before.unsafe), variant, revision)
        data = data or known.get(variant or "flow") or known.get("flow", {})
        return cls(set(data.get("cuts", [])), {tuple(p) for p in data.get("pairs", [])},
                   set(data.get("unsafe", [])), variant, revision)

    @staticmethod
    def save(folder: Path, records: list) -> None:
        """The records of a build's revisions, in order; the last also as what the variant settled."""
        data = keys.load(folder / RECORD)
        name = records[-1].variant or "flow"
        for key in [k for k in data if k.startswith(f"{name}@")]:
            del data[key]            # a revision this build did not reach
        for record in records:
            data[f"{name}@{record.revision}"] = {"cuts": sorted(record.cuts), "pairs": sorted(map(list, record.pairs)),
                                                "unsafe": sorted(record.unsafe)}
        data[name] = data[f"{name}@{records[-1].revision}"]
        keys.save(folder / RECORD, data)


def page_begins(rendered, begins, depth: dict) -> list:
    """The outermost block each page of a layout begins with ("" for none, and for its first
    page, which begins where the layout does)."""
    out, before = [""], None
    for facts in rendered.pages[:1]:
        before = facts
    for facts in rendered.pages[1:]:
        ids = [i for i in begins(before, facts) if i in depth] if not facts.blank else []
        out.append(min(ids, key=lambda i: (depth[i], i)) if ids else "")
        before = facts
    return out


def layout(rendered, begins, depth: dict, complete: bool = True) -> Layout:
    return Layout([signature(p) for p in rendered.pages], page_begins(rendered, begins, depth), complete)


def confirms(evidence: Layout, cut: str, before: list, after: list, cut_after: bool = False) -> bool | None:
    """Does a layout that runs across `cut` show the pages `before` (of the chunk that ends at
    it) and `after` (of the one that begins there)? None where it cannot say: it begins no page
    with the cut, or it begins inside `before` at a page that differs (a probe whose own start
    was no place to cut). The last page of `after` is the next cut's business: where a soft cut
    ends `after` (`cut_after`), that cut's own verdict compares it whole (a note the flow carries
    over from it, a page the flow fills further, is a fault of that cut, not of this one);
    else it may hold more in the flow (up to a hard break): its anchors are compared, not its text."""
    if cut not in evidence.begins:
        return None
    q = evidence.begins.index(cut)
    head = evidence.pages[:q]
    n = min(len(head), len(before))
    if not n or head[len(head) - n:-1] != before[len(before) - n:-1]:
        return None           # it ran into the chunk before from elsewhere: says nothing of this cut
    if head[-1] != before[-1]:
        return False
    tail = evidence.pages[q:] if evidence.complete else evidence.pages[q:-1]
    if not tail:
        return None           # it stops before the page the cut begins is complete
    n = min(len(tail), len(after))
    if tail[:min(n, len(after) - 1)] != after[:min(n, len(after) - 1)]:
        return False
    return cut_after or n < len(after) or set(after[-1][1]) <= set(tail[len(after) - 1][1])


def depths(plan) -> dict:
    """id → depth below <body> of every element of the page (the outermost block wins)."""
    body = plan.made_with[1]
    out: dict[str, int] = {}

    def walk(node, d):
        for child in node:
            if isinstance(child.tag, str):
                ident = child.get("id")
                if ident and ident not in out:
                    out[ident] = d
                walk(child, d + 1)
    walk(body, 0)
    return out
