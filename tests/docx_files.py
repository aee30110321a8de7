"""Small Word packages for tests, put together from hand-written parts."""
from __future__ import annotations

import zipfile
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "docx"
TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml"
 ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>"""
ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Target="word/document.xml"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>
</Relationships>"""
REL = '<Relationship Id="{id}" Target="{target}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/{kind}"/>'


def make_docx(path: Path, document: str, footnotes: str | None = None, comments: str | None = None,
              extra: dict | None = None) -> Path:
    """A DOCX holding these parts (XML text), with the relationships Word would write."""
    rels = [REL.format(id="rId9", target="https://undocs.org/A/RES/70/1", kind="hyperlink")
            .replace("/>", ' TargetMode="External"/>')]
    parts = {"[Content_Types].xml": TYPES, "_rels/.rels": ROOT_RELS, "word/document.xml": document}
    for name, text, kind in (("footnotes.xml", footnotes, "footnotes"), ("comments.xml", comments, "comments")):
        if text is not None:
            parts[f"word/{name}"] = text
            rels.append(REL.format(id=f"rId{len(rels) + 1}", target=name, kind=kind))
    parts["word/_rels/document.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(rels) + "</Relationships>")
    parts.update(extra or {})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in parts.items():
            zf.writestr(name, text.encode("utf-8") if isinstance(text, str) else text)
    return path


def tracked_fixture(path: Path, **extra) -> Path:
    """The hand-written fixture in Word's own XML: insertions, deletions, moves, a field, a note,
    a comment with author and date, paragraph marks inserted and deleted, a table."""
    read = lambda name: (FIXTURES / name).read_text(encoding="utf-8")  # noqa: E731
    return make_docx(path, read("tracked-document.xml"), read("tracked-footnotes.xml"),
                     read("tracked-comments.xml"), **extra)


# ---- a source map in a DOCX, as folio will write it (issue 12), for tests of what reads it -----

def add_source_map(built: Path, out: Path, source_text: str, shown: str, embed: bool = True) -> Path:
    """built, with a hidden `_F…` bookmark around every paragraph that has a source, and
    the map (customXml/item1.xml, which LibreOffice keeps) naming them. The paragraphs are paired
    with the source view by text, as an unedited file pairs exactly."""
    from lxml import etree

    from folio.diagnostics import Reporter
    from folio.readers.docx.match import match
    from folio.readers.docx.package import Package, W
    from folio.readers.docx.revisions import read_document
    from folio.readers.docx.sourcemap import MapEntry, SourceMap, bookmark_name, digest, to_xml
    from folio.readers.docx.units import group
    from folio.readers.docx.viewer import source_view

    with Package(built) as pkg:
        word = read_document(pkg)
        parts = {name: pkg.read(name) for name in pkg.zip.namelist()}
    view = source_view(source_text, shown, word, Reporter())
    matching = match(group(word.paragraphs), view.paragraphs)
    document = etree.fromstring(parts["word/document.xml"])
    notes = etree.fromstring(parts["word/footnotes.xml"]) if "word/footnotes.xml" in parts else None
    elements = list(document.iter(f"{{{W}}}p"))
    if notes is not None:
        for note in notes.iter(f"{{{W}}}footnote"):
            if note.get(f"{{{W}}}type") in (None, "normal"):
                elements += list(note.iter(f"{{{W}}}p"))
    entries = []
    for n, m in enumerate(matching.matches):
        if m.target is None or m.target.kind == "generated":
            continue
        name = bookmark_name(m.target.id)
        p = elements[m.unit.first.index]
        start = etree.Element(f"{{{W}}}bookmarkStart", {f"{{{W}}}id": str(9000 + n), f"{{{W}}}name": name})
        end = etree.Element(f"{{{W}}}bookmarkEnd", {f"{{{W}}}id": str(9000 + n)})
        # after the paragraph's properties and a note's own number: LibreOffice loses a
        # bookmark that starts before that number
        lead = [c for c in p if c.tag == f"{{{W}}}pPr" or c.find(f"{{{W}}}footnoteRef") is not None]
        p.insert(p.index(lead[-1]) + 1 if lead else 0, start)
        p.append(end)   # around the whole paragraph: LibreOffice moves a collapsed one to a neighbour
        entries.append(MapEntry(m.target.id, m.target.block, name, "", m.target.line, m.target.line,
                                digest(m.target.text)))
    smap = SourceMap(shown, digest(source_text), entries, source_text if embed else None)
    parts["word/document.xml"] = etree.tostring(document, xml_declaration=True, encoding="UTF-8", standalone=True)
    if notes is not None:
        parts["word/footnotes.xml"] = etree.tostring(notes, xml_declaration=True, encoding="UTF-8", standalone=True)
    parts["customXml/item1.xml"] = to_xml(smap)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return out


def edit_untracked(docx: Path, out: Path, old: str, new: str) -> Path:
    """An edit made without tracking: old replaced by new in the one w:t that holds it."""
    with zipfile.ZipFile(docx) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    xml = parts["word/document.xml"].decode("utf-8")
    assert xml.count(old) == 1, f"{old!r} is not in exactly one place"
    parts["word/document.xml"] = xml.replace(old, new).encode("utf-8")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return out
