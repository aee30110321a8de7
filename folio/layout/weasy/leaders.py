"""A leader drawn in a few text boxes, not one box per dot, and begun a space after its title
(_clear_of_the_title).

WeasyPrint 70 fills a `leader()` with a copy of its text box for every step of the string
(". ", at 9 pt: about forty a contents line), all sharing one Pango layout that drawing sets up
again for each copy. On the contents of the report at 10× that was 4,500 text boxes drawn one
by one: 0.7 s of a 6-page chunk's 1.8 s, and 75 KB of its 140 KB PDF. The copies stand side by
side, one step apart and anchored from the line's end, so a box holding the string several
times, where the first of them stood, draws the same dots and gives the page the same text.

Not one box for the whole leader: WeasyPrint writes each glyph's advance rounded down to a
thousandth of an em, so the dots of a long run creep right (0.1 pt over forty dots of DejaVu
Serif at 10 pt). Runs of GROUP steps, counted from the line's end as WeasyPrint places them,
each start exactly where its first dot stood: the dots stay within a fiftieth of a point, and
the columns the dots of every line fall in stay straight."""
from __future__ import annotations

from .wrap import wrap_once

MARK = "_folio_leader_in_runs"
GROUP = 8       # steps of a leader drawn as one box


def leaders_in_runs() -> None:
    from weasyprint.layout import inline
    wrap_once(inline, "handle_leader", MARK, _in_runs)


def _in_runs(handle):
    def handle_leader(context, line, containing_block):
        handle(context, line, containing_block)
        from weasyprint.layout.leader import leader_index
        _, leader = leader_index(line)
        if leader is not None and leader.children:
            # WeasyPrint placed them from the line's end leftwards: the runs start there too
            copies = _clear_of_the_title(leader, line.style["direction"] == "rtl")
            leader.children = tuple(_one_box(copies[i:i + GROUP]) for i in range(0, len(copies), GROUP))
    return handle_leader


def _clear_of_the_title(leader, rtl: bool) -> tuple:
    """The copies, less the one nearest the title where it would touch it. WeasyPrint puts a
    dot wherever a whole step fits after the title, so the first dot stood anywhere from a step
    away to against the title's last letter ("MIGRANTS. . ."), where it reads as a full stop.
    A contents leader begins a space after its title ("PREFACE ..... iii"): at least half a
    step (the string's space)."""
    copies = leader.children
    step = copies[0].width
    if rtl:     # the title on the right: the leader box ends against it
        end = leader.position_x + leader.width
        nearest = max(copies, key=lambda box: box.position_x)
        gap = end - (nearest.position_x + step)
    else:
        nearest = min(copies, key=lambda box: box.position_x)
        gap = nearest.position_x - leader.position_x
    return tuple(box for box in copies if box is not nearest) if gap < step / 2 else copies


def _one_box(copies: tuple):
    """Copies of a leader's text box, one step apart, as one box where the leftmost stood."""
    if len(copies) == 1:
        return copies[0]
    from weasyprint.text.line_break import Layout
    first = min(copies, key=lambda box: box.position_x)
    box = first.copy()
    box.text = first.text * len(copies)
    box.width = first.width * len(copies)
    layout = Layout(first.style, first.pango_layout.justification_spacing)
    layout.set_text(box.text)
    layout.deactivate()             # as WeasyPrint leaves a laid-out box's: drawing sets it up again
    box.pango_layout = layout
    return box
