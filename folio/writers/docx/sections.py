"""Word sections from folio's composition: how each region opens, how its pages are numbered,
and its running heads, as the PDF shows them.

A region that opens on a right-hand page, starts its numbering again, or is the cover or the
title page, starts a section; so does every chapter of the report, because its right-hand
running head is its own title (a STYLEREF field would do it in Word, but LibreOffice shows
only its stored result). Left-hand pages carry the short title. On a page where a part opens,
no running head ("different first page")."""
from __future__ import annotations

from ... import model as m
from ...i18n import wording
from . import oxml, package

STARTS = {"right": "oddPage", "left": "evenPage", "page": "nextPage", "continue": "continuous", "first": None}
TEMPLATES = {"cover": "_cover.html", "title-page": "_titlepage.html", "imprint": "_imprint.html",
             "back-cover": "_back_cover.html"}
COVERS = ("cover", "back-cover")
# The composition's numeral styles as Word names them (w:pgNumType/@w:fmt). Pages that show no
# number (covers, blank pages) are counted as the front matter is, which the title page restarts.
WORD_NUMBERING = {"lower-roman": "lowerRoman", "upper-roman": "upperRoman", "decimal": "decimal",
                  "lower-latin": "lowerLetter", "upper-latin": "upperLetter", "none": "lowerRoman"}
EVERY = ("default", "even", "first")


# A running head is one line: a longer title is cut with an ellipsis. A title of 10,000 letters
# in every page's head made LibreOffice lay out pages of head alone (54 pages, 32 s).
RUNNING_HEAD = 120     # characters


def running_head(text: str) -> str:
    return text if len(text) <= RUNNING_HEAD else text[:RUNNING_HEAD - 1].rstrip() + "…"


class Sections:
    def __init__(self, document, story, page: dict, cover: dict, meta: dict, terms: dict):
        self.document, self.story = document, story
        self.page, self.cover = page, cover
        number = package.add_header_footer(document, "ftr", [story.para("Footer", oxml.field(
            "PAGE", [oxml.run("1")]))])
        self.page_number = dict.fromkeys(EVERY, number)    # named in every numbered section: LibreOffice
                                                           # does not carry a "first" footer over
        # the left-hand head: the short title (config: the title when none is given), as
        # print.html's data-short-title shows it
        short_title = meta.get("short-title", "")
        self.even = package.add_header_footer(document, "hdr", [story.para("Header Even",
                                                                            [oxml.run(running_head(short_title))])])
        self.blank = package.add_header_footer(document, "hdr", [story.para("Header")])
        self.short_title, self.terms = short_title, terms

    def starts(self, region: m.Region) -> bool:
        """Does this region begin a Word section of its own? (The blank inside of the cover
        needs none: the title page's odd-page break makes it.)"""
        if region.kind == "blank":
            return False
        return (region.kind in TEMPLATES or region.running_head
                or region.opens in ("right", "left", "first") or region.restart)

    def template_section(self, region: m.Region, foot: list):
        """The section of a page made from a template (covers, title page, imprint), with its
        own foot (the cover's department) and no page number."""
        own = package.add_header_footer(self.document, "ftr", foot or [self.story.para("Footer")])
        geometry = self.cover if region.kind in COVERS else self.page
        # named blank headers: a section without them would take the previous section's
        return oxml.section(geometry, STARTS.get(region.opens, "nextPage"), word_numbering(region),
                            region.opens == "first" or region.restart, dict.fromkeys(EVERY, self.blank),
                            dict.fromkeys(EVERY, own))

    def section(self, region: m.Region):
        footers = self.page_number if region.numbering != "none" else None
        headers = None
        if region.running_head:
            odd = package.add_header_footer(self.document, "hdr", [self.story.para(
                "Header Odd", [oxml.run(running_head(self._running_head(region)))])])
            headers = {"default": odd, "even": self.even, "first": self.blank}
        opens_page = region.opens in ("right", "page")
        return oxml.section(self.page, STARTS.get(region.opens, "nextPage"),
                            word_numbering(region), region.restart,
                            headers, footers, title_page=bool(headers) and opens_page)

    def _running_head(self, region: m.Region) -> str:
        heading = region.part.heading if region.part is not None else None
        if heading is None:
            return self.short_title
        return wording.running_head(heading, self.terms)


def word_numbering(region: m.Region) -> str:
    return WORD_NUMBERING[region.numbering]
