"""Package-level parts python-docx has no API for: footnotes, header and footer, settings,
core properties. Built with python-docx's OPC layer (Part, PackURI, relate_to)."""
from __future__ import annotations

import datetime as dt
import io
import weakref
import zipfile

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.ns import qn
from docx.parts.story import StoryPart

from . import oxml


def add_footnotes_part(document):
    """/word/footnotes.xml with its separators, related from the document part."""
    main = document.part
    for rel in list(main.rels.values()):
        if rel.reltype == RT.FOOTNOTES:                # a reference document's own notes
            _drop(main.rels, rel.rId)
    part = StoryPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, oxml.footnotes_root(), main.package)
    main.relate_to(part, RT.FOOTNOTES)
    return part


def add_header_footer(document, kind: str, paragraphs) -> str:
    """A header ("hdr") or footer ("ftr") part; returns its relationship id."""
    main = document.part
    is_header = kind == "hdr"
    names = _names(main)
    part = StoryPart(names.partname("/word/header%d.xml" if is_header else "/word/footer%d.xml"),
                     CT.WML_HEADER if is_header else CT.WML_FOOTER, oxml.header_footer_root(kind, paragraphs),
                     main.package)
    return names.relate(part, RT.HEADER if is_header else RT.FOOTER)


class _Names:
    """Part names and relationship ids handed out by counting. python-docx's next_partname
    walks every part of the package and relate_to scans every relationship, for each header
    and footer: a report of 5,000 chapters (two parts each) took 336 s instead of seconds."""

    def __init__(self, main):
        self.main = main
        self.taken = {str(part.partname) for part in main.package.iter_parts()}
        self.last: dict[str, int] = {}
        self.rid = 0

    def partname(self, template: str) -> PackURI:
        n = self.last.get(template, 0) + 1
        while template % n in self.taken:      # the reference document's own, or python-docx's
            n += 1
        self.last[template] = n
        self.taken.add(template % n)
        return PackURI(template % n)

    def relate(self, part, reltype: str) -> str:
        self.rid += 1
        while f"rId{self.rid}" in self.main.rels:
            self.rid += 1
        return self.main.rels.add_relationship(reltype, part, f"rId{self.rid}").rId


_NAMES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _names(main) -> _Names:
    if main not in _NAMES:
        _NAMES[main] = _Names(main)
    return _NAMES[main]


def add_custom_xml(document, items: list[bytes]) -> None:
    """customXml/itemN.xml parts (with their properties parts), related from the document
    part as Word relates them: folio's source map and the source text. A reference
    document's own custom XML is dropped first: an output carries only folio's."""
    main, package = document.part, document.part.package
    for rel in list(main.rels.values()):
        if rel.reltype == RT.CUSTOM_XML:
            _drop(main.rels, rel.rId)
    for number, blob in enumerate(items, start=1):
        item = Part(PackURI(f"/customXml/item{number}.xml"), "application/xml", blob, package)
        props = Part(PackURI(f"/customXml/itemProps{number}.xml"), CT.OFC_CUSTOM_XML_PROPERTIES,
                     _item_props(number), package)
        item.relate_to(props, RT.CUSTOM_XML_PROPS)
        main.relate_to(item, RT.CUSTOM_XML)


def _item_props(number: int) -> bytes:
    # A fixed GUID per item: Word asks for one, and a build must give the same bytes twice.
    guid = f"{{6F0C1E6A-5D3B-4F7A-9A1E-{number:012X}}}"
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
            f'<ds:datastoreItem ds:itemID="{guid}" '
            f'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml">'
            f"<ds:schemaRefs/></ds:datastoreItem>").encode()


def drop_template_sections(document) -> None:
    """A reference document's own headers and footers: its sections are replaced by ours."""
    main = document.part
    for rel in list(main.rels.values()):
        if rel.reltype in (RT.HEADER, RT.FOOTER):
            _drop(main.rels, rel.rId)


def clear_body(document):
    body = document.element.body
    for child in list(body):
        body.remove(child)
    return body


def adjust_settings(document) -> None:
    """Mirrored margins (inside/outside), different headers on left and right pages, footnote
    separators, automatic hyphenation, hard breaks not justified; never 'update fields?'."""
    settings = document.settings.element
    for node in settings.findall(qn("w:updateFields")):
        settings.remove(node)
    oxml.insert_ordered(settings, oxml.el("w:mirrorMargins"), oxml.SETTINGS_ORDER)
    oxml.insert_ordered(settings, oxml.el("w:evenAndOddHeaders"), oxml.SETTINGS_ORDER)
    oxml.insert_ordered(settings, oxml.footnote_settings(), oxml.SETTINGS_ORDER)
    # Hyphenated as the PDF is (its justified lines would otherwise gape); Word and LibreOffice
    # hyphenate by the text's language, and the Normal style does not switch it off.
    oxml.insert_ordered(settings, oxml.el("w:autoHyphenation"), oxml.SETTINGS_ORDER)
    # A line ended by a hard break (Shift+Enter) in a justified paragraph keeps its word
    # spacing, as in the PDF, instead of spreading its words across the line.
    oxml.compat_option(settings, "doNotExpandShiftReturn")


