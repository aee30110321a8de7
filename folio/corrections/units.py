"""Paragraphs of the edited file grouped as they were in the original.

When an editor splits a paragraph with change tracking on, or adds one, Word marks the new
paragraph mark as inserted: rejecting it would join that paragraph to the next. So the
paragraphs from one with an inserted mark up to the next one with an original mark were one
paragraph in the original: a unit. A unit is what is matched to one source paragraph. Inside
it, paragraphs made only of inserted text are new paragraphs before or after the original one.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from .projection import Piece
from .records import ADDED, REMOVED, WordParagraph
from .views import REJECT, text, view

SPLIT = "\n\n"   # a paragraph break inside an edited unit, as source


@dataclass
class Unit:
    paragraphs: list           # WordParagraph, in order

    @property
    def first(self) -> WordParagraph:
        return self.paragraphs[0]

    @property
    def last(self) -> WordParagraph:
        return self.paragraphs[-1]

    @property
    def story(self) -> str:
        return self.first.story

    @cached_property
    def original(self) -> str:
        """The unit's text before the tracked changes."""
        return "".join(text(view(p, REJECT)) for p in self.paragraphs)

    @property
    def new(self) -> bool:
        """Nothing of it was there before: every paragraph and all its text inserted."""
        return all(_all_added(p) for p in self.paragraphs)

    @property
    def removed(self) -> bool:
        """Deleted whole: its mark deleted and no text left when changes are accepted."""
        return self.last.mark is not None and self.last.mark.kind in REMOVED and \
            not any(s.text.strip() for p in self.paragraphs for s in p.segments if not s.removed)

    @property
    def joined(self) -> bool:
        """Its mark was deleted: when accepted it runs on into the next paragraph."""
        return self.last.mark is not None and self.last.mark.kind in REMOVED

    def changed(self) -> bool:
        return any(p.changed for p in self.paragraphs)

    def core(self) -> tuple[list, list, list]:
        """(new paragraphs before, the paragraphs holding original text, new ones after)."""
        paras = self.paragraphs
        lo, hi = 0, len(paras)
        while lo < hi - 1 and _all_added(paras[lo]):
            lo += 1
        while hi - 1 > lo and _all_added(paras[hi - 1]):
            hi -= 1
        return paras[:lo], paras[lo:hi], paras[hi:]

    def pieces(self, mode: str, comments: dict, paras: list | None = None) -> list[Piece]:
        """The given paragraphs (default: the core) in one view, with paragraph breaks."""
        out: list[Piece] = []
        for n, p in enumerate(self.core()[1] if paras is None else paras):
            if n:
                out.append(Piece(SPLIT, raw=True))
            out += view(p, mode, comments)
        return out


def _all_added(para: WordParagraph) -> bool:
    """New text only; or, empty, a new paragraph mark."""
    if any(s.text for s in para.segments):
        return all(s.added for s in para.segments if s.text)
    return para.mark is not None and para.mark.kind in ADDED


def group(paragraphs: list[WordParagraph]) -> list[Unit]:
    """Units, in reading order; a unit never crosses a story, a note or a table cell."""
    units: list[Unit] = []
    run: list[WordParagraph] = []
    for para in paragraphs:
        if run and _place(run[-1]) != _place(para):
            units.append(Unit(run))
            run = []
        run.append(para)
        if not (para.mark is not None and para.mark.kind in ADDED):
            units.append(Unit(run))
            run = []
    if run:
        units.append(Unit(run))
    return units


def _place(para: WordParagraph) -> tuple:
    return para.story, para.footnote, para.cell
