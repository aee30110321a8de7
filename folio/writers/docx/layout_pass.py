"""Exact page numbers for the DOCX's contents, from LibreOffice's own layout (opt-in).

`docx-page-numbers: libreoffice` in the front matter: the DOCX is converted to PDF by
LibreOffice headless, the headings' pages are read from that PDF's outline, and the DOCX is
written again with those numbers in its TOC and PAGEREF results. Costs a LibreOffice start
(a few seconds), so the default stays folio's estimate."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ... import model as m
from ...diagnostics import Kind, Location, Reporter


def libreoffice_pages(docx: bytes, doc: m.Document, reporter: Reporter) -> dict | None:
    """{heading id: page label} as LibreOffice paginates the document, or None."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    where = Location(doc.source)
    if not soffice:
        reporter.warning(where, "docx-page-numbers is 'libreoffice' but LibreOffice is not installed;"
                         " the contents shows folio's estimated page numbers", Kind.RENDER)
        return None
    with tempfile.TemporaryDirectory(prefix="folio-lo-") as tmp:
        source = Path(tmp) / "layout.docx"
        source.write_bytes(docx)
        try:
            subprocess.run([soffice, "--headless", f"-env:UserInstallation={Path(tmp, 'profile').as_uri()}",
                            "--convert-to", "pdf", "--outdir", tmp, str(source)],
                           capture_output=True, timeout=180, check=True,
                           env={**os.environ, "HOME": tmp})
            outline = _outline_pages(Path(tmp) / "layout.pdf")
        except (OSError, subprocess.SubprocessError, ValueError) as exc:
            reporter.warning(where, f"LibreOffice could not lay the DOCX out ({exc.__class__.__name__});"
                             " the contents shows folio's estimated page numbers", Kind.RENDER)
            return None
    return _labels(doc, outline)


def _outline_pages(pdf_path: Path) -> list[tuple[str, int]]:
    """(title, page index) of every outline entry, in document order."""
    import pikepdf

    found = []
    with pikepdf.open(pdf_path) as pdf:
        index = {page.objgen: i for i, page in enumerate(pdf.pages)}
        with pdf.open_outline() as outline:
            stack = list(reversed(outline.root))
            while stack:
                item = stack.pop()
                dest = item.destination if item.destination is not None else (item.action or {}).get("/D")
                if isinstance(dest, pikepdf.Array) and len(dest):
                    found.append((str(item.title), index.get(dest[0].objgen, -1)))
                stack.extend(reversed(item.children))
    return found


def _labels(doc: m.Document, outline: list[tuple[str, int]]) -> dict:
    """Match contents entries to outline entries in order; number the body from its first page.

    LibreOffice leaves the blank pages of odd-page breaks out of its PDF, so only the body
    (whose chapters start with plain page breaks) can be counted from the PDF; front-matter
    entries keep their estimates (their place is fixed: each front part on a right-hand page)."""
    pages, position = {}, 0
    for entry in doc.contents:
        for i in range(position, len(outline)):
            if outline[i][0].casefold().endswith(entry.title.casefold()):
                pages[entry.target] = outline[i][1]
                position = i + 1
                break
    body = [e.target for e in doc.contents if not e.front and e.target in pages]
    if not body:
        return {}
    first = pages[body[0]]
    return {target: str(index - first + 1) for target, index in pages.items()
            if target in body and index >= first}

