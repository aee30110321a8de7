"""Pandoc's grid tables: cells drawn with `+`, `-` and `|`; a `+===+` line parts the header
from the body; colons in the header's line (or the top line) set the alignment.

    +---------------+-----------------------+
    | Region        | Notes                 |
    +:==============+======================:+
    | Africa        | Two paragraphs:       |
    |               |                       |
    |               | - or a list           |
    +---------------+-----------------------+

A cell holds blocks: its text is read as a small document of its own (its lines mapped back
to the source). The table takes every line that starts with `+` or `|`; a line that does not
fit the grid gives odd cells, never a second reading of the same lines."""
from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token
from mdit_py_plugins.utils import is_code_block

from .table_tokens import Cell, push_inline, push_table, raw_line

BORDER = re.compile(r"[ \t]*\+(?:[-=:]+\+)+[ \t]*$")      # +---+---+ and +:==+==:+
# A line that may open a block other than a paragraph (a list, quote, heading, fence, table …):
# only a cell holding one is read as blocks; the rest, most cells, are one paragraph.
BLOCKISH = re.compile(r"[-*+>#`~|:!_=\\<\[]|\d+[.)](?:\s|$)|\s")
MAX_DEPTH = 3          # grid tables inside grid cells, at most this deep


def grid_tables_plugin(md: MarkdownIt) -> None:
    md.block.ruler.before("table", "folio_grid_table", _grid_table)


def _grid_table(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if is_code_block(state, start) or start + 1 >= end:
        return False
    top = raw_line(state, start)
    if not BORDER.match(top) or "=" in top or not raw_line(state, start + 1).lstrip().startswith("|"):
        return False
    if state.env.get("folio_grid_depth", 0) >= MAX_DEPTH:
        return False
    if silent:
        return True
    last = start + 1
    while last < end and state.sCount[last] >= state.blkIndent and \
            raw_line(state, last).lstrip()[:1] in ("|", "+"):
        last += 1
    bounds = [i for i, c in enumerate(top) if c == "+"]
    head, body, aligns = _rows(state, start, last, bounds)
    state.line = last
    push_table(state, (start, last), head, body, aligns, _cell_content)
    return True


def _rows(state: StateBlock, start: int, last: int, bounds: list[int]):
    """Rows of Cells (head, body) and the alignments, from the lines [start, last)."""
    head, body, row_lines = [], [], []
    aligns = _aligns(raw_line(state, start), bounds)
    for line in range(start + 1, last):
        text = raw_line(state, line)
        if not _is_border(text):
            row_lines.append(line)
            continue
        if row_lines:
            body.append(_cells(state, row_lines, bounds))
            row_lines = []
        if "=" in text and not head and len(body) == 1:
            head, body, aligns = body, [], _aligns(text, bounds)
    if row_lines:        # a table that ends without its border still keeps its last row
        body.append(_cells(state, row_lines, bounds))
    return head, body, aligns


def _is_border(text: str) -> bool:
    return text.lstrip().startswith("+") and not text.strip().strip("+-=: ")


def _aligns(border: str, bounds: list[int]) -> list[str]:
    out = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        part = border[a + 1:b]
        left, right = part.startswith(":"), part.endswith(":")
        out.append("center" if left and right else "right" if right else "left" if left else "")
    return out


def _cells(state: StateBlock, lines: list[int], bounds: list[int]) -> list[Cell]:
    texts = [raw_line(state, k) for k in lines]
    cells = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        parts = [t[a + 1:b].rstrip() for t in texts]
        indent = min((len(p) - len(p.lstrip()) for p in parts if p.strip()), default=0)
        cells.append(Cell([p[indent:] for p in parts], lines[0]))
    return cells


def _one_paragraph(lines: list[str]) -> bool:
    """Plainly one paragraph: no blank line between text, no line that could open a block."""
    texts = [line for line in lines if line.strip()]
    if not texts:
        return True
    first, last = lines.index(texts[0]), len(lines) - lines[::-1].index(texts[-1])
    return all(line.strip() for line in lines[first:last]) and not any(BLOCKISH.match(t) for t in texts)


def _cell_content(state: StateBlock, cell: Cell) -> None:
    """The cell read as blocks; one paragraph alone is pushed as the cell's inline text."""
    if _one_paragraph(cell.lines):
        push_inline(state, cell)
        return
    tokens: list[Token] = []
    state.env["folio_grid_depth"] = state.env.get("folio_grid_depth", 0) + 1
    try:
        state.md.block.parse("\n".join(cell.lines), state.md, state.env, tokens)
    finally:
        state.env["folio_grid_depth"] -= 1
    if len(tokens) == 3 and tokens[0].type == "paragraph_open" or not tokens:
        push_inline(state, cell)
        return
    for token in tokens:
        if token.map:
            token.map = [token.map[0] + cell.first, token.map[1] + cell.first]
        token.level += state.level
        state.tokens.append(token)
