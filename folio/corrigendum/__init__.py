"""`folio corrigendum`: the located, itemised corrections between an issued version of a
report (OLD) and the corrected one (NEW), as a UN corrigendum.

    items.py     OLD and NEW compared block by block; each change worded
    place.py     where a change is in OLD's pages ("Page 3, second full paragraph, line 4")
    pdflines.py  which words are on which line of OLD's PDF (its tagged structure)
    document.py  the corrigendum as Markdown, built by folio's own writers

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

__all__ = ["Corrigendum", "make"]


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
    from ..build import load
    new = load(project, reporter)
    new_text = project.source.read_text(encoding="utf-8")
    old = _load_old(project, old_text, reporter, old_name)
    day = day or dt.date.today()
    number = number or document.number_for(project.out_dir, old_text)
    if old.text == new.text:                 # nothing to place: no layout
        return Corrigendum(document.symbol(old, number), [], [], True)
    with _old_layout(project, old, old_text, reporter) as (layout, pdf, reused):
        lines = PageLines(pdf)
        try:
            items, unchanged = compare(old, new, Pages(old, layout, lines))
        finally:
            lines.close()
    result = Corrigendum(document.symbol(old, number), items, unchanged, reused)
    result.text = document.markdown(old, items, number, day)
    if write and items:                 # nothing to correct: no corrigendum
        result.outputs = document.build(project, result.text, reporter).outputs
        if all(out.ok for out in result.outputs) and not reporter.errors:
            document.record(project.out_dir, number, old_text, new_text, day)
    return result


def _load_old(project: Project, text: str, reporter: Reporter, name: str):
    """OLD's model. Its errors are told at OLD's name (the build names every revision after
    the source file); its warnings are the issued version's, not the corrigendum's."""
    from ..build import load
    own = Reporter(ignore=reporter.ignore)
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
        from ..writers.pdf_route import write_pdf
        self.folder = tempfile.TemporaryDirectory(prefix="folio-corrigendum-")
        where = Project(self.project.root, self.project.source, Path(self.folder.name), self.project.named)
        self.old.meta["print-edition"] = False
        write_pdf(self.old, where, self.reporter)
        built = pagemap.load(where.out_dir)
        if built is None:
            raise FolioError(self.project.shown(self.project.source))
        return built, where.out_dir / f"{self.project.name}.pdf", False

    def __exit__(self, *exc) -> None:
        if self.folder is not None:
            self.folder.cleanup()
