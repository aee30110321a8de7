"""The source map folio writes into its DOCX (a custom XML part) and reads back from an edited one.

Word and LibreOffice keep custom XML parts and bookmarks through an edit; LibreOffice drops
every w14:paraId. So each paragraph folio writes carries a hidden bookmark (`_F` + 10 hex
digits) and, where Word keeps it, its paraId; this part maps both to the paragraph's id in the
model, its source lines and a hash of its text as written, and records the source revision
(sha256 of the source text) the file was built from, with that text itself if embedded.

One module owns the format both ways: the DOCX writer calls `to_xml`, the import (corrections/)
`find_map`.

    <fm:sourcemap xmlns:fm="urn:folio:source-map:1" version="1" path="source/report.md"
                  revision="SHA256">
      <fm:p id="sec-x" block="sec-x" bookmark="_F0123456789" paraId="1A2B3C4D"
            first="12" last="14" sha256="SHA256 of the paragraph's text as written"/>
      <fm:generated sha256="…"/>   the text of each paragraph folio wrote from no source block
                                    (cover, title page, headings of its own), so that a
                                    paragraph an editor typed is told from them (version 2)
      <fm:source>the whole source text of that revision (optional)</fm:source>
    </fm:sourcemap>

A paragraph's text hash (text_digest) is taken without its white space: the writer hashes its
w:t, the import the text it reads, tabs and breaks included.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from lxml import etree

NS = "urn:folio:source-map:1"
# LibreOffice 7.4 renames the bookmarks of footnotes after the first as NAME_Copy_1 when it
# saves a DOCX (it copies note text internally): the name is the first 12 characters.
BOOKMARK = re.compile(r"^(_F[0-9a-f]{10})(?:_Copy_\d+)?$")


@dataclass(frozen=True)
class MapEntry:
    id: str                    # the rendered paragraph's id (spans.RenderedParagraph.id)
    block: str = ""            # the model block's id
    bookmark: str = ""
    para_id: str = ""
    first: int = 0             # source lines
    last: int = 0
    sha256: str = ""           # of the paragraph's text as written into the DOCX


@dataclass
class SourceMap:
    path: str
    revision: str              # sha256 of the source text the DOCX was built from
    entries: list = field(default_factory=list)
    source: str | None = None  # that text, if the DOCX carries it
    generated: frozenset | None = None   # text_digest of each paragraph from no block; None: not recorded

    def __post_init__(self):
        self.by_bookmark = {e.bookmark: e for e in self.entries if e.bookmark}
        self.by_para_id = {e.para_id: e for e in self.entries if e.para_id}


def bookmark_key(name: str) -> str | None:
    """The map's name for a bookmark found in a file, or None if it is not one of folio's."""
    match = BOOKMARK.match(name)
    return match.group(1) if match else None


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def text_digest(text: str) -> str:
    """A paragraph's text hash, white space left out (Word's tabs and breaks are not w:t)."""
    return digest("".join(text.split()))


def bookmark_name(paragraph_id: str, occurrence: int = 0) -> str:
    """A deterministic hidden bookmark name for a paragraph id (Word hides names with '_')."""
    return "_F" + digest(f"{paragraph_id}\0{occurrence}")[:10]


def to_xml(smap: SourceMap) -> bytes:
    root = etree.Element(f"{{{NS}}}sourcemap", nsmap={"fm": NS})
    root.set("version", "2" if smap.generated is not None else "1")
    root.set("path", smap.path)
    root.set("revision", smap.revision)
    for e in smap.entries:
        attrs = {"id": e.id, "block": e.block, "bookmark": e.bookmark, "paraId": e.para_id,
                 "first": str(e.first), "last": str(e.last), "sha256": e.sha256}
        etree.SubElement(root, f"{{{NS}}}p", {k: v for k, v in attrs.items() if v})
    for value in sorted(smap.generated or ()):
        etree.SubElement(root, f"{{{NS}}}generated", {"sha256": value})
    if smap.source is not None:
        etree.SubElement(root, f"{{{NS}}}source").text = smap.source
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def find_map(custom_parts: dict) -> SourceMap | None:
    """The source map among a DOCX's custom XML parts (parsed roots), or None."""
    source = None
    found = None
    for root in custom_parts.values():
        if root is None:
            continue
        if root.tag == f"{{{NS}}}sourcemap":
            found = root
        elif root.tag == f"{{{NS}}}source":   # the source may also come in a part of its own
            source = root.text or ""
    if found is None:
        return None
    inner = found.find(f"{{{NS}}}source")
    if inner is not None:
        source = inner.text or ""
    entries = [MapEntry(p.get("id", ""), p.get("block", ""), p.get("bookmark", ""), p.get("paraId", ""),
                        _int(p.get("first")), _int(p.get("last")), p.get("sha256", ""))
               for p in found.iter(f"{{{NS}}}p")]
    generated = frozenset(g.get("sha256", "") for g in found.iter(f"{{{NS}}}generated")) \
        if found.get("version") != "1" else None
    return SourceMap(found.get("path", ""), found.get("revision", ""), entries, source, generated)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
