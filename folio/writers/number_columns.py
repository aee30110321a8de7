"""How wide the number column of each heading level must be, so that 'XVIII.' never runs into
its title: the widest number of the document at that level, measured, plus a gap.

Widths are Times Bold's (units per 1000 em, from its AFM metrics); Liberation Serif, which the
PDF embeds, and Times New Roman, which the DOCX names, share them. Bold is the widest weight a
number is set in, so the column fits every edition's use of it."""
from __future__ import annotations

import unicodedata

from .. import model as m
from ..i18n.numerals import own

_WIDTHS = {**dict.fromkeys("0123456789", 500), ".": 250, " ": 250, "-": 333,
           "A": 722, "B": 667, "C": 722, "D": 722, "E": 667, "F": 611, "G": 778, "H": 778,
           "I": 389, "J": 500, "K": 778, "L": 667, "M": 944, "N": 722, "O": 778, "P": 611,
           "Q": 778, "R": 722, "S": 556, "T": 667, "U": 722, "V": 722, "W": 1000, "X": 722,
           "Y": 722, "Z": 667}
# Arabic heading numbers are words ("أولاً", "ثالث عشر"): the widths of Noto Naskh Arabic Bold,
# the print's Arabic face. A letter that joins the next is drawn in its narrower initial or
# medial form (_JOINED); otherwise alone or final (_ALONE); vowel marks take no width.
_ALONE = {c: w for w, letters in ((210, "ـ"), (280, "آأإا"), (380, "رز"), (420, "ةه"), (440, "دذ"),
                                   (450, "ء"), (500, "ؤمو"), (600, "عغن"), (610, "ل"), (620, "ك"),
                                   (640, "ئىي"), (650, "ق"), (660, "جحخ"), (740, "ػؼ"),
                                   (790, "طظ"), (810, "بتث"), (850, "ف"), (1060, "سش"), (1130, "صض"))
          for c in letters}
_JOINED = {c: w for w, letters in ((240, "ل"), (290, "ئبنى"), (360, "تثي"), (430, "فق"), (470, "كم"),
                                    (520, "عغه"), (660, "جحخ"), (700, "سش"), (710, "طظ"), (850, "صض"))
           for c in letters}
GAP = 0.6            # em between the number and its title, at least
NARROWEST = 2.2      # em: the column of the UN layout when every number is short
WIDEST = 6.0         # em: an author's own number ("4bis-rev.2") longer than this wraps instead
LEVELS = (1, 2, 3)   # chapter, section, subsection


def width(text: str) -> float:
    """The width of text, in em, in Times Bold capitals (lower case is never wider), Arabic
    letters in Naskh Bold, joined as they are drawn."""
    chars = [c for c in text.upper() if not unicodedata.combining(c)]
    total = 0
    for char, after in zip(chars, [*chars[1:], ""], strict=True):
        joined = char in _JOINED and after in _ALONE
        total += _JOINED[char] if joined else _ALONE.get(char) or _WIDTHS.get(char, 778)
    return total / 1000


def columns(doc: m.Document) -> dict[int, float]:
    """Heading level → the width of its number column in em (numbers are written 'XVIII.', or
    with the locale's mark: 'ثالثاً -')."""
    mark = doc.locale.heading_mark if doc.locale is not None else "."
    widest = dict.fromkeys(LEVELS, 0.0)
    for entry in doc.contents:
        if entry.number and entry.level in widest:
            widest[entry.level] = max(widest[entry.level], width(f"{own(entry.number)}{mark}"))
    for part in doc.parts:
        for block in [part.heading, *part.blocks]:
            if isinstance(block, m.Heading) and block.number and block.level in widest:
                widest[block.level] = max(widest[block.level], width(f"{own(block.number)}{mark}"))
    return {level: round(min(WIDEST, max(NARROWEST, w + GAP)), 2) for level, w in widest.items()}


def css_variables(doc: m.Document) -> str:
    """The columns as CSS custom properties for print.css: --number-N (the column), --pull-N
    (its negative, to hang the number) and --indent-N (where a contents entry of level N starts)."""
    cols = columns(doc)
    out, indent = [], 0.0
    for level in LEVELS:
        indent += cols[level]
        out += [f"--number-{level}: {cols[level]}em", f"--pull-{level}: -{cols[level]}em",
                f"--indent-{level}: {round(indent, 2)}em"]
    return "; ".join(out)
