"""The contents: parts, chapters and sections down to the depth the front matter sets."""
from __future__ import annotations

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
