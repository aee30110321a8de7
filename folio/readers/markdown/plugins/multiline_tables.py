"""Pandoc's multiline tables: a row may take several lines, rows are parted by blank lines,
and the table sits between two dashed lines.

    -------------------------------------------
     Region          Migrants   Notes
                     (millions)
    -------------   ---------  ----------------
     Africa                25  Mostly within the
                               region.

     Asia                  80  Rising.
    -------------------------------------------

The line of dash runs under the header sets the columns (and, with the header, the
alignment); a headerless table opens with it. A cell's lines are one paragraph."""
from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from mdit_py_plugins.utils import is_code_block

from .simple_tables import DASHED, GROUPS
from .table_tokens import Cell, alignments, columns, push_table, raw_line, split

RULE = re.compile(r"[ \t]*-{3,}[ \t]*$")       # one run of dashes: the opening line


def multiline_tables_plugin(md: MarkdownIt) -> None:
    md.block.ruler.before("folio_simple_table", "folio_multiline_table", _multiline_table)


def _multiline_table(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if is_code_block(state, start):
        return False
    first = raw_line(state, start)
    if RULE.match(first):
        rule = _header_end(state, start + 1, end)
        if rule is None:
            return False
    elif GROUPS.match(first) and _has_blank_row(state, start + 1, end):
        rule = start              # headerless: it opens with the columns
    else:
        return False
    closing = _closing(state, rule + 1, end)
    if closing is None:
        return False
    if silent:
        return True
    spans = columns(raw_line(state, rule))
    ranges = _row_ranges(state, rule + 1, closing)
    head_lines = range(start + 1, rule)            # empty when the table has no header
    head = [_row(state, start + 1, rule, spans)] if head_lines else []
    shown = head_lines or range(*ranges[0]) if ranges else head_lines
    state.line = closing + 1
    push_table(state, (start, state.line), head, [_row(state, a, b, spans) for a, b in ranges],
               alignments([raw_line(state, k) for k in shown], spans))
    return True


def _header_end(state: StateBlock, line: int, end: int) -> int | None:
    """The line of dash runs after the header's lines, if one comes before a blank line."""
    while line < end and not state.isEmpty(line) and state.sCount[line] >= state.blkIndent:
        text = raw_line(state, line)
        if GROUPS.match(text):
            return line
        if DASHED.match(text):
            return None
        line += 1
    return None


def _has_blank_row(state: StateBlock, line: int, end: int) -> bool:
    """Does a blank line part the rows before the closing dashes (else it is a simple table)?"""
    while line < end and not state.isEmpty(line):
        if DASHED.match(raw_line(state, line)):
            return False
        line += 1
    return line < end


def _closing(state: StateBlock, line: int, end: int) -> int | None:
    """The closing dashed line. A search that found none is remembered per container, so that
    a long unclosed table is searched once, not once per line (n² on hostile input)."""
    misses = state.env.setdefault("folio_multiline_misses", {})
    key = (hash(state.src), end)     # grid cells are read as sources of their own
    if line >= misses.get(key, end):
        return None
    first = line
    while line < end:
        if not state.isEmpty(line):
            if state.sCount[line] < state.blkIndent:
                return None
            if DASHED.match(raw_line(state, line)):
                return line if line > first else None
        line += 1
    misses[key] = min(misses.get(key, end), first)
    return None


def _row_ranges(state: StateBlock, line: int, end: int) -> list[tuple[int, int]]:
    """[start, end) of each row: runs of lines between blank lines."""
    ranges, begin = [], None
    for k in range(line, end + 1):
        blank = k == end or state.isEmpty(k)
        if blank and begin is not None:
            ranges.append((begin, k))
            begin = None
        elif not blank and begin is None:
            begin = k
    return ranges


def _row(state: StateBlock, first: int, last: int, spans) -> list[Cell]:
    lines = [split(raw_line(state, k), spans) for k in range(first, last)]
    return [Cell([cells[i] for cells in lines], first) for i in range(len(spans))]
