"""MyST directives in a code fence, as Jupyter Book writes them:

    ```{admonition} Read first          ````{note}             ```{code-cell} python
    :class: important                   ```{tip}               print(1)
                                        Nested.                ```
    Body in Markdown.                   ```
    ```                                 ````

Without this rule markdown-it reads them as code, and the title and body show as code. A
directive becomes a div (plugins/divs.py's tokens, so that the model reads both fence forms one
way): an admonition is a box, another directive keeps its argument as the div's title and its
body as blocks, and the model reports it. A directive whose body is code (code-cell, math …)
keeps its body as code. A fence closes as CommonMark's do (same character, at least as long),
so a directive nests inside one whose fence is longer.

The options (`:class: x` lines, or a `---` block of `key: value` lines) are read by
`options()`, which the colon form (`:::{note}`) uses too: `:class:` adds classes (the first a
box kind decides the box), `:name:` is the div's label for cross-references."""
from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from mdit_py_plugins.utils import is_code_block

FENCE = re.compile(r"(`{3,}|~{3,})[ \t]*\{([A-Za-z][\w:.-]*)\}[ \t]*(.*?)[ \t]*$")
OPTION = re.compile(r":([\w-]+):(?:[ \t]+(.*?))?[ \t]*$")
YAML_OPTION = re.compile(r"([\w-]+)[ \t]*:[ \t]*(.*?)[ \t]*$")
# Directives whose body is code or data, not Markdown: kept as code under their title.
CODE_BODIES = {"code", "code-block", "code-cell", "sourcecode", "literalinclude", "math", "mermaid",
               "graphviz", "raw", "eval-rst", "csv-table", "glue", "bibliography"}


def directives_plugin(md: MarkdownIt) -> None:
    md.block.ruler.before("fence", "folio_directive", _directive,
                          {"alt": ["paragraph", "reference", "blockquote", "list"]})


def _line(state: StateBlock, line: int) -> str:
    return state.src[state.bMarks[line] + state.tShift[line]:state.eMarks[line]]


def _directive(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if is_code_block(state, start) or state.src[state.bMarks[start] + state.tShift[start]] not in "`~":
        return False
    opened = FENCE.match(_line(state, start))
    if opened is None:
        return False
    if silent:
        return True
    fence, name, argument = opened.groups()
    close = _closing_line(state, start, end, fence)
    options, first = options_of(state, start + 1, close)
    closed = close < end
    if name.casefold() in CODE_BODIES:
        token = state.push("folio_directive_code", "code", 0)
        token.content = "".join(state.getLines(first, close, state.sCount[start], True)) if first < close else ""
    else:
        token = state.push("folio_div_open", "div", 1)
    token.map = [start, close + 1 if closed else close]
    token.meta = {**attributes(name, argument, options), "closed": closed, "fence": fence}
    if token.type == "folio_div_open":
        old_parent, old_max = state.parentType, state.lineMax
        state.parentType, state.lineMax = "folio_div", close
        state.md.block.tokenize(state, first, close)
        state.parentType, state.lineMax = old_parent, old_max
        state.push("folio_div_close", "div", -1)
    state.line = close + 1 if closed else close
    return True


def _closing_line(state: StateBlock, start: int, end: int, fence: str) -> int:
    """The line of the fence that closes this one (end if none does)."""
    for line in range(start + 1, end):
        text = _line(state, line)
        if text and state.sCount[line] < state.blkIndent:
            return line                     # a line outside the container ends the fence too
        if not is_code_block(state, line) and text.startswith(fence) and not text.rstrip().strip(fence[0]):
            return line
    return end


def options_of(state: StateBlock, first: int, close: int) -> tuple[dict, int]:
    """The options at the top of a directive's body, and the line its content starts at."""
    options: dict = {}
    if first < close and _line(state, first).rstrip() == "---":
        for line in range(first + 1, close):
            text = _line(state, line)
            if text.rstrip() == "---":
                return options, line + 1
            found = YAML_OPTION.match(text)
            if found:
                options[found.group(1)] = found.group(2).strip("'\"")
        return {}, first                    # never closed: not an options block
    line = first
    while line < close:
        found = OPTION.match(_line(state, line))
        if not found:
            break
        options[found.group(1)] = found.group(2) or ""
        line += 1
    return options, line


def attributes(name: str, argument: str, options: dict) -> dict:
    """A div's {'id', 'classes', 'title', 'directive', 'options'} from a directive's parts: the
    classes an author gives come first, so that `{admonition}` with `:class: tip` is a tip."""
    classes = options.get("class", "").split() + [name]
    return {"id": options.get("name", "").strip(), "classes": classes, "title": argument,
            "directive": name, "options": sorted(set(options) - {"class", "name"})}
