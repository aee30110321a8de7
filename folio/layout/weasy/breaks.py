"""Where a justified paragraph's lines break: chosen for the rest of the paragraph at once,
not one line at a time (Knuth and Plass's total fit, as TeX does it).

WeasyPrint 70 fills each line with as many words as fit and moves on. When the next word is
long and may not be broken, the line is left loose: its word spaces stretch past half an em
(12 lines of the report did; the issue 19 review measured 8.8 pt spaces where 2.75 pt is
normal). Each time WeasyPrint asks where a text that starts a line should break, folio
measures its words once (cached), finds the breaks of the whole remaining text whose lines
stretch least (the sum over lines of the cube of each line's stretch, plus a penalty for each
hyphen), and answers with the first of them. The breaks of the rest hold for the lines after
it (a line's cost depends only on its own pieces), so the search runs once per text and room,
and WeasyPrint's next question, the text after the chosen line, is answered from it (the
search ran once per line before: 15 % of a layout at 10×). WeasyPrint then breaks there by itself: it is
asked again with the line's own width as the room, so everything it does at a break (soft
hyphens, hanging spaces) stays its own. Where that does not give the chosen line (a measure
that differs, a text this model does not cover), WeasyPrint's own answer stands.
"""
from __future__ import annotations

from .wrap import wrap_once

SOFT = "\u00ad"
NORMAL = 0.25        # em: a book face's own word space (Liberation Serif's is 0.25 em)
TOLERANCE = 0.25     # em of stretch a space may take before a line counts as loose
HYPHEN_COST = 3000   # demerits of a break at a soft hyphen (a loose line costs 1e4)
LINE_COST = 10       # demerits of each line, so that fewer lines are preferred
TOO_LOOSE = 1e30     # a line that cannot be stretched (one word alone): worse than any loose one
MOST_WORDS = 400     # a text of more words is left to WeasyPrint (it is rarely one paragraph)


def total_fit() -> None:
    """Wrap WeasyPrint's split_first_line as layout/inline.py calls it (once per process)."""
    from weasyprint.layout import inline

    wrap_once(inline, "split_first_line", "folio_total_fit", _total_fit)


def _total_fit(split):
    def split_first_line(text, style, context, max_width, justification_spacing,
                         is_line_start=True, minimum=False):
        chosen = None
        if is_line_start and not minimum and _justified(style, max_width):
            chosen = _first_line(text, style, context, max_width)
        if chosen is not None:
            line, width = chosen
            result = split(text, style, context, width + 0.01, justification_spacing, is_line_start, minimum)
            if result[2] is not None and _same_line(text, result[2], line):
                return result
        return split(text, style, context, max_width, justification_spacing, is_line_start, minimum)

    return split_first_line


def _justified(style, max_width) -> bool:
    return (style["text_align_all"] == "justify" and style["white_space"] == "normal"
            and max_width is not None and 0 < max_width < 1e6 and style["font_size"] > 0)


def _first_line(text: str, style, context, max_width: float) -> tuple[str, float] | None:
    """(the text of the first line of the best breaking, its width as WeasyPrint measures it),
    or None where WeasyPrint's own first line is as good (the text fits on one line)."""
    if not 3 <= text.count(" ") + 1 <= MOST_WORDS:
        return None
    measure, key = _measurer(style, context)
    key = (key, style["hyphenate_character"], max_width)
    known = context.__dict__.setdefault("_folio_breaks", {})
    found = known.get((key, text))
    if found is None:
        found = known[key, text] = _search(text, style, measure, max_width, known, key)
    pieces, nxt, start = found
    if nxt is None or nxt[start] >= len(pieces):      # it fits on a line; the search breaks nowhere
        return None
    end = nxt[start] - 1
    line = _line_text(pieces[start:], end - start)
    width = measure(line)
    return (line, width) if width <= max_width else None


def _search(text: str, style, measure, max_width: float, known: dict, key) -> tuple:
    """(pieces, the first piece of the line after the best line that begins with each piece
    (None: the text fits on one line), 0: the text starts at the first piece). The text
    after each chosen line is kept in `known` too, with where it starts."""
    pieces, starts = _pieces(text.split(" "), measure)
    if _fits(pieces, text, measure, max_width):
        return pieces, None, 0
    space, hyphen = measure(" x") - measure("x"), measure(style["hyphenate_character"])
    nxt = _next_breaks(pieces, space, hyphen, max_width, style["font_size"])
    i = nxt[0]
    while i < len(pieces):
        rest = text[starts[i]:]
        if 3 <= rest.count(" ") + 1 and not _fits(pieces[i:], rest, measure, max_width):
            known.setdefault((key, rest), (pieces, nxt, i))
        i = nxt[i]
    return pieces, nxt, 0


