"""Page numbers the DOCX shows before Word or LibreOffice lays it out: an estimate.

The contents and page references are real fields (TOC, PAGEREF); Word recomputes them
when the reader updates fields (F9, or on printing), LibreOffice when it lays the
document out. Their stored results are this estimate, from the same page model as the
PDF: cover i, title page ii, each front part on the next odd page, the report from 1,
each chapter on a new page, text measured in average character widths.
"""
from __future__ import annotations

import math

from ... import model as m
from ...i18n.numerals import to_roman
from ...model.text import plain_text
from ...model.walk import iter_blocks

CHAR_WIDTH = 0.45      # average width of a Times character, in ems
LINE = 1.32 * 1.15     # CSS line-height × the face's own line gap, in ems
BODY_PT = 10.0


class PageModel:
    def __init__(self, text_width_twips: int, text_height_twips: int):
        self.width = text_width_twips / 20
        self.height = text_height_twips / 20
        self.page = 1
        self.used = 0.0

    def new_page(self, odd: bool = False) -> None:
        self.page += 1
        if odd and self.page % 2 == 0:
            self.page += 1
        self.used = 0.0

    def place(self, chars: int, size: float = BODY_PT, after: float = 7.0, indent: float = 0.0) -> int:
        """Lay a block of text out; the page it starts on."""
        per_line = max(10, int((self.width - indent) / (size * CHAR_WIDTH)))
        height = max(1, math.ceil(chars / per_line)) * size * LINE + after
        if self.used and self.used + size * LINE > self.height:
            self.new_page()
        start = self.page
        self.used += height
        while self.used > self.height:
            self.used -= self.height
            self.page += 1
        return start

    def space(self, points: float) -> int:
        if self.used + points > self.height:
            self.new_page()
        start = self.page
        self.used += points
        return start


def estimate_pages(doc: m.Document, text_width: int, text_height: int,
                   before: list, after: list) -> dict[str, str]:
    """label → page number as printed (roman in front matter), for every id the DOCX bookmarks."""
    return estimate_layout(doc, text_width, text_height, before, after)[0]


def estimate_layout(doc: m.Document, text_width: int, text_height: int,
                    before: list, after: list) -> tuple[dict[str, str], int]:
    """estimate_pages, and the number of pages of the whole file (blank versos included)."""
    pages: dict[str, str] = {}
    model = PageModel(text_width, text_height)
    model.page = 2                                      # cover i, title page ii
    for part in before:
        model.new_page(odd=True)
        _part(part, model, pages, roman=True)
    model.new_page(odd=True)
    for _ in doc.contents:                              # the contents page(s)
        model.place(60, after=6.0)
    for part in after:
        model.new_page(odd=True)
        _part(part, model, pages, roman=True)
        if "abbreviations" in (part.heading.classes if part.heading else []):
            for _ in doc.abbreviation_table:
                model.place(40, after=0.0)
    front = model.page + model.page % 2                 # the report opens on a right-hand page
    model.page, model.used = 0, 0.0
    for part in [p for p in doc.parts if not p.front]:
        model.new_page()
        _part(part, model, pages, roman=False)
    return pages, front + model.page


def _part(part: m.Part, model: PageModel, pages: dict, roman: bool) -> None:
    shown = (lambda n: to_roman(n).lower()) if roman else str
    for block in ([part.heading] if part.heading else []) + list(iter_blocks(part.blocks)):
        page = _block(block, model)
        ident = getattr(block, "id", "")
        if ident and page is not None:
            pages[ident] = shown(page)


def _block(block, model: PageModel) -> int | None:
    if isinstance(block, m.Heading):
        size = {1: 14.0, 2: 12.0}.get(block.level, BODY_PT)
        return model.place(len(plain_text(block.children)) + 4, size, after=18.0 if block.level == 1 else 14.0)
    if isinstance(block, m.Paragraph):
        return model.place(len(plain_text(block.children)), indent=22.0 if block.number else 0.0)
    if isinstance(block, m.Table):
        return model.space(14.0 * (len(block.head) + len(block.body)) + 40.0)
    if isinstance(block, m.Figure):
        return model.space(260.0)
    if isinstance(block, (m.GapBlock, m.CodeBlock, m.Rule)):
        return model.place(40)
    return None
