"""Footnotes are numbered in the order they are first called.

A note first called from another note's text (its host) is numbered after every note the text
calls: Word numbers only the notes called from the body and cannot hold a note inside a note, so
the editions set such a note after its host (see writers/docx/plan.py: note_order), and the
numbers stay the same in all of them."""
from __future__ import annotations

from collections import deque

from .. import model as m
from ..diagnostics import Kind, Reporter
from ..model.walk import inline_lists, iter_blocks, iter_inlines


def number_footnotes(doc: m.Document, reporter: Reporter) -> None:
    order: list[m.Footnote] = []
    pending = deque((block, "") for block in iter_blocks(doc.blocks))
    while pending:
        block, host = pending.popleft()
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
                    note.host = host
                    pending.extend((b, note.label) for b in iter_blocks(note.blocks))  # notes may call notes
                node.number = note.number
    for note in doc.footnotes.values():
        if note.number is None:
            reporter.warning(note.loc, f"footnote '[^{note.label}]' is never called", Kind.FOOTNOTE_UNKNOWN)
    doc.footnote_order = order
