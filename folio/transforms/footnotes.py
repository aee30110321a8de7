"""Footnotes are numbered in the order they are first called."""
from __future__ import annotations

from collections import deque

from .. import model as m
from ..diagnostics import Kind, Reporter
from ..model.walk import inline_lists, iter_blocks, iter_inlines


def number_footnotes(doc: m.Document, reporter: Reporter) -> None:
    order: list[m.Footnote] = []
    pending = deque(iter_blocks(doc.blocks))
    while pending:
        block = pending.popleft()
        for nodes in inline_lists(block):
            for node in iter_inlines(nodes):
                if not isinstance(node, m.FootnoteRef):
                    continue
                note = doc.footnotes.get(node.label)
                if note is None:
                    reporter.error(node.loc, f"footnote '[^{node.label}]' has no text", Kind.FOOTNOTE_UNKNOWN)
                    continue
                node.first = note.number is None
                if node.first:
                    order.append(note)
                    note.number = m.Number("note", (len(order),), (note.id,))
                    pending.extend(iter_blocks(note.blocks))  # notes may call notes
                node.number = note.number
    for note in doc.footnotes.values():
        if note.number is None:
            reporter.warning(note.loc, f"footnote '[^{note.label}]' is never called", Kind.FOOTNOTE_UNKNOWN)
    doc.footnote_order = order
