"""The check that a language version has the structure of its original: the same chapters,
sections, numbered paragraphs, notes (called in the same paragraphs), tables and figures, with
the same labels, so that "paragraph 15 of A/TEST/2" and "table 2" are the same text in every
language. The first place where they part is named at the version's line.

An error, not a warning: a version that is published with a paragraph more or less cites and
is cited by other numbers than its original, and nothing downstream can repair that. A
translator part-way through says `--ignore structure` (or `ignore: [structure]` in the version's
front matter) until the text is complete.

Each document becomes a list of events in reading order; the lists are compared event by event,
and the first difference is described in the terms a translator counts in (paragraphs of a
chapter, the paragraph a note is called in)."""
from __future__ import annotations

from dataclasses import dataclass

from . import model as m
from .diagnostics import Kind, Location, Reporter
from .i18n import numerals
from .model.boxes import box_kind
from .model.walk import inline_lists, iter_blocks, iter_inlines

ANCHORS = ("chapter", "section", "subsection", "note", "table", "figure")
ENGLISH = ("upper-roman", "upper-latin", "decimal")       # how messages number headings


@dataclass(frozen=True)
class Event:
    kind: str            # chapter | section | subsection | para | note | table | figure
    key: tuple           # its number's path (a note: its number; a paragraph: its count)
    label: str
    loc: Location
    chapter: int         # index of the chapter it is in (0: before the first)
    para: int            # the running paragraph it is in or follows (0: none yet)

    def same(self, other: Event | None) -> bool:
        return other is not None and (self.kind, self.key, self.label) == (other.kind, other.key, other.label)

    @property
    def name(self) -> str:
        if self.kind in ("chapter", "section", "subsection"):
            number = m.Number(self.kind, self.key, styles=ENGLISH)
            return f"{self.kind} {numerals.full(number)}" if self.key else f"a {self.kind}"
        return f"{'paragraph' if self.kind == 'para' else self.kind} {self.key[0]}"


def outline(doc: m.Document) -> list[Event]:
    """The structural events of the body, in reading order."""
    events: list[Event] = []
    chapter = para = 0
    for part in (p for p in doc.parts if not p.front):
        running = {id(b) for b in _running(part.blocks)}
        if part.heading is not None:
            chapter += 1
            events.append(_heading(part.heading, chapter, para))
        for block in iter_blocks(part.blocks):
            if isinstance(block, m.Heading) and block.kind in ("section", "subsection"):
                events.append(_heading(block, chapter, para))
            elif id(block) in running:
                para += 1
                events.append(Event("para", (para,), block.label, block.loc, chapter, para))
            elif isinstance(block, (m.Table, m.Figure)) and block.number is not None:
                kind = "table" if isinstance(block, m.Table) else "figure"
                events.append(Event(kind, block.number.path, block.label, block.loc, chapter, para))
            events += [Event("note", node.number.path, "", node.loc if node.loc.line else block.loc, chapter, para)
                       for nodes in inline_lists(block) for node in iter_inlines(nodes)
                       if isinstance(node, m.FootnoteRef) and node.first and node.number is not None]
    return events


def _heading(heading: m.Heading, chapter: int, para: int) -> Event:
    key = heading.number.path if heading.number is not None else ()
    kind = heading.kind if heading.kind in ("chapter", "section", "subsection") else "chapter"
    return Event(kind, key, heading.label, heading.loc, chapter, para)


def _running(blocks):
    """A part's running paragraphs, as the numbering counts them (numbered or not)."""
    for block in blocks:
        if isinstance(block, m.Paragraph):
            yield block
        elif isinstance(block, m.Div) and not box_kind(block.classes):
            yield from _running(block.blocks)


def check_structure(version: m.Document, original: m.Document, reporter: Reporter) -> None:
    """One located error at the first place the version's structure parts from the original's."""
    ours, theirs = outline(version), outline(original)
    for index, (mine, other) in enumerate(zip(ours, theirs, strict=False)):
        if not mine.same(other):
            loc, text = _describe(ours, theirs, index, version, original)
            reporter.error(loc, text, Kind.STRUCTURE)
            return
    if len(ours) != len(theirs):
        loc, text = _describe(ours, theirs, min(len(ours), len(theirs)), version, original)
        reporter.error(loc, text, Kind.STRUCTURE)


