"""`folio corrigendum`: the located, itemised corrections between an issued version of a
report (OLD) and the corrected one (NEW), as a UN corrigendum.

    items.py     OLD and NEW compared block by block; each change worded
    place.py     where a change is in OLD's pages ("Page 3, second full paragraph, line 4")
    pdflines.py  which words are on which line of OLD's PDF (its tagged structure)
    document.py  the corrigendum as Markdown, built by folio's own writers
    languages.py the items of the language versions numbered alike

OLD is laid out once: the build folder's page map and PDF are used when they were made from
exactly OLD's text, else OLD's PDF is built in a temporary folder."""
from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..diagnostics import FolioError, Reporter
from ..layout import pagemap
from ..project import Project
from . import document
from .items import Item, Unchanged, compare
from .pdflines import PageLines
from .place import Pages

__all__ = ["Corrigendum", "make", "make_versions"]


@dataclass
class Corrigendum:
    symbol: str
    items: list[Item]
    unchanged: list[Unchanged]
    reused_layout: bool
    outputs: list = field(default_factory=list)      # the build's OutputResults
    text: str = ""                                   # the corrigendum's Markdown


def make(project: Project, old_text: str, reporter: Reporter, number: int | None = None,
         day: dt.date | None = None, write: bool = True, old_name: str = "") -> Corrigendum:
    """Compare OLD (old_text, named old_name in messages) with the project's source (NEW);
    write the corrigendum's editions unless write is False. FolioError after located errors in
    either version."""
    number = number or document.number_for(project.out_dir, old_text)
    old, new_text, items, unchanged, reused = _compared(project, old_text, reporter, old_name)
    return _finish(project, old, old_text, new_text, items, unchanged, reused, reporter, number, day, write)


def make_versions(projects: list[tuple[Project, str, str]], reporter: Reporter, number: int | None = None,
                  day: dt.date | None = None, write: bool = True) -> list[tuple[str, Corrigendum]]:
    """One corrigendum per language version: projects are (project, OLD's text, OLD's name),
    the original first. Each version's items are placed in its own old pages; the items are
    numbered alike in every version (languages.py), a change a version has not being "Not
    applicable to <language>" there. All carry the original's /Corr.N."""
    from .languages import NOWHERE, align
    number = number or document.number_for(projects[0][0].out_dir, projects[0][1])
    compared = [(project, old_text, *_compared(project, old_text, reporter, name))
                for project, old_text, name in projects]

    def not_applicable(tag: str) -> Item:
        doc = next(old for project, _t, old, *_rest in compared if project.version == tag)
        words = doc.terms.get("corrigendum", {})
        language = document.language_name(doc.meta.get("language", "en"))
        return Item(NOWHERE, words.get("not_applicable", "").format(language=language), how="not-applicable")

    aligned = align([(project.version, old, items) for project, _t, old, _n, items, *_rest in compared],
                    not_applicable)
    return [(project.version, _finish(project, old, old_text, new_text, aligned[project.version], unchanged,
                                      reused, reporter, number, day, write))
            for project, old_text, old, new_text, _items, unchanged, reused in compared]


def _compared(project: Project, old_text: str, reporter: Reporter, old_name: str):
    """(OLD's model, NEW's text, items, unchanged, reused layout): OLD laid out (or its layout
    reused) and compared with the project's source."""
    from ..build import load
    new = load(project, reporter)
    new_text = project.source.read_text(encoding="utf-8")
    old = _load_old(project, old_text, reporter, old_name)
    if old.text == new.text:                 # nothing to place: no layout
        return old, new_text, [], [], True
    with _old_layout(project, old, old_text, reporter) as (layout, pdf, reused):
        lines = PageLines(pdf)
        try:
            items, unchanged = compare(old, new, Pages(old, layout, lines))
        finally:
            lines.close()
    return old, new_text, items, unchanged, reused


def _finish(project, old, old_text, new_text, items, unchanged, reused, reporter, number, day, write) -> Corrigendum:
    """The corrigendum's Markdown, and its editions written (unless write is False) and recorded."""
    day = day or dt.date.today()
    result = Corrigendum(document.symbol(old, number), items, unchanged, reused)
    if not items:                        # nothing to correct: no corrigendum
        return result
    result.text = document.markdown(old, items, number, day)
    if write:
        result.outputs = document.build(project, result.text, reporter).outputs
        if all(out.ok for out in result.outputs) and not reporter.errors:
            document.record(project.out_dir, number, old_text, new_text, day)
    return result


def _load_old(project: Project, text: str, reporter: Reporter, name: str):
    """OLD's model. Its errors are told at OLD's name (the build names every revision after
    the source file); its warnings are the issued version's, not the corrigendum's."""
    from ..build import load
    # An old language version is held to its old original, not to the corrected one (which may
    # have a paragraph more that this version gains in its own corrected text).
    own = Reporter(ignore=reporter.ignore | ({"structure"} if project.original else set()))
    try:
        return load(project, own, text=text, glyphs=False)
    finally:
        shown = project.shown(project.source)
        reporter.extend(replace(m, location=replace(m.location, path=name or m.location.path))
                        if m.location.path == shown else m for m in own.errors)


class _old_layout:
    """(page map, PDF, reused) of OLD: the build folder's when made from exactly OLD's text,
    else laid out now in a temporary folder (removed afterwards)."""

    def __init__(self, project: Project, old, old_text: str, reporter: Reporter):
        self.project, self.old, self.text, self.reporter = project, old, old_text, reporter
        self.folder = None

    def __enter__(self):
        digest = hashlib.sha256(self.old.text.encode("utf-8")).hexdigest()
        built = pagemap.load(self.project.out_dir)
        pdf = self.project.out_dir / f"{self.project.name}.pdf"
        if built is not None and built.get("source_sha256") == digest and pdf.is_file():
            return built, pdf, True
        from ..writers.pdf import write_pdf
        self.folder = tempfile.TemporaryDirectory(prefix="folio-corrigendum-")
        where = replace(self.project, out_dir=Path(self.folder.name))
        self.old.meta["print-edition"] = False
        write_pdf(self.old, where, self.reporter)
        built = pagemap.load(where.out_dir)
        if built is None:
            raise FolioError(self.project.shown(self.project.source))
        return built, where.out_dir / f"{self.project.name}.pdf", False

    def __exit__(self, *exc) -> None:
        if self.folder is not None:
            self.folder.cleanup()
