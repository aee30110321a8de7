"""`folio where`: from a source line to the page and Word paragraph it became, and back.

Proof-readers mark pages; editors edit lines. The model gives each block's span and id, the
page map (build/.folio/pagemap.json) each id's pages and lines, and the Word file's own
source-map bookmarks each id's paragraphs."""
from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from . import model as m
from .i18n import numerals, wording
from .layout import pagemap
from .model.walk import iter_blocks

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
KIND_WORDS = {m.Heading: "heading", m.Paragraph: "paragraph", m.GapBlock: "gap", m.ListBlock: "list",
              m.BlockQuote: "quotation", m.CodeBlock: "code block", m.Rule: "rule", m.Table: "table",
              m.Figure: "figure", m.DefinitionList: "definition list", m.Div: "div"}


@dataclass
class Place:
    """Where one block is, in the source and in each edition built from it."""
    block: object
    context: str                                       # "para. 12, chapter V"
    pages: list = field(default_factory=list)          # [(label, sheet, first line, last line)]
    paragraphs: list = field(default_factory=list)     # 1-based indexes among the DOCX body's paragraphs


def blocks_with_context(doc: m.Document):
    """(block, 'chapter V, section A' …) for every block of the body, then of the notes."""
    for part in doc.parts:
        chain: dict[int, m.Heading] = {}
        for block in ([part.heading] if part.heading else []) + list(iter_blocks(part.blocks)):
            if isinstance(block, m.Heading):
                chain = {k: h for k, h in chain.items() if k < block.level}
                chain[block.level] = block
            yield block, _context(block, chain, doc.terms)
    for note in doc.footnote_order:
        for block in iter_blocks(note.blocks):
            yield block, f"note {numerals.own(note.number)}"


def _context(block, chain: dict, terms: dict) -> str:
    words = []
    if getattr(block, "number", None) is not None and not isinstance(block, m.Heading):
        words.append(wording.cited(terms, block.number.kind, numerals.full(block.number)))
    numbered = [h for _, h in sorted(chain.items()) if h.number is not None]
    if numbered:
        h = numbered[-1]
        words.append(wording.cited(terms, h.kind, numerals.full(h.number)) or f"{h.kind} {numerals.full(h.number)}")
    elif chain:
        words.append(next(iter(chain.values())).kind or "part")
    return ", ".join(words)


def at_line(doc: m.Document, line: int) -> list[tuple[object, str]]:
    """The innermost blocks whose span holds the line (one, unless blocks nest)."""
    found = [(b, c) for b, c in blocks_with_context(doc) if b.loc.line <= line <= b.loc.last_line]
    if not found:
        return []
    # The narrowest span; of equal ones the last, which is the innermost (parents come first).
    narrowest = min(b.loc.last_line - b.loc.line for b, _ in found)
    return [[(b, c) for b, c in found if b.loc.last_line - b.loc.line == narrowest][-1]]


def locate(doc: m.Document, out_dir: Path, docx_path: Path, blocks) -> tuple[list[Place], list[str]]:
    """Places of the given (block, context) pairs, and notes on what could not be told."""
    notes = []
    pages = pagemap.load(out_dir)
    source_hash = hashlib.sha256(doc.text.encode("utf-8")).hexdigest()
    if pages is None:
        notes.append("PDF: no page map (build the PDF first)")
    elif pages.get("source_sha256") != source_hash:
        notes.append("PDF: built from another revision of the source (build again for exact pages)")
    paragraphs = docx_paragraphs(docx_path)
    if paragraphs is None:
        notes.append("DOCX: no Word file (build it first)")
    places = []
    for block, context in blocks:
        place = Place(block, context)
        if pages is not None:
            labels = [p.get("label", "") for p in pages["pages"]]
            place.pages = [(labels[index], index + 1, first, last)
                           for index, first, last in pages.get("blocks", {}).get(block.id, [])]
        if paragraphs is not None:
            place.paragraphs = paragraphs.get(block.id, [])
        places.append(place)
    return places, notes


def docx_paragraphs(path: Path) -> dict[str, list[int]] | None:
    """block id → 1-based indexes of its paragraphs among the Word body's, from the file's own
    source map (its custom XML) and the hidden bookmarks it names."""
    from lxml import etree

    from .ooxml.sourcemap import bookmark_key, find_map

    try:
        with zipfile.ZipFile(path) as package:
            names = [n for n in package.namelist() if n.startswith("customXml/item") and n.endswith(".xml")]
            parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
            smap = find_map({n: etree.fromstring(package.read(n), parser) for n in names})
            body = etree.fromstring(package.read("word/document.xml"), parser).find(f"{W}body")
    except (OSError, KeyError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return None
    marks = {e.bookmark: e.block for e in smap.entries} if smap else {}
    found: dict[str, list[int]] = {}
    for index, p in enumerate(body.iter(f"{W}p"), start=1):
        for mark in p.iter(f"{W}bookmarkStart"):
            ident = marks.get(bookmark_key(mark.get(f"{W}name") or "") or "")
            if ident:
                found.setdefault(ident, []).append(index)
    return found


def on_page(doc: m.Document, out_dir: Path, label: str) -> tuple[list[tuple[object, int, int]], str]:
    """(block, first line, last line) of the blocks printed on the page with that label (or
    that sheet number, '#12'), innermost blocks only, and a note if the page is unknown."""
    pages = pagemap.load(out_dir)
    if pages is None:
        return [], "no page map: build the PDF first"
    labels = [p.get("label", "") for p in pages["pages"]]
    sheet = label[1:]           # '#12'; int() refuses 5,000 digits, and '²'
    numbered = label.startswith("#") and 0 < len(sheet) <= 9 and sheet.isascii() and sheet.isdigit()
    index = int(sheet) - 1 if numbered else \
        labels.index(label) if label in labels else -1
    if not 0 <= index < len(labels):
        return [], f"the PDF has no page '{label}' (pages {labels[0]}–{labels[-1]})" if labels else "no pages"
    order = {b.id: i for i, (b, _) in enumerate(blocks_with_context(doc))}
    by_id = {b.id: b for b, _ in blocks_with_context(doc)}
    hits = [(by_id[i], first, last) for i, spans in pages.get("blocks", {}).items() if i in by_id
            for page, first, last in spans if page == index]

    def holds(outer, inner) -> bool:       # parents come before their children in `order`
        return (outer is not inner and outer.loc.line <= inner.loc.line
                and inner.loc.last_line <= outer.loc.last_line and order[outer.id] < order[inner.id])

    # A list and its items are all on the page: name the items, not the list around them.
    innermost = [(b, f, last) for b, f, last in hits if not any(holds(b, o) for o, _, _ in hits)]
    note = "" if pages.get("source_sha256") == hashlib.sha256(doc.text.encode("utf-8")).hexdigest() else \
        "the PDF was built from another revision of the source: build again for exact lines"
    return sorted(innermost, key=lambda h: (h[1], h[0].loc.line)), note


def kind_word(block) -> str:
    return KIND_WORDS.get(type(block), "block")
