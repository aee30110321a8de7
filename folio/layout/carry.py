"""A carry-over pulled back: a few lines left alone on the last page of the text.

When the body's last page holds only the end of a paragraph begun on the page before (a
"carry-over" of a few lines), the page is a waste in print (and, for the printer's edition,
may cost four pages: a sheet) and looks like an accident. A typesetter pulls those lines back
by setting the last pages a little tighter. folio does the same: the parts that stand on the
last pages get the class `tight` (print.css: paragraphs and headings closer together, the
leading unchanged), the pages are laid out again, and the new layout is kept only if the
carry-over page is gone. Both PDF routes decide from the same page facts: (lines on the page,
{block id: [first line, last line]}) per page, the page map's own."""
from __future__ import annotations

from .. import model as m
from ..model.walk import iter_blocks

CARRY_OVER = 8      # lines: a last page holding no more than this is pulled back
REACH = 3           # pages before it that are set tighter to take its lines


def text_end(facts: list) -> int:
    """The index of the last page with text before the back cover (the last page)."""
    last = len(facts) - 2
    while last > 0 and not facts[last][0]:
        last -= 1
    return last


def tight_regions(doc: m.Document, facts: list) -> frozenset:
    """The indexes (in doc.composition) of the regions to set tighter, or none: the last
    text page holds at most CARRY_OVER lines, all of blocks begun on the page before it."""
    last = text_end(facts)
    lines, spans = facts[last] if last > 0 else (0, {})
    if not 0 < lines <= CARRY_OVER or not spans:
        return frozenset()
    before = facts[last - 1][1]
    first = min(spans, key=lambda ident: spans[ident][0])
    if first not in before:
        return frozenset()          # the last page opens a block: nothing is carried over
    near = set().union(*(facts[i][1].keys() for i in range(max(0, last - REACH), last + 1)))
    return frozenset(index for index, region in enumerate(doc.composition)
                     if region.part is not None and _ids(region.part) & near)


def region_ids(doc: m.Document, regions: frozenset) -> set:
    """The block ids of the regions set tighter (their lines are all set again)."""
    return set().union(*(_ids(doc.composition[i].part) for i in regions))


def _ids(part: m.Part) -> set:
    ids = {block.id for block in iter_blocks(part.blocks)}
    return ids | ({part.heading.id} if part.heading is not None else set())
