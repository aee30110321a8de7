"""Numbers, computed once and kept as data: chapters, sections, subsections (I., A., 1.),
paragraphs (optional), tables, figures. Explicit numbers are honoured and counting goes on
from them. folio.i18n.numerals writes them out."""
from __future__ import annotations

from .. import model as m
from ..diagnostics import Kind, Reporter
from ..i18n.numerals import from_arabic, from_letter, from_roman
from ..model.boxes import box_kind
from ..model.text import is_lost
from ..model.walk import iter_blocks

KINDS = {1: "chapter", 2: "section", 3: "subsection"}
READERS = {1: from_roman, 2: from_letter, 3: from_arabic}
MAX_WRITTEN = 12     # characters of a number shown as written (II bis, 4-bis): longer is a mistake


def number_headings(doc: m.Document, reporter: Reporter) -> None:
    counters = {1: 0, 2: 0, 3: 0}
    values: dict[int, object] = {1: None, 2: None, 3: None}
    anchors: dict[int, str] = {1: "", 2: "", 3: ""}
    for part in doc.parts:
        for block in ([part.heading] if part.heading else []) + part.blocks:
            if not isinstance(block, m.Heading):
                continue
            if part.front:
                block.kind = "part" if block.level == 1 else "heading"
                continue
            _number(block, counters, values, anchors, reporter)


def _number(heading: m.Heading, counters: dict, values: dict, anchors: dict, reporter: Reporter) -> None:
    level = heading.level
    heading.kind = KINDS.get(level, "heading")
    for deeper in range(level + 1, 4):
        counters[deeper], values[deeper], anchors[deeper] = 0, None, ""
    unnumbered = "unnumbered" in heading.classes or is_lost(heading)   # a lost title counts nothing
    if level > 3 or (unnumbered and not heading.explicit_number):
        if level <= 3:
            values[level], anchors[level] = None, ""
        return
    if len(heading.explicit_number) > MAX_WRITTEN:
        reporter.warning(heading.loc, f"number '{heading.explicit_number[:MAX_WRITTEN]}…' is longer than"
                         f" {MAX_WRITTEN} characters: not a {heading.kind} number; left out", Kind.SYNTAX)
        heading.explicit_number = ""
    if heading.explicit_number:
        value = READERS[level](heading.explicit_number)
        if value is None:
            reporter.warning(heading.loc, f"number '{heading.explicit_number}' is not a"
                             f" {heading.kind} number; shown as written", Kind.SYNTAX)
            values[level] = heading.explicit_number
        else:
            counters[level] = values[level] = value
    else:
        counters[level] += 1
        values[level] = counters[level]
    anchors[level] = heading.id
    heading.number = m.Number(heading.kind, tuple(values[k] for k in range(1, level + 1)),
                              tuple(anchors[k] for k in range(1, level + 1)))


def number_paragraphs(doc: m.Document, reporter: Reporter) -> None:
    """Consecutive arabic paragraph numbers in the body, when the document asks for them."""
    if not doc.meta["paragraph-numbers"]:
        return
    count = 0
    for part in doc.parts:
        if part.front:
            continue
        for block in _running_paragraphs(part.blocks):
            count += 1
            block.number = m.Number("para", (count,), (block.id,))


def _running_paragraphs(blocks):
    """The body's own paragraphs: those of the text, and of a div that only wraps text (a box's
    are set apart and, as a list's or a quotation's, not numbered)."""
    for block in blocks:
        if isinstance(block, m.Paragraph):
            yield block
        elif isinstance(block, m.Div) and not box_kind(block.classes):
            yield from _running_paragraphs(block.blocks)


def number_tables_and_figures(doc: m.Document, reporter: Reporter) -> None:
    counts = {"table": 0, "figure": 0}
    for block in iter_blocks(doc.blocks):
        kind = "table" if isinstance(block, m.Table) else "figure" if isinstance(block, m.Figure) else ""
        if kind:
            counts[kind] += 1
            block.number = m.Number(kind, (counts[kind],), (block.id,))