def set_core_properties(document, meta: dict, moment: dt.datetime) -> None:
    props = document.core_properties
    meta = {k: _fit(oxml.clean(v)) if isinstance(v, str) else v for k, v in meta.items()}
    props.title = meta.get("title", "")
    props.author = meta.get("author") or ", ".join(
        v for v in (meta.get("organization"), meta.get("department")) if v)
    props.last_modified_by = props.author
    props.subject = meta.get("subject", "")
    props.keywords = meta.get("symbol", "")
    props.comments = ""
    props.category = ""
    props.language = meta.get("language") or "en"     # the same tag as the PDF's /Lang and the HTML's lang
    props.created = moment
    props.modified = moment
    props.last_printed = moment
    props.revision = 1


def _fit(text: str, limit: int = 255) -> str:
    """A core property as python-docx takes it: at most 255 characters (a title of 100,000
    letters failed the whole DOCX); the document itself keeps the whole text."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


def set_app_properties(document, meta: dict) -> None:
    """docProps/app.xml says folio made the file, and nothing else: the template's own
    ("Microsoft Macintosh Word", 1 page, 0 words) was wrong, and counts Word recomputes anyway."""
    from xml.sax.saxutils import escape

    company = escape(meta.get("organization") or "")
    blob = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            f"<Application>folio</Application><DocSecurity>0</DocSecurity><Company>{company}</Company>"
            "</Properties>").encode()
    for part in document.part.package.iter_parts():
        if str(part.partname) == "/docProps/app.xml":
            part._blob = blob


def drop_template_leftovers(document) -> None:
    """The template's preview picture shows a different document, and its Word 2010
    stylesWithEffects copy would shadow our styles there: leave neither."""
    package = document.part.package
    for rel in list(package.rels.values()):
        if rel.reltype == RT.THUMBNAIL:
            _drop(package.rels, rel.rId)
    for rel in list(document.part.rels.values()):
        if rel.reltype.endswith("/stylesWithEffects"):
            _drop(document.part.rels, rel.rId)


# What a reference document may give: its styles, numbering, fonts, theme and page settings.
KEEP_FROM_DOCUMENT = {RT.STYLES, RT.NUMBERING, RT.FONT_TABLE, RT.THEME, RT.SETTINGS, RT.WEB_SETTINGS}
KEEP_FROM_PACKAGE = {RT.OFFICE_DOCUMENT, RT.CORE_PROPERTIES}
# Settings that reach outside the file or act on its reader rather than set its pages.
SETTINGS_DROPPED = ("attachedTemplate", "mailMerge", "docVars", "saveThroughXslt", "documentProtection",
                    "writeProtection", "linkStyles")
MAX_UNPACKED = 200 * 2**20                    # a reference document is a few hundred kilobytes


def keep_only_styles(document) -> None:
    """Strip a reference document of all but its styles: no attached template (Word would fetch
    it when the file opens), no OLE objects or links, no custom XML, no custom or extended
    properties of its own, no relationship to anything outside the file."""
    package = document.part.package
    for rel in list(package.rels.values()):
        if rel.reltype not in KEEP_FROM_PACKAGE:
            _drop(package.rels, rel.rId)
    for rel in list(document.part.rels.values()):
        if rel.reltype not in KEEP_FROM_DOCUMENT:
            _drop(document.part.rels, rel.rId)
    for part in list(package.iter_parts()):
        for rel in list(part.rels.values()):
            if rel.is_external:
                _drop(part.rels, rel.rId)
    settings = document.settings.element
    for tag in SETTINGS_DROPPED:
        for node in settings.findall(qn("w:" + tag)):
            settings.remove(node)


def zip_problem(data: bytes) -> str | None:
    """Why these bytes are not a Word package folio will open, or None."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        return f"is not a Word file ({exc})"
    if unpacked > MAX_UNPACKED:
        return f"unpacks to {unpacked / 2**20:.0f} MB; a reference document needs only its styles"
    return None


def _drop(rels, rid: str) -> None:
    del rels[rid]
    rels.related_parts.pop(rid, None)


def fixed_zip(data: bytes, moment: dt.datetime) -> bytes:
    """The same package with every member dated at the publication moment, so that two
    builds of one source give the same bytes (python-docx stamps members with the time now)."""
    stamp = (max(moment.year, 1980), moment.month, moment.day, moment.hour, moment.minute, moment.second)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, stamp)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            dst.writestr(member, src.read(info.filename))
    return out.getvalue()
