"""Proofs to look at: for every PDF page that changed between two builds, an image of the old
page and the new one side by side with the changed lines marked, and an index page listing
them (`folio diff OLD NEW --pages DIR`). What a proof-reader checks before a correction goes out.

Which pages changed is the change report's answer (changes.py: the page map's digest of each
page), so the images and the report name the same pages. Which lines changed on a page is read
from the two PDFs themselves: the text lines pdfium finds, compared in order (difflib), so a
word changed marks its line and the lines it reflows, and text pushed onto the next page marks
the lines it displaced there. pdfium renders the pages (pypdfium2), Pillow composes them."""
from __future__ import annotations

import difflib
import html
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import changes
from .diagnostics import Kind, Location, Reporter
from .files import write_atomic
from .layout import pagemap

DPI = 100                   # pixels per inch of the page images
GAP = 24                    # pixels between the old page and the new
MARK = (220, 0, 50)         # the frame around a changed line (no text is printed in it)
PAD = 3                     # pixels between a line and its frame
LINE_TOLERANCE = 2.0        # points: text runs whose middles are this close are one line
IMAGE = re.compile(r"page-\d+\.png")
WHAT = {"added": "a page the old build did not have", "removed": "a page the new build no longer has"}


@dataclass
class Line:
    text: str
    box: list = field(default_factory=list)   # [left, top, right, bottom] in points from the top-left


@dataclass
class ProofPage:
    index: int                  # the page's place in the PDF, from 0
    label: str                  # its printed number (the change report's name for it)
    image: str                  # file name in the proofs folder
    old_marked: int             # lines marked on the old page
    new_marked: int             # lines marked on the new page
    state: str = "changed"      # or "added" (no old page at this place), "removed" (no new one)


def pdf_of(folder: Path) -> Path | None:
    """The screen PDF of a build folder: named after the source its page map records."""
    data = pagemap.load(folder)
    source = str(data.get("source", "")) if data else ""
    named = folder / f"{Path(source).stem}.pdf" if source else None
    if named is not None and named.is_file():
        return named
    found = sorted(p for p in folder.glob("*.pdf") if not p.name.endswith("-print.pdf"))
    return found[0] if len(found) == 1 else None


def changed_indices(old_prints, new_prints) -> list[int]:
    """The places (from 0) of the pages the change report names, and of the pages the new
    build no longer has."""
    changed = [i for i, (_, digest) in enumerate(new_prints) if i >= len(old_prints) or old_prints[i][1] != digest]
    return changed + list(range(len(new_prints), len(old_prints)))


def write_proofs(old_dir: Path, new_dir: Path, out: Path, reporter: Reporter) -> list[ProofPage] | None:
    """Write the image of every changed page and index.html into out; None after an error."""
    old_prints, new_prints = changes.page_prints(old_dir, reporter), changes.page_prints(new_dir, reporter)
    pdfs = [pdf_of(old_dir), pdf_of(new_dir)]
    for folder, prints, pdf in ((old_dir, old_prints, pdfs[0]), (new_dir, new_prints, pdfs[1])):
        if prints is None or pdf is None:
            reporter.error(Location(str(folder)), "no PDF with its page map in this build folder: build the"
                           " PDF with folio first", Kind.FILE)
    if reporter.errors:
        return None
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        reporter.error(Location(str(out)), f"cannot write the proofs here: {exc.strerror or exc}", Kind.FILE)
        return None
    import pypdfium2 as pdfium
    old_pdf, new_pdf = pdfium.PdfDocument(pdfs[0]), pdfium.PdfDocument(pdfs[1])
    try:
        proofs = [_proof(old_pdf, new_pdf, index, _label(index, old_prints, new_prints), out)
                  for index in changed_indices(old_prints, new_prints)]
    finally:
        old_pdf.close()
        new_pdf.close()
    _remove_stale(out, {p.image for p in proofs})
    write_atomic(out / "index.html", index_page(proofs, old_dir, new_dir).encode("utf-8"))
    return proofs


def _label(index: int, old_prints, new_prints) -> str:
    return (new_prints[index] if index < len(new_prints) else old_prints[index])[0] or str(index + 1)


def _proof(old_pdf, new_pdf, index: int, label: str, out: Path) -> ProofPage:
    old = _page(old_pdf, index)
    new = _page(new_pdf, index)
    old_marks, new_marks = changed_lines(old[1] if old else [], new[1] if new else [])
    image = compose(old[0] if old else None, new[0] if new else None,
                    frames(old[1], old_marks) if old else [], frames(new[1], new_marks) if new else [])
    from PIL import Image
    name = f"page-{index + 1:03d}.png"
    buffer = io.BytesIO()
    # 64 colours keep the text's anti-aliasing, the cover's blue and the frames, and make the
    # file a third of the size in a sixth of the time of an optimized full-colour PNG
    image.quantize(colors=64, method=Image.Quantize.FASTOCTREE).save(buffer, format="PNG")
    write_atomic(out / name, buffer.getvalue())
    state = "changed" if old and new else ("added" if new else "removed")
    return ProofPage(index, label, name, len(old_marks), len(new_marks), state)


