"""Collect every target a label names, then resolve each cross-reference to its number.

A reference keeps its target's kind, Number and id; how it reads ("chapter V", "para. 12")
is the writers' business, through folio.i18n."""
from __future__ import annotations

from .. import model as m
from ..diagnostics import Kind, Reporter, Suggestions
from ..model.text import plain_text
from ..model.walk import document_blocks, document_inline_lists, iter_blocks, iter_inlines

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
        elif isinstance(block, m.Div):
            add(block, "div", None)        # an anchor, never numbered: its label must be unique
    for note in doc.footnote_order:
        label = "fn-" + note.label
        if label not in targets:
            targets[label] = m.Target(label, "note", note.number, note.loc, note.id)
    doc.targets = targets


def resolve_xrefs(doc: m.Document, reporter: Reporter) -> None:
    headings = {}      # line → heading, for references to a heading by its text
    cache: dict = {}   # the suggestions for unknown references
    for block in document_blocks(doc):
        if isinstance(block, m.Heading):
            headings.setdefault(block.loc.line, block)
    for _, nodes in document_inline_lists(doc):
        for node in iter_inlines(nodes):
            if isinstance(node, m.XRef):
                _resolve(node, doc.targets, reporter, cache)
            elif isinstance(node, m.HeadingRef) and node.line in headings:
                node.href = "#" + headings[node.line].id


def _resolve(ref: m.XRef, targets: dict, reporter: Reporter, cache: dict) -> None:
    target = targets.get(ref.label)
    if target is None:
        if "suggest" not in cache:               # made once, at the first unknown reference
            cache["suggest"] = Suggestions(targets)
        reporter.error(ref.loc, f"unknown cross-reference '{ref.label}'{cache['suggest'](ref.label)}",
                       Kind.XREF_UNKNOWN)
        return
    ref.kind, ref.number, ref.target, ref.title = target.kind, target.number, target.id, target.title
    if target.number is None and ref.mode != "page":
        reporter.error(ref.loc, f"cross-reference '{ref.label}' points to a {target.kind} that has no"
                       " number (number it, or use a page reference)", Kind.XREF_UNNUMBERED)
        return
    ref.resolved = True
