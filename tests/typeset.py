"""A PDF's lines of running text read back as a typesetter measures them: from the characters'
positions (pdfplumber), each line's words, the spaces between them and where it ends, and
whether its paragraph ends there.

Where paragraphs end comes from the page map folio writes beside the PDF
(build/.folio/pagemap.json: every block's lines on every page, counted top to bottom as a
corrigendum counts them); the lines are counted here the same way from the characters, and a
page whose count differs is an error, not a guess. The model says which blocks are running
text (paragraphs, list items, notes), so tables and headings are left out."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
from conftest import ROOT
from pdfminer.pdftypes import resolve1

from folio import model as m
from folio.build import load
from folio.diagnostics import Reporter
from folio.model.walk import document_blocks, iter_blocks
from folio.project import Project

MARGIN = 70       # pt: running heads and page numbers sit in the 1 in margins, outside this
SAME_LINE = 5     # pt: a superscript note call is on its line's baseline within this
WORD_GAP = 1.0    # pt: characters further apart than this (and no space between) are two words
RUNNING = (m.Paragraph, m.ListItem)                     # lines of these are running text,
SET_APART = (m.Heading, m.Table, m.CodeBlock, m.Figure)  # unless they are inside one of these
HYPHENS = "\u2010-"
MARKER = re.compile(r"^(\d+\.|\([a-z]+\)|[a-z]\.|[•–◦▪-])$")


@dataclass
class Line:
    page: int            # index in the PDF
    number: int          # 1, 2, … on its page, as the page map counts
    chars: list
    block: str           # the id of the paragraph (or list item) it belongs to
    ends_paragraph: bool
    ends_body: bool      # the last line of the page's body text (notes follow it)
    right: float         # the right edge of the page's text block (pt)
    left: float

    @property
    def text(self) -> str:
        return "".join(c["text"] for c in self.chars)

    @property
    def end(self) -> float:
        return max(c["x1"] for c in self.chars)

    def spaces(self) -> list[float]:
        """Each word space in em of the text beside it."""
        words = _words(self.chars)
        if words and MARKER.match("".join(c["text"] for c in words[0])):
            words = words[1:]       # a paragraph's number or an item's marker: set in a column
        return [(b[0]["x0"] - a[-1]["x1"]) / max(c["size"] for c in a[-1:] + b[:1])
                for a, b in zip(words, words[1:], strict=False)]

    @property
    def hyphenated(self) -> bool:
        text = self.text.rstrip()
        return len(text) > 1 and text[-1] in HYPHENS and text[-2].isalpha()


def running_lines(source: Path, pdf_path: Path) -> list[Line]:
    """Every line of running text in a PDF of source (screen or print edition), built into
    the folder the PDF is in. Read once per process for each file as it is (the long
    report's takes minutes, and test_justification and test_hyphenation ask more than once)."""
    files = [source, pdf_path, pdf_path.parent / ".folio" / "pagemap.json"]
    key = tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files)
    if key not in _READ:
        while len(_READ) >= 2:                 # the two editions of one report: the characters
            del _READ[next(iter(_READ))]       # of a long one are hundreds of MB
        _READ[key] = _running_lines(source, pdf_path)
    return list(_READ[key])


_READ: dict = {}


def _running_lines(source: Path, pdf_path: Path) -> list[Line]:
    out = pdf_path.parent
    spans = _block_lines(source, json.loads((out / ".folio" / "pagemap.json").read_text(encoding="utf-8")))
    found = []
    with pdfplumber.open(pdf_path) as pdf:
        screen = _screen_pages(pdf, out / f"{source.stem}.pdf")
        for index, page in enumerate(pdf.pages):
            at = screen.get(index)
            facts = spans.get(at)
            if facts is None:
                continue
            lines = page_lines(page)
            assert len(lines) == facts["count"], (pdf_path.name, index, len(lines), facts["count"])
            left = min(c["x0"] for line in lines for c in line)
            right = max(c["x1"] for line in lines for c in line)
            body_end = max(set(range(1, len(lines) + 1)) - facts["notes"], default=0)
            for number, chars in enumerate(lines, 1):
                if number in facts["running"] and number not in facts["other"]:
                    found.append(Line(index, number, chars, facts["running"][number], number in facts["ends"],
                                      number == body_end, right, left))
    return found


