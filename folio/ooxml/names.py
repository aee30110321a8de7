"""Namespaces of WordprocessingML and its package, and Word's rules for bookmark names."""
from __future__ import annotations

import re

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
STRICT_DOCUMENT = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"



def q(name: str) -> str:
    """A WordprocessingML element or attribute name as lxml spells it: q("rPr")."""
    return f"{{{W}}}{name}"


def run_properties(run):
    """A run's w:rPr, made (first among its children, as the schema orders it) if it has none."""
    props = run.find(q("rPr"))
    if props is None:
        props = run.makeelement(q("rPr"), {})
        run.insert(0, props)
    return props


MAX_BOOKMARK = 40  # Word drops or truncates longer bookmark names

# A word longer than LONG_WORD characters (none of a real text comes near) gets a break
# opportunity every BREAK_EVERY: a w:t holding WORD_BREAK (U+200B) alone, which the import
# reads as no text. LibreOffice laid out a 10,000-letter word for 19 s and 100,000 letters
# in the title, a heading, the body, a cell and a note past its 300 s limit.
LONG_WORD, BREAK_EVERY, WORD_BREAK = 60, 40, "\u200b"
_LONG = re.compile(rf"\S{{{LONG_WORD + 1},}}")


def word_pieces(text: str) -> list[str]:
    """text cut where a long word gets its break opportunities: the pieces, WORD_BREAK between
    those of a long word (text without a long word is one piece)."""
    out: list[str] = []
    start = 0
    for long in _LONG.finditer(text):
        word = long.group(0)
        out.append(text[start:long.start()] + word[:BREAK_EVERY])
        for j in range(BREAK_EVERY, len(word), BREAK_EVERY):
            out += [WORD_BREAK, word[j:j + BREAK_EVERY]]
        start = long.end()
    if start < len(text) or not out:
        if out and out[-1] != WORD_BREAK:
            out[-1] += text[start:]
        else:
            out.append(text[start:])
    return out


def sanitise(label: str) -> str:
    """A bookmark name by Word's rules: a letter first, then letters, digits and '_', at most
    40 characters."""
    name = re.sub(r"[^A-Za-z0-9_]", "_", label)
    if not name[:1].isalpha() or not name[:1].isascii():
        name = "b_" + name
    return name[:MAX_BOOKMARK]
