"""Blocks nested deeper than markdown-it reads are kept as plain paragraphs.

markdown-it stops at `maxNesting` (20) levels of blocks and, past it, skips to the end of the
range it was given. A list item's range is the rest of the document, so a list nested 11 deep
lost every later paragraph and chapter. Here the deepest container reads its lines as
paragraphs (list markers and `>` stay in the text); nothing after it is touched. Paragraphs
read so carry `meta["folio_flattened"]`, which the model turns into one warning."""
from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_block import paragraph
from markdown_it.rules_block.state_block import StateBlock


def nesting_plugin(md: MarkdownIt) -> None:
    nested = md.block.tokenize

    def tokenize(state: StateBlock, start: int, end: int) -> None:
        if state.level < state.md.options.maxNesting:
            nested(state, start, end)
        else:
            _flat(state, start, end)

    md.block.tokenize = tokenize


def _flat(state: StateBlock, start: int, end: int) -> None:
    """markdown-it's block loop with the paragraph rule alone: no rule that opens a container,
    so no deeper level and no recursion."""
    line = start
    while line < end:
        state.line = line = state.skipEmptyLines(line)
        if line >= end or state.sCount[line] < state.blkIndent:
            break
        first = len(state.tokens)
        paragraph(state, line, end, False)
        state.tokens[first].meta["folio_flattened"] = True
        state.tight = False
        line = state.line
