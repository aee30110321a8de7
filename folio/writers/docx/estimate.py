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
from ...i18n.numerals import page_label
from ...model.text import plain_text
from ...model.walk import iter_inlines
from .plan import Plan, in_items

CHAR_WIDTH = 0.45      # average width of a Times character, in ems
LINE = 1.32 * 1.15     # CSS line-height × the face's own line gap, in ems
BODY_PT = 10.0


class PageModel:
    def __init__(self, text_width_twips: int, text_height_twips: int):
        self.width = text_width_twips / 20
        self.height = text_height_twips / 20
        self.page = 1
        self.used = 0.0

    def new_page(self, odd: bool = False, even: bool = False) -> None:
        self.page += 1
        if (odd and self.page % 2 == 0) or (even and self.page % 2 == 1):
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


def estimate_layout(doc: m.Document, plan: Plan, text_width: int, text_height: int) -> tuple[dict[str, str], int]:
    """id → page number as printed (roman in front matter), for every id the DOCX bookmarks,
    following the composition: cover and title page, each region opening as it says; and the
    number of pages of the whole file (blank versos included). Read from the writer's plan:
    its paragraphs are the text there is to place."""
    pages: dict[str, str] = {}
    model = PageModel(text_width, text_height)
    model.page, count = 0, 0
    for planned in plan.regions:
        region = planned.region
        if region.kind == "blank":
            continue                           # Word makes the cover's inside: the title page opens right
        if region.opens != "continue" or region.kind in FULL_PAGE:
            model.new_page(odd=region.opens == "right", even=region.opens == "left")
        if region.restart:
            count = model.page - 1
        style = region.numbering if region.numbering != "none" else "lower-roman"

        def shown(n, s=style, c=count):
            return page_label(n - c, s)
        if region.kind == "contents":
            for _ in doc.contents:
                model.place(60, after=6.0)
        elif region.kind == "editorial-note":
            pages[m.EDITORIAL_NOTE] = shown(model.page)
            for _ in doc.gaps:
                model.place(90, after=3.0)
        elif region.part is not None:
            _part(planned.items, model, pages, shown)
            if "abbreviations" in (region.part.heading.classes if region.part.heading else []):
                for _ in doc.abbreviation_table:
                    model.place(40, after=0.0)
        if region.kind in FULL_PAGE:
            model.used = model.height          # nothing else goes on a cover, title page or imprint
    return pages, model.page


FULL_PAGE = ("cover", "title-page", "imprint", "back-cover")


def _part(items: list, model: PageModel, pages: dict, shown) -> None:
    """Each block placed where its first paragraph is written; its gaps on its page."""
    placed: dict[int, int | None] = {}
    for planned in in_items(items):
        block = planned.block
        if block is None:
            continue                           # the abbreviations: placed by the caller
        if id(block) not in placed:
            placed[id(block)] = _block(block, model)
        page = placed[id(block)]
        if block.id and page is not None:
            pages[block.id] = shown(page)
            for gap in (n for n in iter_inlines(planned.inlines) if isinstance(n, m.Gap) and n.id):
                pages[gap.id] = shown(page)     # the editorial note's page references


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
    if isinstance(block, m.DefinitionList):     # the terms (the definitions are blocks of their own)
        return model.place(sum(len(plain_text(item.term)) + 40 for item in block.items))
    return None
