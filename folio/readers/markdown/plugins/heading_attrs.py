"""`# Title {#sec-x number=II .unnumbered}`: attributes at the end of a heading line."""
import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from mdit_py_plugins.attrs.parse import ParseError, parse

TRAILING = re.compile(r"\s*(\{[^{}]*\})\s*$")


def heading_attrs_plugin(md: MarkdownIt) -> None:
    md.core.ruler.before("inline", "folio_heading_attrs", _heading_attrs)


def _heading_attrs(state: StateCore) -> None:
    tokens = state.tokens
    for i, tok in enumerate(tokens[:-1]):
        if tok.type != "heading_open":
            continue
        inline = tokens[i + 1]
        match = TRAILING.search(inline.content)
        if not match or match.group(1).startswith("{gap"):
            continue
        try:
            _, attrs = parse(match.group(1))
        except ParseError:
            continue
        for key, value in attrs.items():
            tok.attrSet(key, value)
        inline.content = inline.content[: match.start()]
