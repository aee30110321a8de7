"""What the laid-out lines of running text ask of hyphenation, read from WeasyPrint's pages.

WeasyPrint breaks lines one at a time and cannot see a page or a paragraph whole. A print
shop's rules that only a laid-out page shows are checked here, and answered by the words
that the next layout should treat otherwise (folio.writers.hyphenate.Hints):

- no two hyphenated lines in a row, no hyphen on the last line of a recto (a word
  split across the turn of the leaf), none on a paragraph's last full line: the word is left
  whole;
- no loose line: where a justified line's word spaces stretch past about half an em because
  the next word did not fit, that word (six letters or more) may break.
"""
from __future__ import annotations

import re

HYPHEN = "\u2010"    # what WeasyPrint draws where it breaks at a soft hyphen
PUNCTUATION = "([“‘«„\"'"
LOOSE = 0.25         # em of stretch beyond the face's own word space (about 0.25 em): a space past 0.5 em
FIRST_WORD = re.compile(r"[“‘«„\"'(]?([^\W\d_]{6,})(?![\w\-‐‑\u00ad])")   # lower-case: checked


def review(pages, ids: frozenset) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """({block id: words to keep whole}, {block id: shorter words that may break}) for the
    running text of a document's (or a chunk's) pages."""
    return _asked(_blocks(pages, ids), False)


def review_both(pages, ids: frozenset) -> tuple[tuple[dict, dict], tuple[dict, dict]]:
    """review() of the pages as laid out, and flipped: each page on the other side of the
    spread (a chunk laid out as if it began on a right-hand page that begins on a left one: its
    rectos are its versos). The lines are walked once."""
    blocks = _blocks(pages, ids)
    return _asked(blocks, False), _asked(blocks, True)


def _asked(blocks: dict, flipped: bool) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    keep: dict[str, set[str]] = {}
    allow: dict[str, set[str]] = {}
    for owner, found in blocks.items():
        lines = [line for line, _ in found]
        for index, (line, ends) in enumerate(found):
            last_on_recto = ends is not None and ends != flipped    # ends: the page it ends was laid as a recto
            if _hyphenated(line):
                in_a_row = index > 0 and _hyphenated(lines[index - 1])
                if in_a_row or last_on_recto or index == len(lines) - 2:
                    keep.setdefault(owner, set()).add(_broken_word(line))
            elif index < len(lines) - 2 and not last_on_recto and _loose(line):
                word = FIRST_WORD.match(_text(lines[index + 1]).lstrip())
                if word and word.group(1).islower() and not (index > 0 and _hyphenated(lines[index - 1])):
                    allow.setdefault(owner, set()).add(word.group(1))
    return keep, allow


def _blocks(pages, ids: frozenset) -> dict[str, list[tuple[object, bool | None]]]:
    """{block id: [(line box, None, or whether the page whose body it ends was laid out as a
    recto)]} in reading order: a block's lines on one page, then on the next (notes' lines are
    their notes')."""
    blocks: dict[str, list] = {}
    for page in pages:
        found: list[tuple[float, str, object, bool]] = []
        _walk(page._page_box, None, ids, False, found)
        body = [item for item in found if not item[3]]
        last = max(body, key=lambda item: item[0])[2] if body else None
        recto = getattr(page._page_box.page_type, "side", "") == _recto_side(page._page_box)
        for _, owner, line, _ in sorted(found, key=lambda item: item[0]):
            if owner is not None:
                blocks.setdefault(owner, []).append((line, recto if line is last else None))
    return blocks


def _recto_side(page_box) -> str:
    """The side of a spread a recto is on: the right, or the left in a right-to-left book
    (WeasyPrint sides a document's pages by its root's direction, which the page inherits)."""
    return "left" if page_box.style["direction"] == "rtl" else "right"


def _walk(box, owner, ids: frozenset, in_note: bool, found: list) -> None:
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.MarginBox):
        return
    in_note = in_note or type(box).__name__ == "FootnoteAreaBox"
    element = box.element
    ident = element.get("id") if element is not None and box.element_tag and ":" not in box.element_tag else None
    owner = ident if ident in ids else owner
    if isinstance(box, boxes.LineBox):
        if _text(box).strip():
            found.append((box.position_y, owner, box, in_note))
        return
    for child in getattr(box, "children", ()):
        _walk(child, owner, ids, in_note, found)


def _text(line) -> str:
    return "".join(b.text for b in line.descendants() if isinstance(getattr(b, "text", None), str))


def _hyphenated(line) -> bool:
    tail = _text(line).replace("\u00ad", "").rstrip()
    return tail.endswith(HYPHEN) and len(tail) > 1 and tail[-2].isalpha()


def _broken_word(line) -> str:
    head = _text(line).replace("\u00ad", "").rstrip()[:-1].split()
    return head[-1].strip(PUNCTUATION) if head else ""


def _loose(line) -> bool:
    """A justified line whose word spaces WeasyPrint stretched by more than LOOSE em."""
    stretch = [b.justification_spacing / b.style["font_size"] for b in line.descendants()
               if hasattr(b, "justification_spacing") and isinstance(getattr(b, "text", None), str)
               and b.style["font_size"]]
    return bool(stretch) and max(stretch) > LOOSE
