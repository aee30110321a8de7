"""What folio asks of WeasyPrint 70, in one place: both PDF routes (the single pass and every
layout worker of the chunked one) lay out through what is here, so what they ask cannot drift.

    fetcher.py  the restricted URL fetcher: files of the project and folio's defaults only
    notes.py    notes kept in call order and carried over pages; a note that cannot fit found out
    lines.py    spaces that hang at a line's end; letters that share a justified line's stretch
    breaks.py   a paragraph's breaks chosen for all its lines at once (total fit)
    leaders.py  a leader begun a space after its title, drawn in runs of dots, not dot by dot
    tags.py     each structure element of the tagged PDF given its block's id (/ID, /IDTree)
    stylesheets.py  each stylesheet parsed once per process, not once per layout
    wrap.py     wrap_once: the one way a WeasyPrint function is wrapped, once per process

`fixes()` installs the layout changes; the chunked route names it as its workers' setup, and
the chunk cache's key covers every file of this package (folio.layout.chunked.keys). Its
modules import each other, never this one."""
from __future__ import annotations

import gc
from contextlib import contextmanager

from .breaks import total_fit
from .leaders import leaders_in_runs
from .lines import letters_share_the_stretch, spaces_hang
from .notes import keep_notes_in_order, notes_carried_over
from .stylesheets import parse_once


def fixes() -> None:
    """What folio changes in WeasyPrint 70 before it lays anything out (in every process that
    does): notes kept in call order and carried over pages (notes), spaces that hang at a line's end and letters
    that share a justified line's stretch (lines), a paragraph's breaks chosen for all its
    lines at once (breaks), a leader begun a space after its title and drawn in runs of dots
    (leaders); and each stylesheet parsed once per process (stylesheets), which changes no
    layout, only its cost."""
    keep_notes_in_order()
    notes_carried_over()
    spaces_hang()
    total_fit()
    letters_share_the_stretch()
    parse_once()
    leaders_in_runs()


@contextmanager
def no_collector():
    """Python's collector off while WeasyPrint lays out or draws (both routes): it costs ~15 %
    of a layout and ~12 % of drawing a long document, walking the boxes again and again, and
    frees nothing there (the boxes live until the PDF is written)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
