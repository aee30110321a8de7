"""Numbers, computed once and kept as data: chapters, sections, subsections (I., A., 1.),
paragraphs (optional), tables, figures. Explicit numbers are honoured and counting goes on
from them. folio.i18n.numerals writes them out."""
from __future__ import annotations

import re
from dataclasses import replace

from .. import model as m
from ..diagnostics import Kind, Reporter
from ..i18n import numerals
from ..model.boxes import box_kind
from ..model.text import is_lost
from ..model.walk import iter_blocks

# "Figure 2", "Fig. 3a", "Figure A.1", then the separator before the caption's own words. Three
# digits at most: "Figure 2010 census" is about a year.
WRITTEN_NUMBER = re.compile(r"(\w+\.?)[ \u00a0]+(\d{1,3}[a-z]?|[A-Z]?\d+(?:[.-]\d+)+|[A-Z][.-]?\d+)(?![\w.-]*\w)"
                            r"(?:\s*[.:\u2013\u2014-])?(?:\s+|$)")
KINDS = {1: "chapter", 2: "section", 3: "subsection"}
MAX_WRITTEN = 12     # characters of a number shown as written (II bis, 4-bis): longer is a mistake


def number_headings(doc: m.Document, reporter: Reporter) -> None:
    counters = {1: 0, 2: 0, 3: 0}
    values: dict[int, object] = {1: None, 2: None, 3: None}
    anchors: dict[int, str] = {1: "", 2: "", 3: ""}
    styles = doc.locale.headings if doc.locale is not None else numerals.HEADING_LEVELS
    mark = doc.locale.heading_mark if doc.locale is not None else "."
    for part in doc.parts:
        for block in ([part.heading] if part.heading else []) + part.blocks:
            if not isinstance(block, m.Heading):
                continue
            if part.front:
                block.kind = "part" if block.level == 1 else "heading"
                continue
            _number(block, counters, values, anchors, (styles, mark), reporter)


def _number(heading: m.Heading, counters: dict, values: dict, anchors: dict, scheme: tuple,
            reporter: Reporter) -> None:
    styles, mark = scheme                # the locale's numerals per level, and the mark after them
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
        value = numerals.read(styles[level - 1] if level <= len(styles) else "decimal", heading.explicit_number)
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
                              tuple(anchors[k] for k in range(1, level + 1)), tuple(styles), mark)


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
    are set apart and, as a list's or a quotation's, not numbered; nor are the references')."""
    for block in blocks:
        if isinstance(block, m.Paragraph):
            yield block
        elif isinstance(block, m.Div) and not box_kind(block.classes) and "references" not in block.classes:
            yield from _running_paragraphs(block.blocks)


def number_tables_and_figures(doc: m.Document, reporter: Reporter) -> None:
    counts = {"table": 0, "figure": 0}
    words = {(doc.terms or {}).get("figure", "Figure"), "Figure", "Fig."}
    for block in iter_blocks(doc.blocks):
        kind = "table" if isinstance(block, m.Table) else "figure" if isinstance(block, m.Figure) else ""
        if not kind:
            continue
        written = _written_number(block, words) if kind == "figure" else None
        if written is None:
            counts[kind] += 1
            written = counts[kind]
        elif isinstance(written, int):
            if written <= counts[kind]:
                reporter.warning(block.loc, f"the caption numbers this figure {written}, but figure"
                                 f" {counts[kind]} comes before it: the number is shown as written",
                                 Kind.FIGURE_NUMBER)
            counts[kind] = written
        block.number = m.Number(kind, (written,), (block.id,))


def _written_number(figure: m.Figure, words: set):
    """The number an author wrote at the head of a caption ("Figure 2", "Figure 2: Stocks",
    "Fig. 3a"), taken off the caption: folio shows it as the figure's number, so that the text's
    "see Figure 2" stays true, instead of printing "Figure 1. Figure 2". None: no number written."""
    first = figure.caption[0] if figure.caption else None
    if not isinstance(first, m.Text):
        return None
    match = WRITTEN_NUMBER.match(first.text)
    if not match or match.group(1).casefold() not in {w.casefold() for w in words if w}:
        return None
    rest = first.text[match.end():]
    figure.caption = ([replace(first, text=rest)] if rest else []) + figure.caption[1:]
    number = match.group(2)
    return int(number) if number.isdigit() else number
