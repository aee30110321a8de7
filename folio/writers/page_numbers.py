"""How the print edition numbers its pages, as CSS written from the composition (compose.py),
so that no stylesheet repeats what the composition decides: the numeral style of each stretch
(lower-roman front matter, arabic body), where the count starts again, and how a contents entry
or a page reference shows the page of its target. The look of the numbers (their place and
size) stays in print.css, where a designer changes it.

The page names are written here once, in PAGES: the rules this module writes put each wrapper
the templates write on its named page, and print.css styles those pages (`@page body:left` …)."""
from __future__ import annotations

from .. import model as m
from ..i18n.locale import right_to_left

# The named page each wrapper of print.html and its templates is set on: the vocabulary that
# print.css's @page rules style (a test holds the two together).
PAGES = {".cover": "cover", ".blank-page": "inside-cover", ".title-page": "titlepage",
         ".imprint": "imprint", ".front-matter": "front", ".report": "body", ".back-cover": "back-cover"}


# region → the named page its text is set on
def _page_name(region: m.Region) -> str:
    if region.kind == "title-page":
        return PAGES[".title-page"]
    return PAGES[".front-matter"] if region.front else PAGES[".report"]


# Regions that show their number at the foot of the page (the title page and the imprint are
# counted, i and ii, but carry no number; covers are not counted)
NUMBERED = ("part", "contents", "editorial-note")


def page_numbering_css(doc: m.Document) -> str:
    rules = [f"{wrapper} {{ page: {name}; }}" for wrapper, name in PAGES.items()]
    styled, restarted = {}, set()
    for region in doc.composition:
        name = _page_name(region)
        if region.restart and name not in restarted:
            restarted.add(name)
            rules.append(f"@page {name}:nth(1 of {name}) {{ counter-reset: page 1; }}")
        if region.kind in NUMBERED and region.numbering != "none":
            styled.setdefault(name, region.numbering)
    if doc.composition and not any(region.running_head for region in doc.composition):
        # A document (compose.py: form: document) carries its masthead, no running head, and
        # no number on its first page, as UN documents are set.
        body = PAGES[".report"]
        rules += [f"@page {body}:left {{ @top-left {{ content: none; }} }}",
                  f"@page {body}:right {{ @top-right {{ content: none; }} }}",
                  f"@page {body}:first {{ @bottom-center {{ content: none; }} }}"]
    if doc.composition and any(region.running_head for region in doc.composition) and right_to_left(doc.locale):
        rules += mirrored_heads()
    for name, style in styled.items():
        rules.append(f"@page {name} {{ @bottom-center {{ content: counter(page, {style}); }} }}")
        which = "front" if name == PAGES[".front-matter"] else "body"   # the entries' classes
        rules.append(f".contents li.{which} .page-of::after"
                     f" {{ content: target-counter(attr(data-href url), page, {style}); }}")
        rules.append(f"a.page-ref.{which}::after {{ content: target-counter(attr(href), page, {style}); }}")
    return "\n".join(rules)


def mirrored_heads() -> list[str]:
    """A right-to-left book binds on the right: its recto is the left-hand page of a spread
    (WeasyPrint starts such a document on a left page, so the margins, wider on the binding
    side, follow by themselves), and the running heads change sides with it: the chapter over
    the recto, the short title over the verso, each at the outer corner, as print.css sets
    them for a left-to-right book. WeasyPrint does not mirror margin boxes, so the contents
    change boxes here. Arabic has no italic: the heads are upright (a slanted Naskh is a fake)."""
    body = PAGES[".report"]
    return [f"@page {body}:left {{ @top-left {{ content: string(chapter); font-style: normal; }} }}",
            f"@page {body}:right {{ @top-right {{ content: string(short-title); font-style: normal; }} }}"]
