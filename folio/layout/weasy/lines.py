"""Lines of running text in WeasyPrint 70: a line is not broken after its first word because
of a space that hangs at its end, and a justified line's letters take a little of its stretch.

WeasyPrint lays a text out line by line; each piece of text between two inline elements is
one text box. A text box that ends in a space ("the 2030 " before the gap marker's span)
measures that space too. When the text fits the line only without it, Pango keeps it on one
line, WeasyPrint finds it wider than the line, takes it for a text that cannot be broken
earlier and breaks it after its first word: "products" stood alone on a line, the rest of the
sentence on the next (issue 19, item 4). CSS lets a space at the end of a line hang; here the
text is measured as it will be set, its trailing spaces left out, and kept whole when it fits.

WeasyPrint justifies a line by its word spaces alone; a line that holds few words then shows
gaps (rivers, where such lines meet). Typesetters let the letters take part, within limits
no reader notices (InDesign's usual range is up to 5 %, folio's 3 %): once the spaces have
stretched by SPACES_FIRST, each letter takes up to LETTERS of the rest, the spaces the remainder.
The line breaks are not changed, only how the space left on a line is shared out. Chinese,
which has no word spaces, WeasyPrint would leave ragged: its lines share all their slack out
between their characters. A right-to-left line is left to WeasyPrint: Arabic letters are
joined, never spaced out, and the boxes of such a line stand in visual order, which the shift
here (logical order) would undo: a Latin "(IOM)" inside an Arabic line was drawn over the word
before it.
"""
from __future__ import annotations

from math import inf

from .wrap import wrap_once

COLLAPSING = ("normal", "nowrap", "pre-line")   # white-space values whose spaces may hang
SPACES_FIRST = 0.08   # em: word spaces stretch this much (to about 0.33 em) before letters help
LETTERS = 0.03        # em: the most a letter is spaced out on a justified line
INTER_CHARACTER = ("zh", "ja")   # languages justified between characters, not at word spaces


def spaces_hang() -> None:
    """Wrap WeasyPrint's split_first_line as layout/inline.py calls it (once per process)."""
    from weasyprint.layout import inline

    wrap_once(inline, "split_first_line", "folio_spaces_hang", _spaces_hang)


def _spaces_hang(split):
    def split_first_line(text, style, context, max_width, justification_spacing,
                         is_line_start=True, minimum=False):
        result = split(text, style, context, max_width, justification_spacing, is_line_start, minimum)
        if _broken_for_a_hanging_space(text, style, max_width, result[2]):
            fits = split(text.rstrip(" "), style, context, max_width, justification_spacing,
                         is_line_start, minimum)[2] is None
            if fits:   # laid out whole; the line's end takes its trailing spaces off
                return split(text, style, context, inf, justification_spacing, is_line_start, minimum)
        return result

    return split_first_line


def _broken_for_a_hanging_space(text: str, style, max_width, resume) -> bool:
    """The signature of the fault, cheap to test: a text ending in a space broken after its
    first word (a normal line holds many words; this costs a second layout only here)."""
    if resume is None or max_width in (None, inf) or not text.endswith(" "):
        return False
    if style["white_space"] not in COLLAPSING:
        return False
    head = text.encode()[:resume].decode(errors="ignore").strip(" \u00ad")
    return " " not in head and bool(text.rstrip(" "))


def letters_share_the_stretch() -> None:
    """Wrap WeasyPrint's justify_line (once per process): letters take part of a loose line's stretch."""
    from weasyprint.layout import inline

    wrap_once(inline, "justify_line", "folio_letters", _letters_share)


def _letters_share(justify):
    from weasyprint.layout import inline

    def justify_line(context, line, extra_width):
        spaces = inline.count_expandable_spaces(line)
        size = line.style["font_size"]
        letters = _letters(line) if line.style["direction"] != "rtl" else 0
        if letters and extra_width > 0 and _between_characters(line):
            extra_width -= _space_letters(context, line, extra_width / letters, 0)
        elif spaces and letters and size:
            beyond = extra_width - spaces * SPACES_FIRST * size   # what spaces would carry past their share
            if beyond > 0:
                extra_width -= _space_letters(context, line, min(LETTERS * size, beyond / letters), 0)
        justify(context, line, extra_width)

    return justify_line


def _between_characters(line) -> bool:
    """Chinese and Japanese have no word spaces: a justified line is stretched between its
    characters (CSS text-justify: inter-character), all of its slack, as their typesetters do."""
    return (line.style["lang"] or "").split("-")[0].lower() in INTER_CHARACTER


def _letters(box) -> int:
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.TextBox):
        return len(box.text) - box.text.count(" ") - box.text.count("\u00ad")
    if isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        return sum(_letters(child) for child in box.children if child.is_in_normal_flow())
    return 0


def _space_letters(context, box, each: float, x_advance: float) -> float:
    """Space out the letters of box by `each` px, moving what follows (as WeasyPrint's
    add_word_spacing moves words); the width added so far."""
    from weasyprint.formatting_structure import boxes
    from weasyprint.text.line_break import create_layout, line_size

    if isinstance(box, boxes.TextBox):
        box.position_x += x_advance
        if _letters(box):
            style = box.style.copy()
            spacing = style["letter_spacing"]
            style["letter_spacing"] = (0 if spacing == "normal" else spacing) + each
            layout = create_layout(box.text, style, context, None, 0)
            width = line_size(layout.get_first_line()[0], style)[0]
            layout.deactivate()
            box.style = style
            x_advance += width - box.width
            box.width = width
        return x_advance
    if isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        box.position_x += x_advance
        before = x_advance
        for child in box.children:
            if child.is_in_normal_flow():
                x_advance = _space_letters(context, child, each, x_advance)
        box.width += x_advance - before
        return x_advance
    box.translate(x_advance, 0)
    return x_advance
