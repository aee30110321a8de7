"""Collect every target a label names, then resolve each cross-reference to its number.

A reference keeps its target's kind, Number and id; how it reads ("chapter V", "para. 12")
is the writers' business, through folio.i18n."""
from __future__ import annotations

from .. import model as m
from ..diagnostics import Kind, Reporter, closest
from ..model.text import plain_text
from ..model.walk import document_inline_lists, iter_blocks, iter_inlines

PARA = "para"


def collect_targets(doc: m.Document, reporter: Reporter) -> None:
    targets: dict[str, m.Target] = {}

    def add(block, kind: str, number, title: str = "") -> None:
        label = block.label
        if not label:
            return
        if label in targets:
            first = targets[label].loc
            reporter.error(block.loc, f"duplicate label '{label}' (first used at {first})", Kind.LABEL_DUPLICATE)
            return
        targets[label] = m.Target(label, kind, number, block.loc, block.id, title)

    for block in iter_blocks(doc.blocks):
        if isinstance(block, m.Heading):
            add(block, block.kind, block.number, plain_text(block.children))
        elif isinstance(block, m.Paragraph):
            add(block, PARA, block.number)
        elif isinstance(block, m.Table):
            add(block, "table", block.number)
        elif isinstance(block, m.Figure):
            add(block, "figure", block.number)
    for note in doc.footnote_order:
        label = "fn-" + note.label
        if label not in targets:
            targets[label] = m.Target(label, "note", note.number, note.loc, note.id)
    doc.targets = targets


def resolve_xrefs(doc: m.Document, reporter: Reporter) -> None:
    for _, nodes in document_inline_lists(doc):
        for node in iter_inlines(nodes):
            if isinstance(node, m.XRef):
                _resolve(node, doc.targets, reporter)


def _resolve(ref: m.XRef, targets: dict, reporter: Reporter) -> None:
    target = targets.get(ref.label)
    if target is None:
        reporter.error(ref.loc, f"unknown cross-reference '{ref.label}'{closest(ref.label, targets)}",
                       Kind.XREF_UNKNOWN)
        return
    ref.kind, ref.number, ref.target, ref.title = target.kind, target.number, target.id, target.title
    if target.number is None and ref.mode != "page":
        reporter.error(ref.loc, f"cross-reference '{ref.label}' points to a {target.kind} that has no"
                       " number (number it, or use a page reference)", Kind.XREF_UNNUMBERED)
        return
    ref.resolved = True
