"""The Word file's map back to the source: which paragraphs each source block became.

Every paragraph written for a block gets a deterministic w14:paraId and a hidden bookmark
(`_F` + 10 hex digits) wrapping its content; LibreOffice drops paraIds on save but keeps
bookmarks and custom XML, so both carriers are there. The map itself (its format is owned by
folio.ooxml.sourcemap, with which the import reads it back) names each paragraph by its block's id —
`p-3f9a2c1b` for the first paragraph of a block, `t-…#2` for the third — with its source
lines and a hash of the text written, and carries the source text of this revision, so that
corrections can be merged three ways."""
from __future__ import annotations

import hashlib

from docx.oxml.ns import qn

from ...ooxml import sourcemap as fmt
from . import oxml
from .oxml import W14

PARA_ID, TEXT_ID = f"{{{W14}}}paraId", f"{{{W14}}}textId"


class SourceMap:
    def __init__(self, bookmarks, para_ids: bool = True):
        self.bookmarks = bookmarks        # ids for the bookmarks, shared with the writer's own
        self.para_ids = para_ids          # False when the package does not declare w14
        self.entries: list[fmt.MapEntry] = []
        self.taken_ids: set[int] = set()
        self.taken_names: set[str] = set()
        self.generated: set[str] = set()

    def mark_paragraph(self, p, ident: str, block) -> None:
        """Name p in the map as the plan does (ident: its block's id, `#n` after it for the
        block's further paragraphs), with the block's source lines."""
        name = self._name(ident)
        para_id = self._para_id(ident) if self.para_ids else ""
        if para_id:
            p.set(PARA_ID, para_id)
            p.set(TEXT_ID, "77777777")
        self._wrap(p, name)
        self.entries.append(fmt.MapEntry(ident, block.id, name, para_id, block.loc.line,
                                         block.loc.last_line, fmt.text_digest(hashed_text(p))))

    def note_generated(self, elements) -> None:
        """Record the text of every paragraph among elements that no block owns (the cover,
        the title page, the contents' title): the import tells a typed paragraph from them."""
        for p in (p for e in elements for p in e.iter(qn("w:p")) if not _marked(p)):
            written = hashed_text(p)
            if written.strip():
                self.generated.add(fmt.text_digest(written))

    def _wrap(self, p, name: str) -> None:
        """A bookmark around the paragraph's whole content (LibreOffice moves a collapsed one
        to a neighbour); in a note, after the note's own mark."""
        ident = self.bookmarks.new_id()
        anchor = p.find(qn("w:pPr"))
        for run in p.findall(qn("w:r")):
            if run.find(qn("w:footnoteRef")) is not None:
                anchor = run
        start = oxml.bookmark_start(ident, name)
        if anchor is not None:
            anchor.addnext(start)
        else:
            p.insert(0, start)
        p.append(oxml.bookmark_end(ident))

    def _name(self, ident: str) -> str:
        occurrence = 0
        while (name := fmt.bookmark_name(ident, occurrence)) in self.taken_names:
            occurrence += 1
        self.taken_names.add(name)
        return name

    def _para_id(self, key: str) -> str:
        value = int(hashlib.sha1(key.encode("utf-8")).hexdigest()[:8], 16) & 0x7FFFFFFF or 1
        while value in self.taken_ids:          # paraIds must be unique and below 0x80000000
            value = (value + 1) & 0x7FFFFFFF or 1
        self.taken_ids.add(value)
        return f"{value:08X}"

    def xml(self, source: str, text: str) -> bytes:
        return fmt.to_xml(fmt.SourceMap(source, fmt.digest(text), self.entries, oxml.clean(text),
                                        frozenset(self.generated)))


def hashed_text(p) -> str:
    """The paragraph's text as the map hashes it: its w:t, but a page number (a PAGEREF
    field's result, which Word and LibreOffice update) left out."""
    out, fields = [], []          # per open field: [instruction, in its result]
    for el in p.iter(qn("w:t"), qn("w:fldChar"), qn("w:instrText")):
        if el.tag == qn("w:fldChar"):
            kind = el.get(qn("w:fldCharType"))
            if kind == "begin":
                fields.append(["", False])
            elif kind == "separate" and fields:
                fields[-1][1] = True
            elif kind == "end" and fields:
                fields.pop()
        elif el.tag == qn("w:instrText"):
            if fields:
                fields[-1][0] += el.text or ""
        elif not any(f[1] and f[0].split()[:1] == ["PAGEREF"] for f in fields):
            out.append(el.text or "")
    return "".join(out)


def _marked(p) -> bool:
    return any(c.tag == qn("w:bookmarkStart") and fmt.bookmark_key(c.get(qn("w:name"), "") or "")
               for c in p.iter(qn("w:bookmarkStart")))
