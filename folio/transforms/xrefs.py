"""Collect every target a label names, then resolve each cross-reference to its number."""
from __future__ import annotations

from .. import model as m
from ..diagnostics import Kind, Reporter, closest
from ..model.walk import document_inline_lists, iter_blocks, iter_inlines

# How a reference reads in running text (UN style: "see chapter V", "para. 12").
PREFIX = {"chapter": "chapter", "section": "section", "subsection": "section",
          "para": "para.", "table": "table", "figure": "figure", "note": "note",
          "part": "", "heading": ""}


def collect_targets(doc: m.Document, reporter: Reporter) -> None:
    targets: dict[str, m.Target] = {}

    def add(label: str, kind: str, number: str, loc) -> None:
        if not label:
            return
        if label in targets:
            first = targets[label].loc
            reporter.error(loc, f"duplicate label '{label}' (first used at {first})", Kind.LABEL_DUPLICATE)
            return
        targets[label] = m.Target(label, kind, number, loc)

    for block in iter_blocks(doc.blocks):
        if isinstance(block, m.Heading):
            add(block.id, block.kind, block.full_number, block.loc)
        elif isinstance(block, m.Paragraph):
            add(block.id, "para", str(block.number or ""), block.loc)
        elif isinstance(block, m.Table):
            add(block.id, "table", str(block.number), block.loc)
        elif isinstance(block, m.Figure):
            add(block.id, "figure", str(block.number), block.loc)
    for note in doc.footnote_order:
        add("fn-" + note.label, "note", str(note.number), note.loc)
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
        ref.text = "??"
        return
    ref.kind, ref.number = target.kind, target.number
    if not target.number and ref.mode != "page":
        reporter.error(ref.loc, f"cross-reference '{ref.label}' points to a {target.kind} that has no"
                       " number (number it, or use a page reference)", Kind.XREF_UNNUMBERED)
        ref.text = "??"
        return
    prefix = PREFIX.get(target.kind, "")
    ref.text = target.number if ref.mode == "number" else f"{prefix} {target.number}".strip()
