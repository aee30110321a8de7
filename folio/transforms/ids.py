"""Stable ids: every block gets one that edits elsewhere never change.

A labelled block keeps its label. A heading gets a slug of its title (a readable anchor).
Any other block gets its kind and a hash of its text; blocks with the same text are told
apart by their order among themselves only, so adding, editing or removing another block
leaves every other id as it was. Labels are taken first: an id never hides an author's label."""
from __future__ import annotations

import hashlib
import re

from .. import model as m
from ..diagnostics import Reporter
from ..model.text import block_text
from ..model.walk import document_blocks

PREFIX = {m.Paragraph: "p", m.GapBlock: "g", m.ListBlock: "l", m.BlockQuote: "q",
          m.CodeBlock: "c", m.Rule: "r", m.Table: "t", m.Figure: "f"}


def assign_ids(doc: m.Document, reporter: Reporter) -> None:
    blocks = list(document_blocks(doc))
    taken = {b.label for b in blocks if b.label} | {n.id for n in doc.footnotes.values()}
    tried: dict[str, int] = {}  # base → last suffix tried: n blocks alike stay linear, not n²
    for block in blocks:
        if block.label:
            block.id = block.label
            continue
        base = _base(block)
        candidate, n = base, tried.get(base, 1)
        while candidate in taken:
            n += 1
            candidate = f"{base}-{n}"
        tried[base] = n
        block.id = candidate
        taken.add(candidate)


def _base(block) -> str:
    text = block_text(block)
    if isinstance(block, m.Heading):
        slug = re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")
        return ("h-" + slug)[:32].rstrip("-") or "h"
    digest = hashlib.sha1(" ".join(text.split()).encode("utf-8")).hexdigest()[:8]
    return f"{PREFIX.get(type(block), 'b')}-{digest}"
