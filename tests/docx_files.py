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

def without_embedded_source(built: Path, out: Path) -> Path:
    """built, its source map kept but the source text of its revision taken out of it."""
    from lxml import etree

    from folio.ooxml.sourcemap import NS

    with zipfile.ZipFile(built) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            data = src.read(name)
            if name.startswith("customXml/item") and b"sourcemap" in data:
                root = etree.fromstring(data)
                for inner in root.findall(f"{{{NS}}}source"):
                    root.remove(inner)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            dst.writestr(name, data)
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
