"""The Word file's map back to the source: which paragraphs each source block became.

Every paragraph written for a block gets a deterministic w14:paraId and a hidden bookmark
(`_F` + 10 hex digits); LibreOffice drops paraIds on save but keeps bookmarks and custom XML,
so both carriers are there. A custom XML part lists, per block, its id, kind, source lines, a
hash of the text folio wrote for it and its paragraphs' bookmarks and paraIds; a second part
holds the source text of this revision, so that corrections can be merged three ways."""
from __future__ import annotations

import hashlib
from xml.sax.saxutils import quoteattr

from docx.oxml.ns import qn

from . import oxml
from .oxml import W14

NS = "urn:folio:sourcemap:1"
PARA_ID, TEXT_ID = f"{{{W14}}}paraId", f"{{{W14}}}textId"


class SourceMap:
    def __init__(self, bookmarks, para_ids: bool = True):
        self.bookmarks = bookmarks        # ids for the bookmarks, shared with the writer's own
        self.para_ids = para_ids          # False when the package does not declare w14
        self.blocks: list[dict] = []
        self.taken_ids: set[int] = set()
        self.taken_names: set[str] = set()

    def mark(self, block, elements) -> None:
        """Give every not yet marked paragraph among elements (cells included) to block."""
        paragraphs = [p for e in elements for p in e.iter(qn("w:p"))
                      if not any(c.tag == qn("w:bookmarkStart") and c.get(qn("w:name"), "").startswith("_F")
                                 for c in p)]
        if not paragraphs or not getattr(block, "id", ""):
            return
        entry = {"id": block.id, "kind": type(block).__name__.lower(), "loc": block.loc,
                 "paragraphs": [], "text": ""}
        texts = []
        for index, p in enumerate(paragraphs):
            key = f"{block.id}#{index}"
            name = self._name(key)
            para_id = self._para_id(key) if self.para_ids else ""
            if para_id:
                p.set(PARA_ID, para_id)
                p.set(TEXT_ID, "77777777")
            ident = self.bookmarks.new_id()
            ppr = p.find(qn("w:pPr"))
            start = oxml.bookmark_start(ident, name)
            if ppr is not None:
                ppr.addnext(start)
            else:
                p.insert(0, start)
            p.append(oxml.bookmark_end(ident))
            entry["paragraphs"].append((name, para_id))
            texts.append("".join(t.text or "" for t in p.iter(qn("w:t"))))
        entry["text"] = hashlib.sha256("\n".join(texts).encode("utf-8")).hexdigest()
        self.blocks.append(entry)

    def _name(self, key: str) -> str:
        salt = 0
        while True:
            name = "_F" + hashlib.sha1(f"{key}/{salt}".encode()).hexdigest()[:10]
            if name not in self.taken_names:
                self.taken_names.add(name)
                return name
            salt += 1

    def _para_id(self, key: str) -> str:
        value = int(hashlib.sha1(key.encode("utf-8")).hexdigest()[:8], 16) & 0x7FFFFFFF or 1
        while value in self.taken_ids:          # paraIds must be unique and below 0x80000000
            value = (value + 1) & 0x7FFFFFFF or 1
        self.taken_ids.add(value)
        return f"{value:08X}"

    def xml(self, source: str, source_sha256: str) -> bytes:
        lines = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
                 f"<sourcemap xmlns={quoteattr(NS)} source={quoteattr(source)} sha256={quoteattr(source_sha256)}>"]
        for b in self.blocks:
            loc = b["loc"]
            lines.append(f"<block id={quoteattr(b['id'])} kind={quoteattr(b['kind'])}"
                         f' lines="{loc.line}-{loc.last_line}" start="{loc.start}" end="{loc.end}"'
                         f" text-sha256={quoteattr(b['text'])}>")
            for name, para_id in b["paragraphs"]:
                lines.append(f"<p bookmark={quoteattr(name)} paraId={quoteattr(para_id)}/>")
            lines.append("</block>")
        lines.append("</sourcemap>")
        return "\n".join(lines).encode("utf-8")


def source_xml(text: str, sha256: str) -> bytes:
    """The source text of this revision, as a custom XML part."""
    from xml.sax.saxutils import escape
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f"<source xmlns={quoteattr(NS)} sha256={quoteattr(sha256)}>{escape(oxml.clean(text))}</source>"
            ).encode()
