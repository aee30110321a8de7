"""The frame layer: each page's margin boxes (running heads, page number) and blank pages.

Chunks are laid out without margin boxes, so that a chunk does not depend on the number and
side of its first page. The margin boxes are laid out afterwards, by WeasyPrint too, from
the same stylesheets, in small documents of empty pages ("batches", a few chunks each).
Each empty page has the chunk page's name and side, and repeats the string-set assignments
made on it; the pages sit in copies of the wrappers their content sits in (same page
names), so page groups (`:nth(1 of body)`) and the names of blank pages come out as in the
whole file. Numbers are set where they do not go on by one (`@page :nth(j) {counter-reset}`).
Before a batch's first page, a "stub" page (left out afterwards) carries the strings in
force and keeps `:first` where it belongs. A blank page is the one WeasyPrint makes itself
before a page that must open on the other side."""
from __future__ import annotations

from dataclasses import dataclass
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
    no_heads: bool = False          # no top margin boxes (running heads) on this page


@dataclass
class Part:
    """One chunk's pages, inside copies of its first unit's wrappers."""
    chain: tuple                    # ((identity, page value), …) from <body> down
    pages: list


@dataclass
class Batch:
    parts: list
    stub: tuple | None              # (chain, page name, strings in force) of the page before
    first_side: str = "right"
    key: str = ""
    job: object = None
    chunks: tuple = ()

    def layout(self) -> list[str]:
        """What each page of the laid-out batch is: stub, blank or page."""
        kinds = ["stub"] if self.stub else []
        for part in self.parts:
            for page in part.pages:
                kinds += (["blank"] if page.blank_before else []) + ["page"]
        return kinds


def html(batch: Batch, head, body_attrib: dict, lang_attrib: dict) -> str:
    root = etree.Element("html", lang_attrib)
    new_head = etree.SubElement(root, "head")
    for node in head:
        if isinstance(node.tag, str) and (node.tag in ("style", "meta") or (
                node.tag == "link" and "stylesheet" in (node.get("rel") or "").lower().split())):
            new_head.append(_copy(node))
    style = etree.SubElement(new_head, "style")
    style.text = FRAME_CSS + _counters(batch)
    if root_side(batch) == "left":
        style.text += "html { break-before: left; }\n"
    markup = _Markup()
    if batch.stub:
        chain, name, strings = batch.stub
        markup.enter(chain)
        markup.out.append(_group(name, None, [_page(None, strings)]))
        markup.started = True
    for part in batch.parts:
        markup.enter(part.chain)
        previous = None
        for page in part.pages:
            opening = page.side if page.blank_before else ("page" if markup.started else None)
            if previous is None or page.name != previous:
                markup.out.append(("group", page.name, opening))
                opening = None
            markup.out.append(_page(opening, page.strings))
            markup.started, previous = True, page.name
    etree.SubElement(root, "body", body_attrib).text = "folio-frame-pages"
    return etree.tostring(root, method="html", encoding="unicode").replace("folio-frame-pages", markup.text(), 1)


class _Markup:
    """Frame pages and the wrapper copies around them, opened and closed as chains change."""

    def __init__(self):
        self.out: list = []
        self.stack: list = []          # open wrappers: identities
        self.started = False

    def enter(self, chain: tuple) -> None:
        keep = 0
        while keep < min(len(self.stack), len(chain)) and self.stack[keep] == chain[keep][0]:
            keep += 1
        self.out.append(("close-group",))
        self.out += [("close",)] * (len(self.stack) - keep)
        for _, page in chain[keep:]:
            self.out.append(("open", page))
        self.stack = self.stack[:keep] + [identity for identity, _ in chain[keep:]]

    def text(self) -> str:
        parts, group_open = [], False
        for item in self.out + [("close-group",)] + [("close",)] * len(self.stack):
            if isinstance(item, str):
                parts.append(item)
            elif item[0] == "group":
                parts.append("</folio-group>" if group_open else "")
                style = f"page: {escape(item[1]) or 'auto'}" + (f"; break-before: {item[2]}" if item[2] else "")
                parts.append(f'<folio-group style="{style}">')
                group_open = True
            elif item[0] == "close-group":
                parts.append("</folio-group>" if group_open else "")
                group_open = False
            elif item[0] == "open":
                parts.append(f'<folio-group style="page: {escape(item[1])}">')
            else:
                parts.append("</folio-group>")
        return "".join(parts)


def root_side(batch: Batch) -> str:
    """The side of the batch document's first page (the stub's, if any)."""
    if not batch.stub:
        return batch.first_side
    first = batch.parts[0].pages[0]
    if first.blank_before:
        return first.side                  # stub, then a blank page, then the first page
    return "left" if first.side == "right" else "right"


TOPS = ("top-left-corner", "top-left", "top-center", "top-right", "top-right-corner")
NO_HEADS = " ".join(f"@{box} {{ content: none !important; }}" for box in TOPS)


def _counters(batch: Batch) -> str:
    """Each page's number as folio numbers it, set where it does not go on by one (the first
    page; a restart), so that the stylesheets' own counter rules agree with the labels (an
    unnumbered page, a cover, is left to them); and no running heads where folio says so."""
    rules, index, previous = [], 1 if batch.stub else 0, None
    for page in (p for part in batch.parts for p in part.pages):
        index += 2 if page.blank_before else 1
        expected = previous + (2 if page.blank_before else 1) if previous is not None else None
        if page.number is not None and page.number != expected:
            rules.append(f"@page :nth({index}) {{ counter-reset: page {page.number} !important; }}")
        if page.no_heads:
            rules.append(f"@page :nth({index}) {{ {NO_HEADS} }}")
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