def _fits(pieces, text: str, measure, max_width: float) -> bool:
    """Whether the text fits on one line as the search counts it (its words and spaces)."""
    space = measure(" x") - measure("x")
    return sum(p[1] for p in pieces) + space * (text.count(" ") + 1) <= max_width


def _pieces(words: list[str], measure) -> tuple[list[tuple[str, float, bool, bool]], list[int]]:
    """The text as pieces a line may end after: (text, width, ends a word, ends at a soft
    hyphen); and where each piece begins in the text (the words joined by spaces)."""
    pieces, starts, at = [], [], 0
    for word in words:
        parts = word.split(SOFT) if word else []
        begins = at
        for k, part in enumerate(parts):
            last = k == len(parts) - 1
            pieces.append((part, measure(part) if part else 0.0, last, not last))
            starts.append(begins)
            begins += len(part) + 1
        at += len(word) + 1
    return pieces, starts


def _best_breaks(pieces, space: float, hyphen: float, room: float, size: float) -> list[int]:
    """The indexes of the pieces that end each line but the last, best first line first."""
    nxt, n = _next_breaks(pieces, space, hyphen, room, size), len(pieces)
    ends, i = [], 0
    while i < n and nxt[i] < n:
        ends.append(nxt[i] - 1)
        i = nxt[i]
    return ends


def _next_breaks(pieces, space: float, hyphen: float, room: float, size: float) -> list[int]:
    """For each piece, the first piece of the line after the best line that begins with it:
    a backward search, cost[i] being the least demerits of setting pieces i… as lines (so
    what it finds for the pieces from i on holds for any text that begins there)."""
    n = len(pieces)
    cost = [0.0] * (n + 1)
    nxt = [n] * (n + 1)
    for i in range(n - 1, -1, -1):
        best, width, spaces = None, 0.0, 0
        for j in range(i, n):
            text, w, word_end, soft = pieces[j]
            if j > i:
                if pieces[j - 1][2]:          # a new word: a space before it
                    width += space
                    spaces += 1
            width += w
            if width > room:
                break
            if j == n - 1:                      # the last line: it need not be full
                demerits = LINE_COST ** 2
            elif not (word_end or soft):
                continue
            else:
                end_width = width + (hyphen if soft else 0.0)
                if end_width > room:
                    continue
                demerits = _demerits(room - end_width, spaces, size) + (HYPHEN_COST if soft else 0)
            total = demerits + cost[j + 1]
            if best is None or total < best:
                best, nxt[i] = total, j + 1
        cost[i] = best if best is not None else TOO_LOOSE + cost[i + 1]
        if best is None:
            nxt[i] = i + 1
    return nxt


def _demerits(slack: float, spaces: int, size: float) -> float:
    if spaces == 0:
        return TOO_LOOSE
    stretch = slack / spaces / size / TOLERANCE   # 1.0: spaces of NORMAL + TOLERANCE em
    return (LINE_COST + 100 * stretch ** 3) ** 2


def _line_text(pieces, end: int) -> str:
    """The text of pieces 0…end as a line, with the hyphen if it ends at a soft one."""
    out = []
    for k, (text, _, word_end, _) in enumerate(pieces[:end + 1]):
        out.append(text)
        if word_end and k < end:
            out.append(" ")
    return "".join(out) + ("\u2010" if not pieces[end][2] else "")


def _same_line(text: str, resume: int, line: str) -> bool:
    """Whether WeasyPrint's break (a byte index into text) is the chosen line's end."""
    got = text.encode()[:resume].decode(errors="ignore").replace(SOFT, "").rstrip(" ")
    return got == line.replace(SOFT, "").rstrip("\u2010").rstrip(" ")


def _measurer(style, context):
    """(a function: text → its width in this style, as WeasyPrint measures a line; the key of
    the style's measure). The widths are kept on the layout context (one document's fonts)."""
    from weasyprint.text.line_break import create_layout, line_size

    key = (style["font_family"], style["font_style"], style["font_weight"], style["font_stretch"],
           style["font_size"], str(style["letter_spacing"]), str(style["word_spacing"]),
           str(style["font_variant_ligatures"]), str(style["font_feature_settings"]), style["lang"])
    widths = context.__dict__.setdefault("_folio_widths", {})

    def measure(text: str) -> float:
        width = widths.get((key, text))
        if width is None:
            layout = create_layout(text, style, context, None, 0)
            width = widths[key, text] = line_size(layout.get_first_line()[0], style)[0]
            layout.deactivate()
        return width
    return measure, key
