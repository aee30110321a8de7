"""Pandoc's line blocks: lines that start with `| ` keep their breaks and their indentation
(addresses, verse, the lines of a resolution's heading).

    | United Nations
    |     Department of Economic and Social Affairs
    | New York

A line that starts with a space continues the line before it. A pipe table, read first by
its own rule, is never one."""
from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from mdit_py_plugins.utils import is_code_block

LINE = re.compile(r"\|(?: (.*)|$)")
NBSP = "\u00a0"


def line_blocks_plugin(md: MarkdownIt) -> None:
    md.block.ruler.before("paragraph", "folio_line_block", _line_block)


def _text(state: StateBlock, line: int) -> str:
    return state.src[state.bMarks[line] + state.tShift[line]:state.eMarks[line]]


def _line_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if is_code_block(state, start) or not LINE.match(_text(state, start)):
        return False
    if silent:
        return True
    lines, line = [], start
    while line < end and not state.isEmpty(line) and state.sCount[line] >= state.blkIndent:
        match = LINE.match(_text(state, line))
        if match:
            body = match.group(1) or ""
            stripped = body.lstrip(" ")
            lines.append(NBSP * (len(body) - len(stripped)) + stripped)
        elif state.sCount[line] > state.blkIndent and lines:
            lines[-1] += " " + _text(state, line)        # a continued line
        else:
            break
        line += 1
    state.push("paragraph_open", "p", 1).map = [start, line]
    token = state.push("inline", "", 0)
    token.content = "\n".join(lines)
    token.map = [start, line]
    token.children = []
    token.meta = {"line_block": True}
    state.push("paragraph_close", "p", -1)
    state.line = line
    return True
