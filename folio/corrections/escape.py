"""Text an editor typed in Word, written as folio Markdown that reads back as the same text.

What a person types in Word is text: nothing of it may become markup in the source. Every sign
some syntax folio reads would take for markup is escaped wherever it stands: emphasis and code
markers, brackets (links, notes, citations, `^[…]`), braces (gaps, attributes, `{{ … }}`),
`<` (autolinks), `|` (tables, line blocks), `~` and `^` (other tools' sub- and superscripts),
`@` (cross-references, citations), straight quotes (the typographer would curl them), runs of
`-` (dashes), an entity-like `&…;`; and at the start of a line the block markers (headings,
quotes, lists, setext and thematic breaks, `:` of definitions, divs and captions, `Table:`,
`!!!` admonitions) and the indent of a code block. tests/test_docx_escape.py checks it
against the real reader with generated text.
"""
from __future__ import annotations

import re

ALWAYS = re.compile(r"([\\`*\[\]{}<|~^@$\"'])")
UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
DASH_RUN = re.compile(r"-(?=-)|(?<=-)-")
ENTITY = re.compile(r"&(?=#?\w+;)")
LINE_START = re.compile(r"^([#>+=:!?%-]|\d{1,9}(?=[.)])|[Tt]able(?=:))")


def escape_inline(text: str, at_line_start: bool = False) -> str:
    """text → source that renders as text. A Word line break becomes a hard break; a tab, a
    space; spaces at a line's ends are dropped (Markdown does not keep them)."""
    text = text.replace("\t", " ")
    text = ALWAYS.sub(r"\\\1", text)
    text = UNDERSCORE.sub(r"\\_", text)
    text = DASH_RUN.sub(r"\\-", text)
    text = ENTITY.sub(r"\\&", text)
    lines = text.split("\n")
    for n, line in enumerate(lines):
        if n + 1 < len(lines):
            line = line.rstrip(" ")
        if n or at_line_start:
            line = _line_start(line.lstrip(" "))
        lines[n] = line
    return "\\\n".join(lines)


def escape_block(text: str) -> str:
    """A paragraph's text as a paragraph of source (empty lines at its ends dropped)."""
    return escape_inline(text.replace("\t", " ").strip(" \n"), at_line_start=True)


def _line_start(line: str) -> str:
    """A line that would open a block (heading, quote, list, break, definition, div, caption,
    admonition) made plain."""
    match = LINE_START.match(line)
    if not match:
        return line
    marker = match.group(1)
    if marker[0].isdigit():   # "12." or "3)" opens an ordered list: escape the sign after the number
        return marker + "\\" + line[match.end():]
    if marker[0] in "Tt":     # "Table: …" is a caption: escape its colon
        return marker + "\\" + line[match.end():]
    return "\\" + line
