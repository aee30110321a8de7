"""The contents: parts, chapters and sections down to the depth the front matter sets."""
from __future__ import annotations

import re

from .. import model as m
from ..diagnostics import Reporter
from ..model.text import plain_text


def build_contents(doc: m.Document, reporter: Reporter) -> None:
    depth = doc.meta["contents-depth"]
    entries = []
    for part in doc.parts:
        headings = [part.heading] if part.heading else []
        if not part.front:
            headings += [b for b in part.blocks if isinstance(b, m.Heading)]
        for heading in headings:
            if heading.level <= depth and heading.id:
                entries.append(m.ContentsEntry(heading.level, heading.number,
                                               plain_text(heading.children), heading.id, part.front))
    doc.contents = entries


def assign_heading_ids(doc: m.Document, reporter: Reporter) -> None:
    """Headings without a label get a stable id, so contents and bookmarks can link to them."""
    taken = {b.id for b in _all_headings(doc) if b.id}
    tried: dict[str, int] = {}  # base → last suffix tried: n headings alike stay linear, not n²
    for heading in _all_headings(doc):
        if heading.id:
            continue
        slug = re.sub(r"[^a-z0-9]+", "-", plain_text(heading.children).casefold()).strip("-")
        base = ("h-" + slug)[:32].rstrip("-")
        candidate, n = base, tried.get(base, 1)
        while candidate in taken:
            n += 1
            candidate = f"{base}-{n}"
        tried[base] = n
        heading.id = candidate
        taken.add(candidate)


def _all_headings(doc: m.Document):
    return [b for b in doc.blocks if isinstance(b, m.Heading)]
