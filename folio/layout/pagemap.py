"""The page map: for every block id, the pages it occupies and its lines there.

Lines are counted as a UN corrigendum counts them: the lines of text on the page, top to
bottom, running heads and page numbers left out; lines side by side (table cells, a list
marker beside its item) are one line; footnote lines follow the body's. Read from
WeasyPrint's laid-out boxes, so it costs one walk of the page tree and no second layout."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..files import write_atomic

PAGEMAP = ".folio/pagemap.json"
ROUND = 2.0  # points: lines closer than this are one line (cells of one row)


def page_entry(page_box, label: str, ids: frozenset) -> tuple[dict, dict]:
    """(page facts, {id: [first line, last line]}) for one laid-out page."""
    count, spans, text = page_lines(page_box, ids)
    return {"label": label, "lines": count, "text": text_digest(text)}, spans


def page_lines(page_box, ids: frozenset) -> tuple[int, dict, str]:
    """(lines on the page, {id: [first line, last line]}, the page's text): page_entry's walk,
    for a page whose margin boxes are laid out apart (the chunked PDF's frames) and whose text
    digest is made once both are known."""
    lines: list[tuple[float, tuple]] = []
    text: list[str] = []
    _walk(page_box, (), ids, lines, text)
    last_y, count = None, 0
    spans: dict[str, list[int]] = {}
    for y, owners in sorted(lines, key=lambda item: item[0]):
        if last_y is None or y - last_y > ROUND:
            count += 1
            last_y = y
        for owner in owners:
            span = spans.setdefault(owner, [count, count])
            span[1] = count
    return count, spans, "".join(text)


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _walk(box, owners: tuple, ids: frozenset, lines: list, text: list) -> None:
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.MarginBox):
        text.extend(_texts(box))          # a page number is text that changes; not a line
        return
    element = box.element
    ident = element.get("id") if element is not None and box.element_tag and ":" not in box.element_tag else None
    if ident in ids and (not owners or owners[-1] != ident):
        owners = owners + (ident,)
    if isinstance(box, boxes.LineBox):
        line_text = _texts(box)
        if "".join(line_text).strip():
            lines.append((box.position_y, owners))
            text.extend(line_text)
        return
    for child in getattr(box, "children", ()):
        _walk(child, owners, ids, lines, text)


def first_line_owners(page_box, ids: frozenset) -> frozenset:
    """The ids the top line of text on a page belongs to (running heads left out)."""
    lines: list[tuple[float, tuple, str]] = []
    _walk_lines(page_box, (), ids, lines)
    lines = [line for line in lines if line[2].strip()]
    return frozenset(min(lines, key=lambda line: line[0])[1]) if lines else frozenset()


def _walk_lines(box, owners: tuple, ids: frozenset, lines: list) -> None:
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.MarginBox):
        return
    element = box.element
    ident = element.get("id") if element is not None and box.element_tag and ":" not in box.element_tag else None
    if ident in ids:
        owners = owners + (ident,)
    if isinstance(box, boxes.LineBox):
        lines.append((box.position_y, owners, "".join(_texts(box))))
        return
    for child in getattr(box, "children", ()):
        _walk_lines(child, owners, ids, lines)


def _texts(box) -> list[str]:
    return [b.text for b in box.descendants() if isinstance(getattr(b, "text", None), str)]


def build(pages, labels: list[str], ids: frozenset, source: str, source_sha256: str) -> dict:
    """The whole map from WeasyPrint's pages and their printed labels."""
    facts, blocks = [], {}
    for index, (page, label) in enumerate(zip(pages, labels, strict=True)):
        entry, spans = page_entry(page._page_box, label, ids)
        facts.append(entry)
        for ident, (first, last) in spans.items():
            blocks.setdefault(ident, []).append([index, first, last])
    return {"source": source, "source_sha256": source_sha256, "pages": facts, "blocks": blocks}


def save(out_dir: Path, data: dict) -> None:
    write_atomic(out_dir / PAGEMAP, json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def load(out_dir: Path) -> dict | None:
    try:
        data = json.loads((out_dir / PAGEMAP).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("pages"), list) else None
