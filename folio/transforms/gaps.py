"""Every editorial gap numbered and listed with the part it is in, for the editorial note that
tells the reader what the marker means and where text is missing."""
from __future__ import annotations

from .. import model as m
from ..diagnostics import Reporter
from ..model.walk import inline_lists, iter_blocks, iter_inlines


def list_gaps(doc: m.Document, reporter: Reporter) -> None:
    entries: list[m.GapEntry] = []

    def add(gap: m.Gap, block, part) -> None:
        gap.number = len(entries) + 1
        gap.id = f"gap-{gap.number}"
        entries.append(m.GapEntry(gap, block, part))

    for part in doc.parts:
        for block in ([part.heading] if part.heading else []) + list(iter_blocks(part.blocks)):
            if isinstance(block, m.GapBlock):
                add(block.gap, block, part)
            for nodes in inline_lists(block):
                for node in iter_inlines(nodes):
                    if isinstance(node, m.Gap):
                        add(node, block, part)
    for note in doc.footnote_order:
        for block in iter_blocks(note.blocks):
            for nodes in inline_lists(block):
                for node in iter_inlines(nodes):
                    if isinstance(node, m.Gap):
                        add(node, block, None)
    doc.gaps = entries
