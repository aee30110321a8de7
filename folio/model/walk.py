"""Helpers to visit the model: every block, every inline list, in reading order."""
from __future__ import annotations

from . import nodes as m


def iter_blocks(blocks):
    """Every block, depth first, including those inside lists and quotes."""
    for block in blocks:
        yield block
        if isinstance(block, m.ListBlock):
            for item in block.items:
                yield from iter_blocks(item.blocks)
        elif isinstance(block, (m.BlockQuote, m.Div)):
            yield from iter_blocks(block.blocks)
        elif isinstance(block, m.DefinitionList):
            for item in block.items:
                for definition in item.definitions:
                    yield from iter_blocks(definition)
        elif isinstance(block, m.Table):
            for row in block.head + block.body:
                for cell in row:
                    yield from iter_blocks(cell.blocks)


def inline_lists(block):
    """The inline lists a block holds (text of paragraphs, cells, captions)."""
    if isinstance(block, (m.Paragraph, m.Heading)):
        yield block.children
    elif isinstance(block, m.Table):
        for row in block.head + block.body:
            for cell in row:
                yield cell.children
        yield block.caption
    elif isinstance(block, m.Figure):
        yield block.caption
    elif isinstance(block, m.DefinitionList):
        for item in block.items:
            yield item.term
    elif isinstance(block, m.Div):
        yield block.title


def document_inline_lists(doc: m.Document, headings: bool = True):
    """(location, inline list) for all text in reading order: body, then footnotes in call order."""
    for block in iter_blocks(doc.blocks):
        if headings or not isinstance(block, m.Heading):
            for nodes in inline_lists(block):
                yield block.loc, nodes
    for note in doc.footnote_order or doc.footnotes.values():
        for block in iter_blocks(note.blocks):
            for nodes in inline_lists(block):
                yield block.loc, nodes


def iter_inlines(nodes):
    for node in nodes:
        yield node
        if isinstance(node, (m.Emph, m.Strong, m.Superscript, m.Subscript, m.Link, m.Cited)):
            yield from iter_inlines(node.children)


def document_blocks(doc: m.Document):
    """The body's blocks, then each footnote's, in source order (nested blocks included)."""
    yield from iter_blocks(doc.blocks)
    for note in doc.footnotes.values():
        yield from iter_blocks(note.blocks)


def body_breaks(regions: list) -> bool:
    """Whether the composition's body chapters open pages (where a layout may be cut), or all
    run on after the first."""
    body = [r for r in regions if r.kind == "part" and not r.front]
    return any(r.opens != "continue" for r in body[1:])


def note_guests(doc: m.Document) -> dict[str, list]:
    """label of a note called from the text -> the notes first called from its text or its
    guests' (transitively), in number order: the editions set them after it, in its note area
    (Word has no note inside a note, and the print nested floats only so deep)."""
    root: dict[str, str] = {}
    guests: dict[str, list] = {}
    for note in doc.footnote_order:     # a host is numbered before the notes it calls
        root[note.label] = root.get(note.host, note.host) if note.host else note.label
        if note.host:
            guests.setdefault(root[note.label], []).append(note)
    return guests
