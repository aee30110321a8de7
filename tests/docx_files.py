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