def _describe(ours: list[Event], theirs: list[Event], index: int, version, original) -> tuple[Location, str]:
    mine = ours[index] if index < len(ours) else None
    other = theirs[index] if index < len(theirs) else None
    last = ours[index - 1] if index else None
    here = mine.loc if mine else (last.loc if last else Location(version.source, 1))
    chapter = (mine or last or other).chapter if (mine or last or other) else 0
    if mine and other and (mine.kind, mine.key) == (other.kind, other.key):
        return mine.loc, (f"{mine.name} is labelled '{mine.label or '(none)'}' here, '{other.label or '(none)'}'"
                          f" in the original ({other.loc}): a version keeps the original's labels")
    mine_chapters = sum(e.kind == "chapter" for e in ours)
    their_chapters = sum(e.kind == "chapter" for e in theirs)
    if mine_chapters > their_chapters and mine and mine.kind == "chapter":
        return mine.loc, (f"{mine.name} starts here, inside the original's {_chapter_name(theirs, mine.chapter - 1)}"
                          f" (after its paragraph {other.para if other else last.para if last else 0}):"
                          f" this version has {mine_chapters} chapters, the original {their_chapters}")
    if mine_chapters < their_chapters and other and other.kind == "chapter":
        return here, (f"the original's {other.name} ({other.loc}) starts here, after paragraph {other.para}:"
                      f" this version has {mine_chapters} chapters, the original {their_chapters}")
    counted = _paragraphs(ours, chapter), _paragraphs(theirs, chapter)
    if counted[0] != counted[1]:
        return here, (f"{_chapter_name(ours, chapter)} has {counted[0]} paragraphs, the original {counted[1]}"
                      f"{_where_they_part(ours, theirs, index)}")
    if "note" in (getattr(mine, "kind", ""), getattr(other, "kind", "")):
        return _note(ours, theirs, mine if mine and mine.kind == "note" else other, here)
    if mine is None:
        return here, f"the original goes on at {other.loc} with {other.name}, after this version's end"
    if other is None:
        return mine.loc, f"{mine.name} is not in the original, which ends before it"
    return mine.loc, (f"{mine.name} comes here after paragraph {mine.para}; the original has {other.name}"
                      f" there ({other.loc})")


def _note(ours, theirs, note: Event, here: Location) -> tuple[Location, str]:
    mine = next((e for e in ours if e.kind == "note" and e.key == note.key), None)
    other = next((e for e in theirs if e.kind == "note" and e.key == note.key), None)
    if mine is None:
        return here, (f"{note.name} of the original ({other.loc}, in paragraph {other.para}) is not called in"
                      " this version")
    if other is None:
        return mine.loc, f"{note.name} is called here; the original has no {note.name}"
    return mine.loc, (f"{note.name} is called in paragraph {mine.para} here, in paragraph {other.para} in the"
                      f" original ({other.loc})")


def _paragraphs(events: list[Event], chapter: int) -> int:
    return sum(e.kind == "para" and e.chapter == chapter for e in events)


def _chapter_event(events: list[Event], chapter: int) -> Event | None:
    return next((e for e in events if e.kind == "chapter" and e.chapter == chapter), None)


def _chapter_name(events: list[Event], chapter: int) -> str:
    event = _chapter_event(events, chapter)
    return event.name if event else "the text before the first chapter"


def _where_they_part(ours: list[Event], theirs: list[Event], index: int) -> str:
    """': section I.B follows paragraph 1 here, paragraph 2 in the original (report.md:20);
    the difference lies after note 1 (line 14)': between the last heading, note, table or
    figure both share and the first that one has and the other has not yet."""
    mine = ours[index] if index < len(ours) else None
    counterpart = next((e for e in theirs if mine is not None and e.same(mine)), None)
    text = ""
    if counterpart is not None and mine.kind != "para":
        text = (f": {mine.name} follows paragraph {mine.para} here, paragraph {counterpart.para} in the"
                f" original ({counterpart.loc})")
    anchor = next((e for e in reversed(ours[:index]) if e.kind in ANCHORS), None)
    if anchor is not None:
        text += f"{';' if text else ':'} the difference lies after {anchor.name} (line {anchor.loc.line})"
    return text


def check_language(version: m.Document, tag: str, reporter: Reporter) -> None:
    """A version's `language:`, if it writes one, is its file name's language (fr-CA in
    report.fr.md, not en): else the file would be published as what it is not."""
    line = version.meta.get("_lines", {}).get("language")
    written = version.meta.get("language", "")
    if line and written.split("-")[0].lower() != tag.split("-")[0].lower():
        reporter.error(Location(version.source, line), f"this language version is named for '{tag}' but its"
                       f" front matter says 'language: {written}': rename the file or correct the language",
                       Kind.FRONT_MATTER)


def check_symbol(version: m.Document, original_meta: dict, reporter: Reporter) -> None:
    """A version's own `symbol:` is not used: the document's symbol is its original's."""
    line = version.meta.get("_lines", {}).get("symbol")
    written = version.meta.get("_written-symbol", "")
    if line and written and written != original_meta.get("symbol", ""):
        reporter.warning(Location(version.source, line), f"the symbol of a language version is its"
                         f" original's ({original_meta.get('symbol') or 'none'}); '{written}' is not used",
                         Kind.STRUCTURE)
