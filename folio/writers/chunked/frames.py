"""The frame layer: each page's margin boxes (running heads, page number) and blank pages.

Chunks are laid out without margin boxes, so that a chunk does not depend on the number and
side of its first page. The margin boxes are laid out afterwards by WeasyPrint too, from the
same stylesheets, in small documents of empty pages, one per chunk ("segments"): each empty
page has the chunk page's name, side and number (`@page :nth(j) { counter-reset: page N }`),
and repeats the string-set assignments made on it; the values in force before the segment are
assigned on a first "stub" page that is then left out, and so is `:first`. A blank page is the
one WeasyPrint makes itself, in the stub's group, before a page that must open on one side."""
from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from lxml import etree

from .css import css_string

FRAME_CSS = ("folio-group { display: block; margin: 0; padding: 0; border: 0; }\n"
             "folio-page, folio-string { display: block; height: 0; margin: 0; padding: 0;"
             " border: 0; float: none; }\n"
             "@page { background: none !important; }\n")


@dataclass
class FramePage:
    name: str
    side: str
    number: int
    strings: list                   # (name, text) assigned on this page, in order
    blank_before: bool = False      # a blank page precedes it (made by the frame document)


@dataclass
class Segment:
    pages: list                     # FramePage
    stub: tuple | None              # (page name, side, strings in force) or None at the start
    blank_name: str = ""            # the named page blank pages take (their group's)
    first_side: str = "right"
    slots: list = field(default_factory=list)   # stitched page index of each laid-out page (None: stub)


def html(segment: Segment, head, body_attrib: dict, lang_attrib: dict) -> str:
    """The segment as a document: the page's own head (links and styles, no content), the
    frame rules, then one empty element per page, in groups of one page name (as the page's
    regions group them: `:nth(1 of body)` then matches where it matched in the whole file)."""
    root = etree.Element("html", lang_attrib)
    new_head = etree.SubElement(root, "head")
    for node in head:
        if isinstance(node.tag, str) and (node.tag in ("style", "meta") or (
                node.tag == "link" and "stylesheet" in (node.get("rel") or "").lower().split())):
            new_head.append(_copy(node))
    style = etree.SubElement(new_head, "style")
    style.text = FRAME_CSS + _counters(segment)
    if root_side(segment) == "left":
        style.text += "html { break-before: left; }\n"
    markup = []
    if segment.stub:
        name, _, strings = segment.stub
        markup.append(_group(name, None, [_page(None, strings)]))
    groups, previous = [], None
    for index, page in enumerate(segment.pages):
        opening = page.side if page.blank_before else ("page" if index or segment.stub else None)
        if previous is None or page.name != previous or page.blank_before:
            groups.append((page.name, opening, []))
            opening = None
        groups[-1][2].append(_page(opening, page.strings))
        previous = page.name
    markup += [_group(name, opening, pages) for name, opening, pages in groups]
    body = "".join(markup)
    if segment.blank_name:
        body = _group(segment.blank_name, None, [body])
    etree.SubElement(root, "body", body_attrib).text = "folio-frame-pages"
    return etree.tostring(root, method="html", encoding="unicode").replace("folio-frame-pages", body, 1)


def root_side(segment: Segment) -> str:
    """The side of the segment document's first page (the stub's, if any)."""
    if not segment.stub:
        return segment.first_side
    first = segment.pages[0]
    if first.blank_before:
        return first.side                  # stub, then a blank page, then the first page
    return "left" if first.side == "right" else "right"


def _counters(segment: Segment) -> str:
    """Each page's number as folio numbers it: set where it does not go on by one (the first
    page; a restart), so the stylesheets' own counter rules cannot disagree."""
    rules, index, previous = [], 1 if segment.stub else 0, None
    for page in segment.pages:
        index += 2 if page.blank_before else 1
        expected = previous + (2 if page.blank_before else 1) if previous is not None else None
        if page.number != expected:
            rules.append(f"@page :nth({index}) {{ counter-reset: page {page.number} !important; }}")
        previous = page.number
    return "\n".join(rules) + "\n"


def _group(name: str, opening: str | None, pages: list) -> str:
    style = f"page: {escape(name) or 'auto'}" + (f"; break-before: {opening}" if opening else "")
    return f'<folio-group style="{style}">{"".join(pages)}</folio-group>'


def _page(opening: str | None, strings: list) -> str:
    style = f' style="break-before: {opening}"' if opening else ""
    inner = "".join(f'<folio-string style="string-set: {escape(n)} {escape(css_string(t))}"></folio-string>'
                    for n, t in strings)
    return f"<folio-page{style}>{inner}</folio-page>"


def _copy(node):
    clone = etree.Element(node.tag, dict(node.attrib))
    clone.text = node.text
    return clone
