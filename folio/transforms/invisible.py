"""Invisible characters where they deceive: a bidi override in a heading reads differently in the
contents, the PDF outline and the terminal from what it is; a zero-width character in a label or
an abbreviation's name makes two names that look alike differ. Each is a located warning; a
cross-reference broken by one (`@sec‍-a` with a zero-width joiner stays plain text) an error."""
from __future__ import annotations

import re

from .. import model as m
from ..controls import BIDI, ZERO_WIDTH, invisible_characters
from ..diagnostics import Kind, Reporter
from ..model.text import plain_text
from ..model.walk import document_inline_lists, iter_blocks, iter_inlines

# "@" and what would have been a label, had an invisible character not cut it short.
BROKEN_REFERENCE = re.compile(rf"@[\w:.\-{BIDI}{ZERO_WIDTH}\u200e\u200f]++")
LABELLED = (m.Heading, m.Paragraph, m.Table, m.Figure)


def check_invisible_characters(doc: m.Document, reporter: Reporter) -> None:
    notes = [block for note in doc.footnotes.values() for block in iter_blocks(note.blocks)]
    for block in [*iter_blocks(doc.blocks), *notes]:
        if isinstance(block, m.Heading):
            _warn(reporter, block.loc, "heading", plain_text(block.children), names=False)
        label = getattr(block, "label", "") if isinstance(block, LABELLED) else ""
        if label:               # the author's label: the stable id is folio's own
            _warn(reporter, block.loc, f"label '{label}'", label, names=True)
    for note in doc.footnotes.values():
        _warn(reporter, note.loc, f"footnote label '{note.label}'", note.label, names=True)
    for abbr in doc.abbreviations.values():
        _warn(reporter, abbr.loc, f"abbreviation '{abbr.abbr}'", abbr.abbr, names=True)
        _warn(reporter, abbr.loc, f"the expansion of '{abbr.abbr}'", abbr.expansion, names=False)
    for loc, nodes in document_inline_lists(doc):
        for node in iter_inlines(nodes):
            if isinstance(node, m.Text) and "@" in node.text:
                _broken_references(node.text, loc, reporter)


def _warn(reporter: Reporter, loc, what: str, text: str, names: bool) -> None:
    for char in invisible_characters(text, names=names):
        reporter.warning(loc, f"{what} contains the invisible character {char}; remove it unless the"
                         " text needs it", Kind.INVISIBLE_CHAR)


def _broken_references(text: str, loc, reporter: Reporter) -> None:
    for match in BROKEN_REFERENCE.finditer(text):
        chars = invisible_characters(match.group(), names=True)
        if chars:
            reporter.error(loc, f"'{match.group()}' contains the invisible character {chars[0]}, so it is"
                           " not read as a cross-reference; remove the character", Kind.INVISIBLE_CHAR)
