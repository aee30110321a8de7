"""The lines of text each block shows on a page of a PDF folio wrote, read from the PDF itself.

The page map says on which pages, and between which of the page's lines, a block lies; which
words sit on which of those lines only the laid-out page knows. folio's PDF is tagged: every
block's structure element carries its stable id (a block continued on a later page: `id~2`), so
the characters of a block are those of the marked content under its element. pdfplumber reads
both; it is the one module that imports it."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

ROUND = 2.0  # points: characters whose tops are closer than this are on one line


@dataclass
class Line:
    text: str                      # the line's characters, left to right, spaces dropped
    chars: list = field(default_factory=list)


class PageLines:
    """The PDF's pages, opened once; lines(page, id) reads a page's structure on first use."""

    def __init__(self, pdf: Path):
        import pdfplumber
        self._pdf = pdfplumber.open(str(pdf))
        self._pages: dict[int, dict[str, list[Line]]] = {}

    def close(self) -> None:
        self._pdf.close()

    def lines(self, index: int, ident: str) -> list[Line]:
        """The lines of block `ident` on the page at `index`, top to bottom ([] if none)."""
        if index not in self._pages:
            self._pages[index] = _read_page(self._pdf.pages[index]) if index < len(self._pdf.pages) else {}
        return self._pages[index].get(ident, [])


    def text(self, index: int) -> str:
        """Everything printed on the page, spaces dropped."""
        return "".join(c["text"] for c in self._pdf.pages[index].chars if c["text"].strip())

    def holds(self, index: int, ident: str) -> bool:
        """Whether the page shows an element with this id (one the page map does not list)."""
        found: dict = {}
        for element in _structure(self._pdf.pages[index]):
            _owners(element, frozenset(), found)
        return any(ident in ids for ids in found.values())


def _read_page(page) -> dict[str, list[Line]]:
    owners: dict[int, set] = {}
    for element in _structure(page):
        _owners(element, frozenset(), owners)
    chars: dict[str, list] = {}
    for char in page.chars:
        if not char["text"].strip():
            continue
        for ident in owners.get(char.get("mcid"), ()):
            chars.setdefault(ident, []).append(char)
    return {ident: _lines(found) for ident, found in chars.items()}


def _structure(page) -> list:
    """The page's structure elements; none for a page whose structure pdfplumber cannot read
    (a page of no part, such as a blank one, has no entry in the parent tree)."""
    try:
        return page.structure_tree
    except Exception:  # noqa: BLE001 - pdfminer and pdfplumber raise assertions and their own errors
        return []


def _owners(element: dict, ids: frozenset, owners: dict) -> None:
    """mcid → every block id above it (a gap's span inside a paragraph belongs to both)."""
    ident = (element.get("id") or "").split("~")[0]
    ids = ids | {ident} if ident else ids
    for mcid in element.get("mcids") or ():
        owners.setdefault(mcid, set()).update(ids)
    for child in element.get("children") or ():
        _owners(child, ids, owners)


def _lines(chars: list) -> list[Line]:
    """Characters into lines. The block's own size sets the lines (tops within ROUND points are
    one line, as the page map counts them); a smaller character (a raised note number) joins
    the line its middle falls in, or the nearest one."""
    sizes = [round(c["size"], 1) for c in chars]
    main = max(set(sizes), key=sizes.count)
    tops: list[list] = []
    for char in sorted((c for c, s in zip(chars, sizes, strict=True) if s == main), key=lambda c: c["top"]):
        if not tops or char["top"] - tops[-1][0]["top"] > ROUND:
            tops.append([])
        tops[-1].append(char)
    for char, size in zip(chars, sizes, strict=True):
        if size != main:
            middle = (char["top"] + char["bottom"]) / 2
            min(tops, key=lambda line: abs((line[0]["top"] + line[0]["bottom"]) / 2 - middle)).append(char)
    out = []
    for line in tops:
        ordered = sorted(line, key=lambda c: c["x0"])
        out.append(Line("".join(c["text"] for c in ordered), ordered))
    return out
