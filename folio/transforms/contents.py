"""The contents: parts, chapters and sections down to the depth the front matter sets."""
from __future__ import annotations

from .. import model as m
from ..diagnostics import Reporter
from ..model.text import is_lost, plain_text


def build_contents(doc: m.Document, reporter: Reporter) -> None:
    depth = doc.meta["contents-depth"]
    entries = []
    for part in doc.parts:
        headings = [part.heading] if part.heading else []
        if not part.front:
            headings += [b for b in part.blocks if isinstance(b, m.Heading)]
        for heading in headings:
            if heading.level <= depth and heading.id:
                lost = is_lost(heading)
                reason = next((n.reason for n in heading.children if isinstance(n, m.Gap)), "") if lost else ""
                entries.append(m.ContentsEntry(heading.level, heading.number,
                                               "" if lost else plain_text(heading.children), heading.id,
                                               part.front, lost=lost, reason=reason))
    if doc.gaps:   # the editorial note folio writes ends the front matter (see compose)
        after = max((i + 1 for i, e in enumerate(entries) if e.front), default=0)
        entries.insert(after, m.ContentsEntry(1, None, "", m.EDITORIAL_NOTE, True, term="editorial_note"))
    doc.contents = entries
