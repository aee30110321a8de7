"""Numbers, computed once: chapters I., II.; sections A., B.; subsections 1., 2.;
paragraphs (optional), tables, figures. Explicit numbers are honoured and counting
goes on from them."""
from __future__ import annotations

from .. import model as m
from ..diagnostics import Kind, Reporter
from ..i18n.numerals import from_letter, from_roman, to_letter, to_roman
from ..model.walk import iter_blocks

KINDS = {1: "chapter", 2: "section", 3: "subsection"}
FORMATS = {1: (to_roman, from_roman), 2: (to_letter, from_letter),
           3: (str, lambda t: int(t) if t.isdigit() else None)}


def number_headings(doc: m.Document, reporter: Reporter) -> None:
    counters = {1: 0, 2: 0, 3: 0}
    numbers = {1: "", 2: "", 3: ""}
    for part in doc.parts:
        for block in ([part.heading] if part.heading else []) + part.blocks:
            if not isinstance(block, m.Heading):
                continue
            if part.front:
                block.kind = "part" if block.level == 1 else "heading"
                continue
            _number(block, counters, numbers, reporter)


def _number(heading: m.Heading, counters: dict, numbers: dict, reporter: Reporter) -> None:
    level = heading.level
    heading.kind = KINDS.get(level, "heading")
    for deeper in range(level + 1, 4):
        counters[deeper], numbers[deeper] = 0, ""
    if level > 3 or ("unnumbered" in heading.classes and not heading.explicit_number):
        return
    fmt, parse = FORMATS[level]
    if heading.explicit_number:
        value = parse(heading.explicit_number)
        if value is None:
            reporter.warning(heading.loc, f"number '{heading.explicit_number}' is not a"
                             f" {heading.kind} number; shown as written", Kind.SYNTAX)
            numbers[level] = heading.explicit_number
        else:
            counters[level] = value
            numbers[level] = fmt(value)
    else:
        counters[level] += 1
        numbers[level] = fmt(counters[level])
    heading.number = numbers[level]
    heading.full_number = ".".join(numbers[k] for k in range(1, level + 1) if numbers[k])


def number_paragraphs(doc: m.Document, reporter: Reporter) -> None:
    """Consecutive arabic paragraph numbers in the body, when the document asks for them."""
    if not doc.meta["paragraph-numbers"]:
        return
    count = 0
    for part in doc.parts:
        if part.front:
            continue
        for block in part.blocks:
            if isinstance(block, m.Paragraph):
                count += 1
                block.number = count


def number_tables_and_figures(doc: m.Document, reporter: Reporter) -> None:
    tables = figures = 0
    for block in iter_blocks(doc.blocks):
        if isinstance(block, m.Table):
            tables += 1
            block.number = tables
        elif isinstance(block, m.Figure):
            figures += 1
            block.number = figures
