"""The edited Word file, paragraph by paragraph, turned into edits of one source revision.

Each unit of the edited file (units.py) is matched to the paragraph of the source view it came
from (match.py); its text in the chosen view (accepted, rejected or CriticMarkup) is projected
onto the source (projection.py). Paragraphs added, removed or joined become block edits.
Whatever cannot be placed is reported where it belongs; comments become located notes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..diagnostics import Kind, Location, Reporter
from ..ooxml.sourcemap import text_digest
from .escape import escape_block
from .match import Matching, match, written
from .projection import Piece, SourceEdit, project
from .records import WordDocument
from .spans import RenderedParagraph, SourceView
from .units import Unit, group
from .views import ACCEPT, CRITIC, REJECT, text, view

BLOCKS = ("paragraph", "heading", "item")          # kinds that can be added, removed, joined
HEADING_STYLES = {"Heading1": "# ", "Heading2": "## ", "Heading3": "### ", "Heading4": "#### "}
SNIPPET = 60
PAGE_AT_END = re.compile(r"\t[0-9ivxlcdm]*$")


@dataclass
class ImportResult:
    edits: list = field(default_factory=list)       # SourceEdit, against view.text
    changes: int = 0                                # changes as a reader counts them
    paragraphs: int = 0                             # source paragraphs changed
    unplaced: int = 0                               # changes not placed
    comments: list = field(default_factory=list)    # (line, Comment)
    matching: Matching | None = None


def import_edits(word: WordDocument, view: SourceView, reporter: Reporter, mode: str = ACCEPT,
                 smap=None) -> ImportResult:
    units = group(word.paragraphs)
    matching = match(units, view.paragraphs, smap)
    work = _Import(view, reporter, mode, word.comments, smap)
    matches = matching.matches
    for k, m in enumerate(matches):
        work.unit(m, matches[k + 1] if k + 1 < len(matches) else None)
    work.place_comments(word, matches)
    work.result.matching = matching
    return work.result


class _Import:
    def __init__(self, view: SourceView, reporter: Reporter, mode: str, comments: dict, smap=None):
        self.view, self.reporter, self.mode, self.comments = view, reporter, mode, comments
        self.known = smap.generated if smap is not None else None   # texts folio wrote from no block
        self.result = ImportResult()
        self.previous: RenderedParagraph | None = None

    def loc(self, offset: int | None) -> Location:
        if offset is None:
            return Location(self.view.path)
        return Location(self.view.path, self.view.text.count("\n", 0, offset) + 1)

    def edit(self, edits: list, changes: int | None = None) -> None:
        """Edits of one source paragraph; changes counts them as a reader would (a block added,
        removed or joined is one; a projection says how many stretches it changed)."""
        if edits:
            self.result.edits += edits
            self.result.paragraphs += 1
            self.result.changes += len(edits) if changes is None else changes

    # ---- one unit --------------------------------------------------------------------------

    def unit(self, m, following) -> None:
        unit, target = m.unit, m.target
        if target is None:
            self.unmatched(unit)
            return
        self.previous = target
        self.format_note(unit, target)
        if target.kind == "generated":
            self.generated(unit, target)
            return
        before, core, after = unit.core()
        if self.mode != REJECT and unit.removed and target.kind in BLOCKS:
            self.edit([self.remove_block(target)])
            return
        edits = [] if self.mode == REJECT else \
            self.new_blocks(before, target, at_start=True) + self.new_blocks(after, target, at_start=False)
        changes = len(edits)
        pieces = _trim_ends(unit.pieces(self.mode, self.comments, core), target.text)
        if text(pieces) != target.text:
            projection = project(target.spans, self.view.text, pieces)
            edits += projection.edits
            changes += projection.changes if projection.edits else 0
            self.refused(projection)
        if self.mode == ACCEPT and unit.joined and not unit.removed:
            joined = self.join(target, following)
            edits, changes = edits + joined, changes + len(joined)
        self.edit(edits, changes)

    def unmatched(self, unit: Unit) -> None:
        """A paragraph the source does not have: new (added with tracking, or typed without it,
        or copied and rewritten), placed after the previous one; or text folio generated (the
        cover, the title page), whose edits cannot come back. A new paragraph that has no
        place is reported with its text: none is dropped."""
        new, rest = unit.core()[0], unit.core()[1] + unit.core()[2]
        if new and not unit.new and self.mode != REJECT:
            # Typed with tracking before text folio generated (the contents after the last
            # paragraph of a part): Word joins the new paragraph to that text's unit, but it is
            # new text, placed after the previous paragraph as any other.
            self.unmatched(Unit(new))
            unit = Unit(rest)
        typed = self.typed(unit)
        if (unit.new and self.mode != REJECT) or typed:
            if self.previous is not None and self.previous.kind in BLOCKS:
                self.edit(self.new_blocks(unit.paragraphs, self.previous, at_start=False))
            else:
                where = f"after a {self.previous.kind}" if self.previous is not None else "before the first paragraph" \
                    " that comes from the source"
                self.unplaced(self.previous.start if self.previous is not None else None,
                              f"a new paragraph {where} was not placed: '{_snippet(text(view(unit.last, ACCEPT)))}'"
                              " (add it to the source by hand)")
            return
        if unit.changed():
            self.unplaced(None, f"a change in a paragraph that is not in the source was not placed:"
                                f" '{_snippet(text(view(unit.last, ACCEPT)))}' (the cover and the title page come"
                                " from the front matter and templates/)")

    def typed(self, unit: Unit) -> bool:
        """Typed without tracking: text the Word file folio wrote did not have (which the map
        records since version 2; an older map cannot tell, and such text is left alone)."""
        if self.known is None or unit.story != "body" or unit.first.cell is not None:
            return False
        original = "".join(written(p) for p in unit.paragraphs)
        return bool(original.strip()) and text_digest(original) not in self.known

    def generated(self, unit: Unit, target: RenderedParagraph) -> None:
        """Contents, abbreviation table …: an edit there is reported where it belongs."""
        now = text(unit.pieces(ACCEPT, self.comments, unit.paragraphs))
        old, new = _without_page(target.text), _without_page(now)
        if old != new:
            self.result.unplaced += 1
            self.reporter.warning(self.loc(target.start if target.line else None),
                                  f"not applied: '{_snippet(old)}' → '{_snippet(new)}' is generated"
                                  f" text; {target.hint}", Kind.DOCX_GENERATED)

    def format_note(self, unit: Unit, target: RenderedParagraph) -> None:
        if any(p.format_changes for p in unit.paragraphs):
            self.unplaced(target.start, "formatting changes (bold, italics, paragraph styles) are not brought"
                                        " back: make them in the source")

    def refused(self, projection) -> None:
        for refusal in projection.refused:
            self.result.unplaced += 1
            self.reporter.warning(self.loc(refusal.offset), refusal.text, Kind.DOCX_GENERATED)
        for offset, what in projection.removed:
            self.reporter.warning(self.loc(offset), f"the correction removes {what}: check that this was"
                                  " meant", Kind.DOCX_GENERATED)

    def unplaced(self, offset: int | None, message: str) -> None:
        self.result.unplaced += 1
        self.reporter.warning(self.loc(offset), message, Kind.DOCX_UNPLACED)

    # ---- block edits -----------------------------------------------------------------------

    def new_blocks(self, paragraphs: list, target: RenderedParagraph, at_start: bool) -> list:
        if not paragraphs:
            return []
        if target.kind not in BLOCKS:
            self.unplaced(target.start, f"a paragraph added in a {target.kind} was not placed:"
                                        f" '{_snippet(text(view(paragraphs[0], ACCEPT)))}'")
            return []
        blocks = "\n\n".join(self.markdown(p) for p in paragraphs)
        if at_start:
            return [SourceEdit(target.start, target.start, blocks + "\n\n")]
        return [SourceEdit(target.end, target.end, "\n\n" + blocks)]

    def markdown(self, para) -> str:
        words = escape_block(text(view(para, ACCEPT)))
        words = f"{{++{words}++}}" if self.mode == CRITIC else words
        return HEADING_STYLES.get(para.style, "") + words

    def remove_block(self, target: RenderedParagraph) -> SourceEdit:
        end = target.end
        while end < len(self.view.text) and self.view.text[end] == "\n":
            end += 1
        return SourceEdit(target.start, end, "")

    def join(self, target: RenderedParagraph, following) -> list:
        nxt = following.target if following is not None else None
        if nxt is None or target.kind not in BLOCKS or nxt.kind != "paragraph" or nxt.start < target.end:
            self.unplaced(target.start, "two paragraphs joined in Word were not joined: join them in the source")
            return []
        return [SourceEdit(target.end, nxt.start, "")]

    # ---- comments --------------------------------------------------------------------------

    def place_comments(self, word: WordDocument, matches: list) -> None:
        target_of = {p.index: m.target for m in matches for p in m.unit.paragraphs}
        for comment in word.comments.values():
            target = target_of.get(comment.paragraphs[0]) if comment.paragraphs else None
            offset = _anchor_offset(target, comment.anchor) if target is not None else None
            where = self.loc(offset)
            self.result.comments.append((where.line, comment))
            date = f" on {comment.date[:10]}" if comment.date else ""
            anchor = f" (on '{_snippet(comment.anchor)}')" if comment.anchor.strip() else ""
            self.reporter.note(where, f"comment by {comment.author or 'an unnamed reviewer'}{date}:"
                                      f" {comment.text}{anchor}", Kind.DOCX_COMMENT)


def _anchor_offset(target: RenderedParagraph, anchor: str) -> int:
    """Where in the source the commented text begins (the paragraph's start if not found)."""
    at = target.text.find(anchor[:40]) if anchor.strip() else -1
    if at < 0:
        return target.start
    for span in target.spans:
        if at < len(span.text):
            return span.start + (at if span.kind == "text" else 0)
        at -= len(span.text)
    return target.start


def _without_page(value: str) -> str:
    """A contents entry without its page number, which Word and LibreOffice recompute."""
    return PAGE_AT_END.sub("", value).strip()


def _trim_ends(pieces: list[Piece], rendered: str) -> list[Piece]:
    """Spaces an edit left at the paragraph's ends (a deleted last sentence leaves one) are
    not text: they would only leave trailing blanks in the source."""
    out = list(pieces)
    while out and not out[-1].raw and out[-1].text != out[-1].text.rstrip() and not rendered[-1:].isspace():
        out[-1] = Piece(out[-1].text.rstrip(), generated=out[-1].generated)
        if not out[-1].text:
            out.pop()
    return out


def _snippet(value: str) -> str:
    value = " ".join(value.split())
    return value if len(value) <= SNIPPET else value[:SNIPPET - 1] + "…"
