"""Text an editor typed in Word, written as folio Markdown that reads back as the same text.

Only what the source syntax would take for markup is escaped, so that a corrected word stays
a plain word in the source: emphasis and code markers, brackets (links, notes, `[-@…]`),
`{` (gaps, attributes), an `@` that would start a cross-reference, entity-like `&…;`, `<`
(autolinks), `|` (tables), and block markers at the start of a line.
"""
from __future__ import annotations

import re

from ..markdown.plugins.xrefs import PREFIXES

ALWAYS = re.compile(r"([\\`*\[\]{}<|])")
UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
XREF_AT = re.compile(r"(?<![A-Za-z0-9])@(?=(?:" + "|".join(PREFIXES) + r")-)")
ENTITY = re.compile(r"&(?=#?\w+;)")
LINE_START = re.compile(r"^([ ]{0,3})([#>+=-]|\d{1,9}(?=[.)]))")


def escape_inline(text: str, at_line_start: bool = False) -> str:
    """text → source that renders as text. A Word line break becomes a hard break."""
    text = text.replace("\t", " ")
    text = ALWAYS.sub(r"\\\1", text)
    text = UNDERSCORE.sub(r"\\_", text)
    text = XREF_AT.sub(r"\\@", text)
    text = ENTITY.sub(r"\\&", text)
    lines = text.split("\n")
    for n, line in enumerate(lines):
        if n or at_line_start:
            lines[n] = _line_start(line)
    return "\\\n".join(lines)


def _line_start(line: str) -> str:
    """A line that would open a heading, quote, list or setext underline, made plain."""
    match = LINE_START.match(line)
    if not match:
        return line
    indent, marker = match.group(1), match.group(2)
    if marker.isdigit():   # "12." or "3)" opens an ordered list: escape the sign after the number
        rest = line[match.end():]
        return indent + marker + "\\" + rest
    return indent + "\\" + line[len(indent):]
