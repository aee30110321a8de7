"""A read manuscript written as folio Markdown: the skeleton's front matter with the
manuscript's title, then the blocks, then the notes."""
from __future__ import annotations

import json

from ..new import SKELETON
from .model import Heading, Item, Manuscript, Para, Table


def to_markdown(manuscript: Manuscript) -> str:
    definitions = "".join(f"\n*[{short}]: {long}" for short, long in manuscript.abbreviations)
    return (front_matter(manuscript) + "\n" + body(manuscript.blocks) + notes(manuscript.notes)
            + (definitions + "\n" if definitions else ""))


def front_matter(manuscript: Manuscript) -> str:
    """The skeleton's front matter (every key folio knows, commented), the title set."""
    skeleton = (SKELETON / "report.md").read_text(encoding="utf-8")
    head = skeleton[:skeleton.index("\n---\n", 4) + 5]
    lines = []
    for line in head.splitlines(keepends=True):
        if line.startswith("title:"):      # a JSON string is a YAML double-quoted scalar
            line = f"title: {json.dumps(manuscript.title, ensure_ascii=False)}\n"
        elif line.startswith("# subtitle:") and manuscript.subtitle:
            line = f"subtitle: {json.dumps(manuscript.subtitle, ensure_ascii=False)}\n"
        lines.append(line)
    return "".join(lines)


def body(blocks: list) -> str:
    out: list[str] = []
    for n, block in enumerate(blocks):
        joined_to_list = isinstance(block, Item) and n and isinstance(blocks[n - 1], Item)
        if out:
            out.append("\n" if joined_to_list else "\n\n")
        out.append(_block(block))
    return "".join(out) + "\n"


def _block(block) -> str:
    if isinstance(block, Heading):
        attrs = " {" + " ".join(block.classes) + "}" if block.classes else (
            " {.unnumbered}" if block.unnumbered else f" {{number={block.number}}}" if block.number else "")
        return "#" * block.level + " " + block.text + attrs
    if isinstance(block, Item):
        marker = "1. " if block.ordered else "- "
        return "    " * block.depth + marker + block.text.replace("\\\n", "\\\n" + "    " * (block.depth + 1))
    if isinstance(block, Table):
        return table(block.rows)
    assert isinstance(block, Para)
    return block.text


def table(rows: list[list[str]]) -> str:
    if not rows or not rows[0]:
        return ""
    def line(cells):
        return "| " + " | ".join(c.replace("\n", " ") or " " for c in cells) + " |"
    return "\n".join([line(rows[0]), "|" + "---|" * len(rows[0])] + [line(r) for r in rows[1:]])


def notes(paragraphs_by_note: list[list[str]]) -> str:
    out = []
    for n, paragraphs in enumerate(paragraphs_by_note, 1):
        if not paragraphs:
            continue
        text = "\n\n".join(("" if i == 0 else "    ") + p.replace("\\\n", "\\\n    ")
                           for i, p in enumerate(paragraphs))
        out.append(f"\n[^{n}]: {text}\n")
    return "".join(out)
