"""Block HTML as phrasing content, for a print footnote that sits inside its call's paragraph.

WeasyPrint lays a `float: footnote` element out at the foot of the page of its call, so the
note is written where the call is: inside a <p>, a heading or a table cell. HTML allows only
phrasing content there, and a parser closes the <p> at the first <p>, <ul>, <pre> or <table>
of the note, spilling the rest of the note into the body. So each block element of the note
becomes a <span class="fn-TAG">, and print.css gives each class the display of its tag.
"""
from __future__ import annotations

import lxml.html

# Tags that are not phrasing content; print.css displays span.fn-TAG as TAG is displayed.
BLOCK_TAGS = frozenset(
    "p div pre blockquote ul ol li dl dt dd table caption thead tbody tfoot tr th td figure"
    " figcaption hr h1 h2 h3 h4 h5 h6 section aside header footer nav".split())
# Attributes a span may not carry, and what they become. (colspan and rowspan stay: WeasyPrint
# reads them on any table-cell box, and a cell that lost them would shift its row.)
_ATTRIBUTES = {"start": lambda value: f"counter-reset: list-item {int(value) - 1}",
               "value": lambda value: f"counter-set: list-item {int(value)}"}


def as_phrasing(html: str) -> str:
    """One block element's HTML with every block element in it renamed to a classed span."""
    root = lxml.html.fragment_fromstring(html)
    for element in root.iter():
        if not isinstance(element.tag, str) or element.tag not in BLOCK_TAGS:
            continue
        classes = [f"fn-{element.tag}", *(element.get("class") or "").split()]
        styles = [convert(element.attrib.pop(name)) for name, convert in _ATTRIBUTES.items()
                  if name in element.attrib and element.attrib[name].lstrip("-").isdigit()]
        for name in ("start", "value", "reversed", "type"):
            element.attrib.pop(name, None)
        # White space between blocks is nothing in HTML, but between spans displayed as blocks
        # WeasyPrint lays it out as a line of its own: a blank line in the note.
        if element.tail is not None and not element.tail.strip():
            element.tail = None
        if element.tag != "pre" and element.text is not None and not element.text.strip() and len(element):
            element.text = None
        element.tag = "span"
        element.set("class", " ".join(classes))
        if styles:
            element.set("style", "; ".join(styles))
    return lxml.html.tostring(root, encoding="unicode")
