"""Bringing an editor's Word corrections back into the Markdown source (`folio import-docx`).

Not a reader of sources (it makes edits against one), so it sits beside the build: it loads
the source as the build does (build.load), takes what the Word file showed for each source
paragraph from the DOCX writer's paragraph plan (writers/docx/plan.py), and shares the OOXML
names, paragraph ids and source-map format with the writer through folio/ooxml/. It imports
nothing from readers/.

    package.py     the zip and its XML, read as hostile input
    revisions.py   paragraphs with tracked changes, fields, notes, comments (records.py)
    views.py       accepted / rejected / CriticMarkup text of a paragraph
    units.py       paragraphs grouped as they were before the edit
    match.py       edited paragraph → source paragraph
    spans.py       the model's side of the interface: rendered spans with source offsets
    projection.py  an edit of rendered text → the smallest edit of the source
    diff.py        alignment in bounded time (projection, merge, matching)
    escape.py      text typed in Word as Markdown that reads back as that text
    importer.py    all of it, for one source revision
    merge.py       three-way merge when the source moved on since the DOCX was built
    output.py      diff, summary, review file
    viewer.py      the source view: the model, loaded as the build loads it, laid out by the
                   DOCX writer's paragraph plan (model_view.py)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import FolioError, Kind, Location, Reporter
from ..ooxml.sourcemap import digest, find_map
from .importer import import_edits
from .merge import merge3
from .output import apply_edits, review_file, summary, unified_diff
from .package import DocxError, Limits, Package
from .revisions import read_document
from .views import ACCEPT, MODES

__all__ = ["MODES", "Outcome", "import_docx"]


@dataclass
class Outcome:
    source: str                # the source as it is now
    result: str                # the source with the corrections
    diff: str
    summary: str
    review: str                # the comments, as a review file
    conflicts: list = field(default_factory=list)
    matches: list = field(default_factory=list)   # one line per Word paragraph: where it went, how

    @property
    def changed(self) -> bool:
        return self.result != self.source


def import_docx(docx: Path, source_text: str, shown: str, reporter: Reporter, mode: str = ACCEPT,
                base_text: str | None = None, docx_shown: str | None = None, viewer=None,
                limits: Limits | None = None, project=None) -> Outcome:
    """The corrections of an edited DOCX as a new source text; problems go to the reporter.
    Raises FolioError (after reporting) when the file cannot be read or the base is unknown."""
    from .viewer import source_view
    viewer = viewer or (lambda text, shown_, word, rep: source_view(text, shown_, word, rep, project))
    where = Location(docx_shown or str(docx))
    try:
        with Package(docx, limits or Limits()) as pkg:
            word = read_document(pkg)
    except DocxError as exc:
        reporter.error(where, str(exc), Kind.DOCX)
        raise FolioError(str(docx)) from None
    smap = find_map(word.custom_parts)
    base = _base(smap, source_text, base_text, where, reporter)
    result = import_edits(word, viewer(base, shown, word, reporter), reporter, mode, smap)
    _report_matching(result.matching, smap, where, reporter)
    theirs = apply_edits(base, result.edits)
    merged = merge3(base, source_text, theirs) if base != source_text else None
    new = merged.text if merged else theirs
    for conflict in merged.conflicts if merged else []:
        reporter.error(Location(shown, conflict.line), "the source and the Word file changed the same"
                       " paragraph differently: both versions are kept between conflict markers", Kind.DOCX_CONFLICT)
    conflicts = merged.conflicts if merged else []
    line = summary(result.changes, result.paragraphs, len(result.comments), result.unplaced, len(conflicts))
    return Outcome(source_text, new, unified_diff(source_text, new, shown), line,
                   review_file(shown, Path(docx).name, result.comments), conflicts,
                   _match_lines(result.matching, shown))


def _match_lines(matching, shown: str) -> list[str]:
    """'source/report.md:42: bookmark: The meeting was…' for each paragraph of the Word file."""
    out = []
    for m in matching.matches:
        words = " ".join(m.unit.original.split())
        if not words:
            continue
        target = m.target
        where = f"{shown}:{target.line}" if target is not None and target.line else "(not in the source)"
        how = {"": "not found", "text": f"text {m.score:.2f}"}.get(m.how, m.how)
        kind = " (generated)" if target is not None and target.kind == "generated" else ""
        out.append(f"{where}: {how}{kind}: {words[:50] + '…' if len(words) > 50 else words}")
    return out


def _base(smap, now: str, given: str | None, where: Location, reporter: Reporter) -> str:
    """The source revision the DOCX was built from: the one it records, if it is not today's."""
    if smap is None or not smap.revision or smap.revision == digest(now):
        return now
    if given is not None and digest(given) == smap.revision:
        return given
    if smap.source is not None and digest(smap.source) == smap.revision:
        return smap.source
    reporter.error(where, f"the source changed since this Word file was built (from revision"
                   f" {smap.revision[:12]}), and the file does not carry that revision: give it with --base FILE",
                   Kind.DOCX)
    raise FolioError(str(where))


def _report_matching(matching, smap, where: Location, reporter: Reporter) -> None:
    counts = matching.counts
    if smap is None:
        reporter.warning(where, "this Word file carries no folio source map (not made by this folio):"
                         f" {counts.get('text', 0)} paragraphs matched by their text, confidence"
                         f" {matching.confidence:.2f}, {matching.coverage:.0%} of the text found", Kind.DOCX_MATCH)
    else:
        if matching.mislabelled:
            reporter.warning(where, f"the source map gives {matching.mislabelled} paragraph(s) the id of another"
                             " (their text is another paragraph's): they were matched by their text instead",
                             Kind.DOCX_MATCH)
        lost = sum(1 for m in matching.matches if m.how == "text" and m.target.kind != "generated")
        if lost:
            reporter.note(where, f"{lost} paragraphs had lost their ids and were matched by their text"
                          f" (confidence {matching.confidence:.2f})", Kind.DOCX_MATCH)
