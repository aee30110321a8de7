"""Lines of running text in WeasyPrint 70: a line is not broken after its first word because
of a space that hangs at its end.

WeasyPrint lays a text out line by line; each piece of text between two inline elements is
one text box. A text box that ends in a space ("the 2030 " before the gap marker's span)
measures that space too. When the text fits the line only without it, Pango keeps it on one
line, WeasyPrint finds it wider than the line, takes it for a text that cannot be broken
earlier and breaks it after its first word: "products" stood alone on a line, the rest of the
sentence on the next (issue 19, item 4). CSS lets a space at the end of a line hang; here the
text is measured as it will be set, its trailing spaces left out, and kept whole when it fits.
"""
from __future__ import annotations

from math import inf

COLLAPSING = ("normal", "nowrap", "pre-line")   # white-space values whose spaces may hang


def spaces_hang() -> None:
    """Wrap WeasyPrint's split_first_line as layout/inline.py calls it (once per process)."""
    from weasyprint.layout import inline

    if getattr(inline.split_first_line, "folio_spaces_hang", False):
        return
    split = inline.split_first_line

    def split_first_line(text, style, context, max_width, justification_spacing,
                         is_line_start=True, minimum=False):
        result = split(text, style, context, max_width, justification_spacing, is_line_start, minimum)
        if _broken_for_a_hanging_space(text, style, max_width, result[2]):
            fits = split(text.rstrip(" "), style, context, max_width, justification_spacing,
                         is_line_start, minimum)[2] is None
            if fits:   # laid out whole; the line's end takes its trailing spaces off
                return split(text, style, context, inf, justification_spacing, is_line_start, minimum)
        return result

    split_first_line.folio_spaces_hang = True
    inline.split_first_line = split_first_line


def _broken_for_a_hanging_space(text: str, style, max_width, resume) -> bool:
    """The signature of the fault, cheap to test: a text ending in a space broken after its
    first word (a normal line holds many words; this costs a second layout only here)."""
    if resume is None or max_width in (None, inf) or not text.endswith(" "):
        return False
    if style["white_space"] not in COLLAPSING:
        return False
    head = text.encode()[:resume].decode(errors="ignore").strip(" \u00ad")
    return " " not in head and bool(text.rstrip(" "))
