"""`# Title {#sec-x number=II .unnumbered}`: attributes at the end of a heading line.

Other tools' spellings of the same are read too: pandoc's `{-}`, short for `.unnumbered`
(bookdown chapters carry it on every preface and appendix heading), and kramdown's
attribute list `{: #id .class}`."""
from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from mdit_py_plugins.attrs.parse import ParseError, parse

UNNUMBERED_SHORTHAND = re.compile(r"(?<=[{\s])-(?=[\s}])")   # a lone "-" among the attributes


def heading_attrs_plugin(md: MarkdownIt) -> None:
    md.core.ruler.before("inline", "folio_heading_attrs", _heading_attrs)


def trailing_braces(text: str) -> tuple[int, str] | None:
    """(where the text before it ends, "{…}") for a last brace group at the end of text.

    Found with rfind, not a regular expression searched from every position: the pattern
    `\\s*(\\{[^{}]*\\})\\s*$` was quadratic on a heading with tens of thousands of spaces."""
    end = len(text.rstrip())
    if not end or text[end - 1] != "}":
        return None
    start = text.rfind("{", 0, end)
    if start < 0 or text.find("}", start, end - 1) >= 0:
        return None
    return len(text[:start].rstrip()), text[start:end]


def _heading_attrs(state: StateCore) -> None:
    tokens = state.tokens
    for i, tok in enumerate(tokens[:-1]):
        if tok.type != "heading_open":
            continue
        inline = tokens[i + 1]
        found = trailing_braces(inline.content)
        if not found or found[1].startswith("{gap"):
            continue
        try:
            _, attrs = parse(_pandoc_attributes(found[1]))
        except ParseError:
            continue
        for key, value in attrs.items():
            tok.attrSet(key, value)
        inline.content = inline.content[: found[0]]


def _pandoc_attributes(braces: str) -> str:
    """"{-}" → "{.unnumbered}", "{: #id}" → "{#id}": the attribute syntax mdit-py-plugins reads."""
    if braces.startswith("{:") and not braces.startswith("{::"):
        braces = "{" + braces[2:]
    return UNNUMBERED_SHORTHAND.sub(".unnumbered", braces)
