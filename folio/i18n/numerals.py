"""Numerals: roman, letters, arabic — formatted and read back, in one place."""
from __future__ import annotations

ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
         (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


def to_roman(n: int) -> str:
    out = []
    for value, letters in ROMAN:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def from_roman(text: str) -> int | None:
    for n in range(1, 400):
        if to_roman(n) == text:
            return n
    return None


def to_letter(n: int) -> str:
    out = []
    while n > 0:                    # A … Z, AA … ZZ, AAA …: a loop, however large the number
        n, rest = divmod(n - 1, 26)
        out.append(chr(ord("A") + rest))
    return "".join(reversed(out))


# The longest number of each scheme folio reads back (ZZZ, 9999): a longer one is not a number
# a report can mean, and reading it would cost time (an int of 5,000 digits) or recursion.
MAX_LETTERS, MAX_DIGITS = 3, 4


def from_letter(text: str) -> int | None:
    if not (0 < len(text) <= MAX_LETTERS and text.isascii() and text.isalpha() and text.isupper()):
        return None
    n = 0
    for char in text:
        n = n * 26 + ord(char) - ord("A") + 1
    return n


def from_arabic(text: str) -> int | None:
    """ASCII digits only: str.isdigit also accepts '²' and other digits int() refuses."""
    return int(text) if 0 < len(text) <= MAX_DIGITS and text.isascii() and text.isdigit() else None


def to_lower_roman(n: int) -> str:
    return to_roman(n).lower()


def to_lower_letter(n: int) -> str:
    return to_letter(n).lower()


# The numeral styles a locale may give a heading level (folio.i18n.locale), as CSS names them.
STYLES = {"upper-roman": to_roman, "lower-roman": to_lower_roman, "upper-latin": to_letter,
          "lower-latin": to_lower_letter, "decimal": str}
# How each level of a heading number is written by default (UN Editorial Manual): I., A., 1.
HEADING_LEVELS = ("upper-roman", "upper-latin", "decimal")


def write(style, n: int) -> str:
    """n in a numeral style, or the n-th of a locale's own words (counting on in digits past
    the last word)."""
    if isinstance(style, tuple):
        return style[n - 1] if 0 < n <= len(style) else str(n)
    return STYLES.get(style, str)(n)


def read(style, text: str) -> int | None:
    """The count a number written in a style stands for ('IV' → 4), or None."""
    if isinstance(style, tuple):
        return style.index(text) + 1 if text in style else None
    if style in ("upper-roman", "lower-roman"):
        return from_roman(text.upper()) if text.isascii() else None
    if style in ("upper-latin", "lower-latin"):
        return from_letter(text.upper()) if text.isascii() else None
    return from_arabic(text)


def _level(index: int, value, styles: tuple = ()) -> str:
    if isinstance(value, str):
        return value                       # written by the author as it should be shown
    if value is None:
        return ""
    styles = styles or HEADING_LEVELS
    return write(styles[index] if index < len(styles) else "decimal", value)


def own(number) -> str:
    """The number's own last level: 'A' for section II.A, '12' for para. 12."""
    if number is None or not number.path:
        return ""
    if not _is_heading(number):
        return str(number.path[-1])
    return _level(len(number.path) - 1, number.path[-1], number.styles)


def labelled(number) -> str:
    """A heading's number as it leads the heading: 'II.', 'أولاً -' (the locale's mark after it)."""
    return own(number) + (number.mark if number is not None and _is_heading(number) else ".")


def full(number) -> str:
    """The whole number as a reader cites it: 'II.A.1', '12'."""
    if number is None or not number.path:
        return ""
    if not _is_heading(number):
        return str(number.path[-1])
    return ".".join(t for t in (_level(i, v, number.styles) for i, v in enumerate(number.path)) if t)


def levels(number) -> list[tuple[str, str]]:
    """(anchor, text) of each written level, outermost first: a Word field per level."""
    if number is None:
        return []
    if not _is_heading(number):
        return [(number.anchors[-1] if number.anchors else "", own(number))]
    anchors = number.anchors or ("",) * len(number.path)
    return [(a, _level(i, v, number.styles)) for i, (a, v) in enumerate(zip(anchors, number.path, strict=False))
            if _level(i, v, number.styles)]


def page_label(index: int, style: str) -> str:
    """A printed page number: 'iv' in lower-roman front matter, '4' in the body."""
    return to_roman(index).lower() if style == "lower-roman" else str(index)


def _is_heading(number) -> bool:
    return number.kind in ("chapter", "section", "subsection")
