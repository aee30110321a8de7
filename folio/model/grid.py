"""Where each cell of a table sits on its grid of columns, once cells span columns and rows.

HTML (and the model, which reads HTML tables as they are) leaves out of a row the places that
a cell from a row above covers; Word wants every row to name every column, a covered place
as a cell that continues the one above (w:vMerge). Each section (head, body) is laid out on
its own: a row span stops at the section's end, as in HTML."""
from __future__ import annotations

from dataclasses import dataclass

from . import nodes as m


@dataclass
class Slot:
    cell: m.TableCell
    column: int
    first: bool = True         # False: the place of a cell from a row above (it continues)


def layout(rows: list) -> list[list[Slot]]:
    """The rows' slots, left to right, covered places included."""
    out: list[list[Slot]] = []
    covering: dict[int, tuple[m.TableCell, int]] = {}   # column → (cell from above, rows left)
    for row in rows:
        slots: list[Slot] = []
        column, started = 0, {}
        for cell in row:
            column = _covered(covering, column, slots, until=None)
            slots.append(Slot(cell, column))
            if cell.rowspan > 1:
                started[column] = (cell, cell.rowspan - 1)
            column += max(1, cell.colspan)
        _covered(covering, column, slots, until=max(covering, default=-1) + 1)
        out.append(slots)
        covering = {c: (cell, left - 1) for c, (cell, left) in covering.items() if left > 1}
        covering.update(started)
    return out


def _covered(covering: dict, column: int, slots: list, until: int | None) -> int:
    """Add the places that cells from above cover from `column` on (all up to `until`, or
    only those right at `column`); the column after them."""
    while column in covering or (until is not None and column < until):
        if column not in covering:
            column += 1
            continue
        cell, _ = covering[column]
        slots.append(Slot(cell, column, first=False))
        column += max(1, cell.colspan)
    return column


def width(rows: list) -> int:
    """How many columns the rows take."""
    return max((s.column + max(1, s.cell.colspan) for row in layout(rows) for s in row), default=0)