def _page(pdf, index: int):
    """(the page's image, its text lines), or None if the PDF has no such page."""
    if index >= len(pdf):
        return None
    page = pdf[index]
    try:
        image = page.render(scale=DPI / 72).to_pil().convert("RGB")
        lines = text_lines(page)
    finally:
        page.close()
    return image, lines


def text_lines(page) -> list[Line]:
    """The page's lines of text, top to bottom: pdfium's text runs, those side by side (table
    cells, a list marker and its item) joined into one line as a corrigendum counts lines."""
    textpage = page.get_textpage()
    height = page.get_height()
    runs = []
    try:
        for i in range(textpage.count_rects()):
            left, bottom, right, top = textpage.get_rect(i)
            text = " ".join(textpage.get_text_bounded(left, bottom, right, top).split())
            if text:
                runs.append((height - top, height - bottom, left, right, text))
    finally:
        textpage.close()
    lines: list[Line] = []
    for top, bottom, left, right, text in sorted(runs, key=lambda r: ((r[0] + r[1]) / 2, r[2])):
        middle = (top + bottom) / 2
        last = lines[-1] if lines else None
        if last is not None and abs((last.box[1] + last.box[3]) / 2 - middle) <= LINE_TOLERANCE:
            last.text += " " + text
            last.box = [min(last.box[0], left), min(last.box[1], top), max(last.box[2], right),
                        max(last.box[3], bottom)]
        else:
            lines.append(Line(text, [left, top, right, bottom]))
    return lines


def changed_lines(old: list[Line], new: list[Line]) -> tuple[list[int], list[int]]:
    """The places of the old lines and of the new lines that are not the same text in the same
    order on both pages."""
    matcher = difflib.SequenceMatcher(None, [line.text for line in old], [line.text for line in new],
                                      autojunk=False)
    old_marks, new_marks = [], []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            old_marks += range(i1, i2)
            new_marks += range(j1, j2)
    return old_marks, new_marks


def frames(lines: list[Line], marks: list[int]) -> list[list[float]]:
    """One frame around each run of consecutive changed lines (a reflowed paragraph is one
    block to read, not a stack of boxes)."""
    out: list[list[float]] = []
    previous = None
    for index in marks:
        box = lines[index].box
        if previous is not None and index == previous + 1:
            last = out[-1]
            out[-1] = [min(last[0], box[0]), last[1], max(last[2], box[2]), max(last[3], box[3])]
        else:
            out.append(list(box))
        previous = index
    return out


def compose(old, new, old_boxes: list, new_boxes: list):
    """The old page and the new side by side (a missing one left white), each changed line
    framed."""
    from PIL import Image, ImageDraw

    width = max(page.size[0] for page in (old, new) if page is not None)
    height = max(page.size[1] for page in (old, new) if page is not None)
    sheet = Image.new("RGB", (width * 2 + GAP, height), "white")
    for offset, page, boxes in ((0, old, old_boxes), (width + GAP, new, new_boxes)):
        if page is not None:
            sheet.paste(page, (offset, 0))
        draw = ImageDraw.Draw(sheet)
        for left, top, right, bottom in boxes:
            scale = DPI / 72
            draw.rectangle([offset + left * scale - PAD, top * scale - PAD, offset + right * scale + PAD,
                            bottom * scale + PAD], outline=MARK, width=2)
    return sheet


def _remove_stale(out: Path, kept: set) -> None:
    """Images of an earlier run for pages that no longer changed: else the folder names them."""
    for path in out.iterdir():
        if IMAGE.fullmatch(path.name) and path.name not in kept:
            path.unlink()


def index_page(proofs: list[ProofPage], old_dir: Path, new_dir: Path) -> str:
    items = "\n".join(
        f'<li><h2>Page {html.escape(p.label)} <small>(sheet {p.index + 1}'
        f'{"" if p.state == "changed" else ", " + WHAT[p.state]})</small></h2>\n'
        f'<p>{p.old_marked} line(s) marked on the old page, {p.new_marked} on the new.</p>\n'
        f'<a href="{p.image}"><img src="{p.image}" alt="Page {html.escape(p.label)}: the old page on the left,'
        f' the new page on the right, the changed lines framed" style="max-width: 100%"></a></li>'
        for p in proofs)
    body = f"<ol>\n{items}\n</ol>" if proofs else "<p>No page changed.</p>"
    title = "Pages to read again"
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>{title}</title>\n'
            f'<style>body {{ font-family: sans-serif; margin: 1rem; }} ol {{ list-style: none; padding: 0; }}'
            f' h2 {{ font-size: 1.1rem; }} img {{ border: 1px solid #999; }}</style>\n</head>\n<body>\n'
            f'<h1>{title}</h1>\n<p>Old: {html.escape(str(old_dir))} (left) — new: {html.escape(str(new_dir))}'
            f' (right). Changed lines are framed in red.</p>\n{body}\n</body>\n</html>\n')
