"""Fenced divs, as pandoc, Quarto and MyST write them:

    ::: {#box-x .warning title="Read first"}     ::: warning        :::{note} A title
    blocks                                        blocks             blocks
    :::                                           :::                :::

A bare `:::` closes the innermost open div, so divs nest with fences of any length (pandoc's
rule). The closing fence is found by counting fences (those inside code fences do not count);
the lines between are then read as blocks of their own, as a blockquote's are. An opening
fence never closed runs to the end of its container, and says so."""
from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from mdit_py_plugins.attrs.parse import ParseError, parse
from mdit_py_plugins.utils import is_code_block

from .directives import attributes, options_of

OPEN = re.compile(r":{3,}[ \t]*(\{[^{}\n]*\}|[^\s:{}]+)[ \t]*(.*?)[ \t:]*$")
CLOSE = re.compile(r":{3,}[ \t]*$")
MYST = re.compile(r"\{([A-Za-z][\w-]*)\}$")     # :::{note}: a MyST directive's name
CODE_FENCE = re.compile(r"(`{3,}|~{3,})")


def divs_plugin(md: MarkdownIt) -> None:
    md.block.ruler.before("fence", "folio_div", _div, {"alt": ["paragraph", "reference", "blockquote", "list"]})


def _line(state: StateBlock, line: int) -> str:
    return state.src[state.bMarks[line] + state.tShift[line]:state.eMarks[line]]


def _div(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if is_code_block(state, start) or state.src[state.bMarks[start] + state.tShift[start]:][:3] != ":::":
        return False
    text = _line(state, start)
    opened = OPEN.match(text)
    if opened is None:
        if silent or not CLOSE.match(text):
            return False
        token = state.push("folio_div_stray", "", 0)   # a closing fence with no div open
        token.map = [start, start + 1]
        state.line = start + 1
        return True
    if silent:
        return True
    close = _closing_line(state, start, end)
    token = state.push("folio_div_open", "div", 1)
    token.map = [start, close + 1 if close < end else close]
    first, myst = start + 1, MYST.match(opened.group(1))
    if myst:      # MyST: the directive's name, its argument (an admonition's title), its options
        options, first = options_of(state, start + 1, close)
        token.meta = attributes(myst.group(1), opened.group(2).strip(), options)
    else:
        token.meta = _attributes(opened.group(1), opened.group(2).strip())
    token.meta["closed"] = close < end
    old_parent, old_max = state.parentType, state.lineMax
    state.parentType, state.lineMax = "folio_div", close
    state.md.block.tokenize(state, first, close)
    state.parentType, state.lineMax = old_parent, old_max
    state.push("folio_div_close", "div", -1)
    state.line = close + 1 if close < end else close
    return True


def _closing_line(state: StateBlock, start: int, end: int) -> int:
    """The line of the fence that closes the div opened at start (end if none does)."""
    depth, fence = 1, None
    for line in range(start + 1, end):
        text = _line(state, line)
        if text and state.sCount[line] < state.blkIndent:
            return line                     # a line outside the container ends the div too
        if is_code_block(state, line):
            continue
        if fence is not None:
            if text.startswith(fence) and not text.strip(fence[0]).strip():
                fence = None
            continue
        code = CODE_FENCE.match(text)
        if code:
            fence = code.group(1)
        elif CLOSE.match(text):
            depth -= 1
            if depth == 0:
                return line
        elif OPEN.match(text):
            depth += 1
    return end


def _attributes(spec: str, rest: str) -> dict:
    """{'id', 'classes', 'title', 'directive'} from what follows the opening colons."""
    if not spec.startswith("{"):
        return {"id": "", "classes": [spec], "title": rest, "directive": ""}
    try:
        _, attrs = parse(spec)
    except ParseError:
        attrs = {}
    return {"id": attrs.get("id", ""), "classes": attrs.get("class", "").split(),
            "title": attrs.get("title", "") or rest, "directive": ""}