def page_lines(page) -> list[list[dict]]:
    """The characters inside the margins, as lines top to bottom, each left to right."""
    _, top, _, bottom = trim_box(page)
    chars = sorted((c for c in page.chars if top + MARGIN < c["top"] and c["bottom"] < bottom - MARGIN),
                   key=lambda c: c["bottom"])
    lines: list[tuple[float, list]] = []
    for c in chars:
        if lines and c["bottom"] - lines[-1][0] <= SAME_LINE:
            lines[-1][1].append(c)
        else:
            lines.append((c["bottom"], [c]))
    return [sorted(chars, key=lambda c: c["x0"]) for _, chars in lines]


def trim_box(page) -> tuple[float, float, float, float]:
    """(x0, top, x1, bottom) of the page's TrimBox (the print edition keeps a bleed round it)."""
    box = resolve1(page.page_obj.attrs.get("TrimBox")) or page.page_obj.mediabox
    x0, y0, x1, y1 = (float(resolve1(v)) for v in box)
    top = page.bbox[1] + float(page.page_obj.mediabox[3])   # pdfplumber's top of y = 0
    return x0, top - y1, x1, top - y0


def _block_lines(source: Path, pagemap: dict) -> dict:
    """{screen page index: {count, running: {line: block id}, other, notes, ends}} from the
    page map and the model (a line of nested blocks belongs to the innermost)."""
    doc = load(Project.for_source(source, root=ROOT), Reporter())
    blocks = {b.id: b for b in document_blocks(doc) if getattr(b, "id", "")}
    in_notes = {b.id for note in doc.footnotes.values() for b in iter_blocks(note.blocks) if getattr(b, "id", "")}
    pages: dict[int, dict] = {}
    nested = sorted(pagemap["blocks"].items(), key=lambda item: -sum(z - a for _, a, z in item[1]))
    for ident, entries in nested:                       # outer blocks first, inner ones overwrite
        for k, (page, first, last) in enumerate(entries):
            facts = pages.setdefault(page, {"count": pagemap["pages"][page]["lines"], "running": {},
                                            "other": set(), "notes": set(), "ends": set()})
            lines = range(first, last + 1)
            if isinstance(blocks.get(ident), RUNNING):
                facts["running"].update(dict.fromkeys(lines, ident))
            elif isinstance(blocks.get(ident), SET_APART):
                facts["other"].update(lines)
            if ident in in_notes:
                facts["notes"].update(lines)
            if k == len(entries) - 1:
                facts["ends"].add(last)
    return pages


def _screen_pages(pdf, screen_path: Path) -> dict[int, int]:
    """{page index in this PDF: the screen edition's index of the same page}: the print
    edition may add blank pages, so pages are matched by their text."""
    if Path(pdf.stream.name).resolve() == screen_path.resolve():
        return {i: i for i in range(len(pdf.pages))}
    with pdfplumber.open(screen_path) as screen:
        by_text = {_page_text(p): i for i, p in enumerate(screen.pages)}
    return {i: by_text[t] for i, p in enumerate(pdf.pages) if (t := _page_text(p)) and t in by_text}


def _page_text(page) -> str:
    return "".join(c["text"] for line in page_lines(page) for c in line)


def _words(chars: list) -> list[list]:
    words: list[list] = [[]]
    for c in chars:
        if c["text"].isspace() or (words[-1] and c["x0"] - words[-1][-1]["x1"] > WORD_GAP):
            words.append([])
        if not c["text"].isspace():
            words[-1].append(c)
    return [w for w in words if w]
