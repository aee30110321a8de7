"""What folio makes from the source for the Word file, planned as the body is: the contents
(a TOC field's stored result), the abbreviation table and the editorial note on gaps.

The contents and the abbreviations are "generated" paragraphs the import reads (a change to
them belongs in the headings or the definitions); the contents' title and the editorial note
are "folio" paragraphs it does not.
"""
from __future__ import annotations

from ... import model as m
from ...i18n import numerals, wording
from ..pages import gap_place
from .plan import Lead, PlannedContents, PlannedTable

CONTENTS_HINT = "the contents are made from the headings: change the heading here"
ABBREVIATION_COLUMN = 1440          # twips: 1 in, as print.css's 7em column


def contents(planner) -> PlannedContents:
    """The contents' title and an entry per doc.contents, each linked to its heading, its page
    a PAGEREF whose result is the page folio expects."""
    doc, terms, outer = planner.doc, planner.terms, planner.sink
    planner.sink = []
    title = planner.generated(terms.get("contents", ""), "TOC Heading", "", 0, kind="folio")
    headings = {p.heading.id: p.heading.loc.line for p in doc.parts if p.heading}
    headings.update({t.id: t.loc.line for t in doc.targets.values()})
    for entry in doc.contents:
        number = [f"{numerals.labelled(entry.number)}\t"] if entry.number else []
        # The heading's own text, as updating the field writes it: typed capitals would be
        # rewritten in the headings' case by the first update.
        page = Lead(planner.pages.get(entry.target, ""), "generated", CONTENTS_HINT, style="TOC Page Number",
                    ref=entry.target)
        planner.generated([*number, wording.contents_title(entry, terms), "\t", page], f"TOC {min(entry.level, 3)}",
                          CONTENTS_HINT, headings.get(entry.target, 0), link=entry.target)
    entries, planner.sink = planner.sink[1:], outer
    depth = max([doc.meta.get("contents-depth", 3)] + [e.level for e in doc.contents])
    return PlannedContents(title, entries, min(depth, 3))


def abbreviation_table(planner) -> PlannedTable:
    """Each abbreviation and its expansion, a row each, the abbreviations in a fixed column."""
    outer, rows = planner.sink, []
    for abbr in planner.doc.abbreviation_table:
        hint = f"the table is made from the definitions: change '*[{abbr.abbr}]: …' here"
        cells = []
        for text in (abbr.abbr, abbr.expansion):
            planner.sink = []
            planner.generated(text, "Abbreviation Entry", hint, abbr.loc.line)
            cells.append(planner.sink)
        rows.append(cells)
    planner.sink = outer
    return PlannedTable("Abbreviation Table", rows, None, 2, first_width=ABBREVIATION_COLUMN)


def editorial_note(planner) -> None:
    """What the gap marker means, and every gap with the page Word puts it on (a PAGEREF to the
    gap's bookmark) and where it is: the same note as the PDF's and the web page's."""
    doc, terms = planner.doc, planner.terms
    planner.generated(terms.get("editorial_note", ""), "Part Heading", "", 0, kind="folio", anchor=m.EDITORIAL_NOTE)
    planner.generated(" ".join(terms.get("editorial_note_text", "").split()), "Normal", "", 0, kind="folio")
    colon = doc.locale.mark(":") if doc.locale is not None else ":"
    for entry in doc.gaps:
        gap = entry.gap
        where = gap_place(entry, terms)
        planner.generated([f"{gap.number}.\t", Lead(terms.get("gap", ""), style="Editorial Gap"),
                           " " + terms.get("gap_page", "") + " ", Lead(planner.pages.get(gap.id, ""), ref=gap.id),
                           f"{', ' + where if where else ''}{colon} {gap.reason or terms.get('gap_no_reason', '')}"],
                          "List Number", "", 0, kind="folio")
