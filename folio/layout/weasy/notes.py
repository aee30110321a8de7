"""Footnotes in WeasyPrint 70: kept in call order, and a note that cannot fit found out.

folio writes a note of several blocks as one float per block (see HtmlNodes._print_note), so
that a long note continues on the next page. WeasyPrint 70 keeps the floats it moves to the
next page in a list it appends to; when a line of body text later needs room, it moves a note
already placed back to that list — at the end, behind notes that follow it. The note then
prints after later ones (a note's 10th block after its 40th). Sorting the list by folio's
sequence number whenever WeasyPrint reads it restores call order; nothing else changes.

Notes carried over pages with no text of their own (the last page's notes, or a page's many)
are lost when WeasyPrint lays the document out again (a second round, for page references):
it reuses the pages that did not change but forgets the notes each left for the next, so the
round ends at the last page of text and the notes after it are gone. notes_carried_over keeps
them with the page that left them.
"""
from __future__ import annotations

import re

SEQUENCE = "data-seq"   # the attribute of every note float: its rank in call order


def keep_notes_in_order() -> None:
    """Make LayoutContext.reported_footnotes a list sorted by call order on every read."""
    from weasyprint.layout import LayoutContext

    if getattr(LayoutContext, "_folio_notes_in_order", False):
        return

    def read(context):
        notes = context.__dict__.setdefault("_folio_reported", [])
        notes.sort(key=_rank)
        return notes

    def write(context, notes):
        context.__dict__["_folio_reported"] = notes

    LayoutContext.reported_footnotes = property(read, write)
    LayoutContext._folio_notes_in_order = True


def notes_carried_over() -> None:
    """WeasyPrint 70's make_all_pages, with the notes each page leaves for the next kept per
    page: a page reused from the round before hands them on as a page laid out again does."""
    import weasyprint.layout as layout
    from weasyprint.layout.page import remake_page

    from .wrap import wrap_once

    def make_all_pages(context, root_box, html, pages):
        carried = context.__dict__.setdefault("_folio_carried", {})    # page index -> its notes left over
        context.rendered_notes = []
        i = 0
        while True:
            remake_state = context.page_maker[i][-1]
            if not pages or remake_state["content_changed"] or remake_state["pages_wanted"]:
                remake_state.update(content_changed=False, pages_wanted=False, anchors=[], content_lookups=[])
                context.reported_footnotes = list(carried.get(i - 1, ()))
                page, resume_at = remake_page(i, context, root_box, html)
                carried[i] = list(context.reported_footnotes)
                yield page
            else:
                resume_at = context.page_maker[i + 1][0]
                yield pages[i]
            i += 1
            if resume_at is None and not carried.get(i - 1):
                context.page_maker = context.page_maker[:i + 1]
                context.broken_out_of_flow.clear()
                context.reported_footnotes = []
                return

    wrap_once(layout, "make_all_pages", "folio_notes_carried_over", lambda _original: make_all_pages)


def blank(box) -> bool:
    """A page left blank: WeasyPrint calls the pages it adds for notes carried past the last
    page of text blank too, but they carry notes (the printer's edition must keep them)."""
    return box.page_type.blank and not any(type(c).__name__ == "FootnoteAreaBox" and c.children
                                           for c in box.children)


def _rank(box) -> int:
    value = box.element.get(SEQUENCE, "") if box.element is not None else ""
    return int(value) if value.isdigit() else -1


def lost_notes(document, html: str) -> list[str]:
    """Labels of notes whose text the PDF does not hold in full. WeasyPrint cannot break one
    block of a note across pages: a block taller than the note area is drawn off the page, or
    (taller than a page) not at all, without a word."""
    expected = {seq: label for label, seq in _FLOAT.findall(html)}
    placed = set()
    for page in document.pages:
        box = page._page_box
        bottom = box.margin_height() - box.margin_bottom
        for area in (c for c in box.children if type(c).__name__ == "FootnoteAreaBox"):
            for note in area.children:
                seq = note.element.get(SEQUENCE) if note.element is not None else None
                if note.position_y + note.margin_height() <= bottom + 1:
                    placed.add(seq)
    return list(dict.fromkeys(label for seq, label in expected.items() if seq not in placed))


_FLOAT = re.compile(r'data-note="([^"]*)"[^>]*? data-seq="(\d+)"')
