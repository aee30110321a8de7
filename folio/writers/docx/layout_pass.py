"""Exact page numbers for the Word contents and page references, from LibreOffice's layout.

Word and LibreOffice lay a DOCX out themselves; the page numbers folio stores in its TOC and
PAGEREF fields must be theirs, not the PDF's. When LibreOffice is installed (the default
`docx-page-numbers: auto`), the DOCX is converted to PDF headless with its automatic blank
pages kept, the page of each heading is read from that PDF's outline and the number printed at
the foot of that page from its text, and the DOCX is written again with those numbers. The
result is cached by the DOCX's bytes (build/.folio/libreoffice/), so a rebuild with nothing
new costs nothing. Without LibreOffice, folio's estimate stands and one warning says so."""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from ... import model as m
from ... import progress, user_cache
from ...diagnostics import Kind, Location, Reporter
from ...files import write_atomic
from ...i18n import wording
from . import office

CACHE = ".folio/libreoffice"
KEEP_BLANKS = 'pdf:writer_pdf_Export:{"IsSkipEmptyPages":{"type":"boolean","value":"false"}}'
PRINTED = re.compile(r"^(?:[ivxlcdm]+|\d+)$")
FOOT = 0.12   # the bottom eighth of a page holds its footer


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def libreoffice_pages(docx: bytes, doc: m.Document, reporter: Reporter, out_dir: Path) -> dict | None:
    """{"labels": {id: printed page number}, "count": pages} as LibreOffice paginates the
    document (blank pages kept, as a printed Word file has them), or None."""
    # FOLIO_DOCX_PAGE_NUMBERS=estimate lets a test suite or a benchmark skip LibreOffice.
    setting = os.environ.get("FOLIO_DOCX_PAGE_NUMBERS") or doc.meta.get("docx-page-numbers", "auto")
    where = Location(doc.source)
    if setting == "estimate":
        return None
    program = soffice()
    if not program:
        reporter.warning(where, "LibreOffice is not installed: the Word contents and page references show"
                         " folio's estimated page numbers (Word corrects them when it updates fields)", Kind.RENDER)
        return None
    key = hashlib.sha256(docx).hexdigest()
    cached = out_dir / CACHE / f"{key}.json"
    try:
        layout = json.loads(cached.read_text(encoding="utf-8"))
        if isinstance(layout, dict) and isinstance(layout.get("labels"), dict):
            return layout            # (a cache of an older shape is laid out again)
    except (OSError, ValueError, RecursionError):
        pass
    progress.emit("docx", "LibreOffice's page-number pass")
    try:
        pages = _layout(program, docx, doc, out_dir)
    except (OSError, subprocess.SubprocessError, ValueError) as exc:
        reporter.warning(where, f"LibreOffice could not lay the DOCX out ({exc.__class__.__name__});"
                         " the contents shows folio's estimated page numbers", Kind.RENDER)
        return None
    _store(out_dir / CACHE, cached, pages)
    return pages


def _profile() -> Path:
    """LibreOffice's user profile, kept per user (its first start costs seconds): XDG's cache."""
    return user_cache.folder("libreoffice-profile")


def _layout(program: str, docx: bytes, doc: m.Document, out_dir: Path) -> dict:
    profile = _profile()
    with tempfile.TemporaryDirectory(prefix="folio-lo-") as tmp:
        source = Path(tmp) / "layout.docx"
        source.write_bytes(docx)
        pdf = Path(tmp) / "layout.pdf"
        # The project's LibreOffice kept alive between builds (office.py); else one started for this
        # conversion alone, with the per-user profile (the keeper has its own: two LibreOffices
        # sharing one profile hand their work to each other).
        if not (office.keep() and office.convert(out_dir, out_dir / office.FOLDER / "profile", source, pdf)):
            subprocess.run([program, "--headless", f"-env:UserInstallation={profile.resolve().as_uri()}",
                            "--convert-to", KEEP_BLANKS, "--outdir", tmp, str(source)],
                           capture_output=True, timeout=300, check=True, env={**os.environ, "HOME": tmp})
        printed = _printed_numbers(pdf)
        return {"labels": _labels(doc, _outline_pages(pdf), printed), "count": len(printed)}


def _store(folder: Path, path: Path, pages: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for old in sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime)[:-20]:
        old.unlink(missing_ok=True)                 # a bounded cache: the last twenty layouts
    write_atomic(path, json.dumps(pages, sort_keys=True).encode())


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


def _printed_numbers(pdf_path: Path) -> list[str]:
    """The number printed at the foot of each page ('' where there is none): the last page
    number among the words of the bottom eighth. pdfium reads it in ~2 ms a page where pypdf's
    extraction took ~45 (4.8 s of a 104-page Word file's 8 s layout pass)."""
    import pypdfium2 as pdfium

    numbers = []
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        for page in pdf:
            width, height = page.get_size()
            words = page.get_textpage().get_text_bounded(0, 0, width, height * FOOT).split()
            printed = [w for w in words if PRINTED.match(w)]
            numbers.append(printed[-1] if printed else "")
    finally:
        pdf.close()
    return numbers


def _labels(doc: m.Document, outline: list[tuple[str, int]], printed: list[str]) -> dict:
    """Contents entries matched to outline entries in order; each gets the number printed on
    the page LibreOffice put its heading on."""
    pages, position = {}, 0
    for entry in doc.contents:
        title = wording.heading_title(entry, doc.terms).casefold()
        for i in range(position, len(outline)):
            if outline[i][0].casefold().endswith(title):
                index = outline[i][1]
                if 0 <= index < len(printed) and printed[index]:
                    pages[entry.target] = printed[index]
                position = i + 1
                break
    return pages
