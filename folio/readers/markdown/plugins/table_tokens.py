"""What the grid, simple and multiline table plugins share: the tokens of a table, made as
markdown-it's own pipe tables are made (so that the model reads every table the same way),
and the columns of a dashed line with the alignment pandoc reads from it."""
from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it.rules_block import StateBlock

DASH_GROUP = re.compile(r"-+")


@dataclass
class Cell:
    lines: list          # the cell's text, one entry per source line
    first: int           # the source line (0-based) of lines[0]


def raw_line(state: StateBlock, line: int) -> str:
    """The line as written inside its container (columns count from here)."""
    return state.src[state.bMarks[line]:state.eMarks[line]].expandtabs(4)


def columns(dashes: str) -> list[tuple[int, int]]:
    """(start, end) of each run of dashes: pandoc's columns."""
    return [match.span() for match in DASH_GROUP.finditer(dashes)]


def split(line: str, spans: list[tuple[int, int]]) -> list[str]:
    """A row's line cut into cells: each column runs from its dashes' start to the next
    column's start, the last to the end of the line (as pandoc cuts them)."""
    starts = [s for s, _ in spans] + [max(len(line), spans[-1][1])]
    return [line[starts[i]:starts[i + 1]] for i in range(len(spans))]


def alignments(header: list[str], spans: list[tuple[int, int]]) -> list[str]:
    """Pandoc's rule: text flush with its dashes on the left only → left, on the right only →
    right, on neither side → center, on both (or no text) → the default."""
    out = []
    for i, (start, end) in enumerate(spans):
        lefts, rights = [], []
        for line in header:
            text = split(line, spans)[i]
            if text.strip():
                lefts.append(start + len(text) - len(text.lstrip()))
                rights.append(start + len(text.rstrip()))
        flush_left, flush_right = bool(lefts) and min(lefts) <= start, bool(rights) and max(rights) >= end
        out.append("left" if flush_left and not flush_right else "right" if flush_right and not flush_left
                   else "center" if lefts and not flush_left else "")
    return out


def push_table(state: StateBlock, lines: tuple[int, int], head: list, body: list, aligns: list,
               content=None) -> None:
    """Table tokens for rows of Cells, as markdown-it's pipe tables are; `content` pushes a
    cell's own tokens (by default its lines as one paragraph's inline text)."""
    content = content or push_inline
    table = state.push("table_open", "table", 1)
    table.map = [lines[0], lines[1]]
    for section, rows, tag in (("thead", head, "th"), ("tbody", body, "td")):
        if not rows:
            continue
        state.push(f"{section}_open", section, 1)
        for row in rows:
            state.push("tr_open", "tr", 1)
            for cell, align in zip(row, aligns, strict=False):
                opened = state.push(f"{tag}_open", tag, 1)
                if align:
                    opened.attrs = {"style": f"text-align:{align}"}
                content(state, cell)
                state.push(f"{tag}_close", tag, -1)
            state.push("tr_close", "tr", -1)
        state.push(f"{section}_close", section, -1)
    state.push("table_close", "table", -1)


def push_inline(state: StateBlock, cell: Cell) -> None:
    """A cell of one paragraph: its lines joined by soft breaks, mapped to its own lines."""
    texts = [line.strip() for line in cell.lines]
    first = next((i for i, t in enumerate(texts) if t), 0)
    kept = [t for t in texts[first:] if t]
    token = state.push("inline", "", 0)
    token.content = "\n".join(kept)
    token.map = [cell.first + first, cell.first + first + max(1, len(kept))]
    token.children = []
