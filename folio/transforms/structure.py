"""Split the flat block list into parts: front matter first, then the report body."""
from __future__ import annotations

from .. import model as m
from ..diagnostics import Kind, Reporter


def split_parts(doc: m.Document, reporter: Reporter) -> None:
    parts: list[m.Part] = []
    previous_level = 0
    for block in doc.blocks:
        if isinstance(block, m.Heading):
            if block.level > previous_level + 1 and previous_level:
                reporter.warning(block.loc, f"heading level {block.level} follows level"
                                 f" {previous_level}: a level is skipped", Kind.HEADING_SKIP)
            previous_level = block.level
        if isinstance(block, m.Heading) and block.level == 1:
            parts.append(m.Part(block, [], front="front" in block.classes))
        elif parts:
            parts[-1].blocks.append(block)
        else:
            parts.append(m.Part(None, [block], front=False))
    doc.parts = parts
