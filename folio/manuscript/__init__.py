"""`folio import MANUSCRIPT.docx DIR`: a new folio project whose source is a Word manuscript.

read.py walks the DOCX (python-docx for the package and styles, lxml for the body) into a
short list of blocks; markdown.py writes them as folio Markdown. What folio cannot represent
(text boxes, comments, pending tracked changes, fields, equations, SmartArt, headers that
change by section) is a located warning, never a silent loss.
"""
from __future__ import annotations

from pathlib import Path

from ..corrections.package import DocxError, Package
from ..diagnostics import FolioError, Kind, Location, Reporter
from ..new import new_project
from .markdown import to_markdown
from .read import read_manuscript


def import_manuscript(docx: Path, folder: Path, reporter: Reporter) -> list[Path]:
    """Make a project in folder from docx; the files written. A bad DOCX or a folder that is
    not new or empty is one located error (FolioError), and nothing is written."""
    try:
        with Package(docx):          # the safe checks (zip bomb, DTD, not a zip) come first
            pass
        manuscript = read_manuscript(docx, reporter)
    except DocxError as exc:
        reporter.error(Location(str(docx)), f"cannot import: {exc}", Kind.DOCX)
        raise FolioError(str(docx)) from None
    written = new_project(folder, reporter)
    source = folder / "source" / "report.md"
    for name, data in manuscript.images.items():
        target = source.parent / "images" / name
        target.parent.mkdir(exist_ok=True)
        target.write_bytes(data)
        written.append(target)
    source.write_text(to_markdown(manuscript), encoding="utf-8")
    return written
