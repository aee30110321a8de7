"""Pandoc's simple tables: columns set by runs of dashes under the header, alignment by where
the header sits over its dashes; one line a row, ended by a blank line.

      Region      Migrants   Share            --------  --------
    ----------   ---------  ------            Africa    25
    Africa              25      10            Asia      80
                                              --------  --------

Without a header (right) the table opens and closes with the dashed line and the first row
sets the alignment. Two columns at least: a single run of dashes under a line is a heading."""
from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from mdit_py_plugins.utils import is_code_block

from .table_tokens import Cell, alignments, columns, push_table, raw_line, split

# two or more runs of dashes, one of three at least ("- - -" is a thematic break)
GROUPS = re.compile(r"(?=.*---)[ \t]*-+(?:[ \t]+-+)+[ \t]*$")
DASHED = re.compile(r"[ \t]*-[- \t]*$")                  # a line of dashes (the closing line)


def simple_tables_plugin(md: MarkdownIt) -> None:
    md.block.ruler.before("hr", "folio_simple_table", _simple_table)


def _simple_table(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if is_code_block(state, start) or start + 1 >= end or state.isEmpty(start + 1):
        return False
    first, second = raw_line(state, start), raw_line(state, start + 1)
    headed = not DASHED.match(first) and GROUPS.match(second) is not None
    if not headed and not GROUPS.match(first):
        return False
    rule = start + 1 if headed else start
    last = _rows_end(state, rule + 1, end)
    closing = last < end and DASHED.match(raw_line(state, last)) is not None
    if last == rule + 1 or (not headed and not closing):
        return False          # no rows; a table without a header must end with dashes
    if silent:
        return True
    spans = columns(raw_line(state, rule))
    rows = [_row(state, line, spans) for line in range(rule + 1, last)]
    head = [_row(state, start, spans)] if headed else []
    aligns = alignments([raw_line(state, start if headed else rule + 1)], spans)
    state.line = last + 1 if closing else last
    push_table(state, (start, state.line), head, rows, aligns)
    return True


def _rows_end(state: StateBlock, line: int, end: int) -> int:
    """The first line after the rows: a blank line, a line of dashes, or the container's end."""
    while line < end and not state.isEmpty(line) and state.sCount[line] >= state.blkIndent \
            and not DASHED.match(raw_line(state, line)):
        line += 1
    return line


def _row(state: StateBlock, line: int, spans) -> list[Cell]:
    return [Cell([text], line) for text in split(raw_line(state, line), spans)]
