"""One embedded font per face in the stitched PDF, not one per chunk.

Each chunk's PDF embeds its own subset of every face it uses (a Type0 font over a
CIDFontType2 with /Identity-H, glyph ids kept: see sfnt.py). Fonts of the same face are
merged: one program (the union of the subsets), one /W (widths by glyph id), one /ToUnicode
(text by glyph id). A font WeasyPrint had to give a custom encoding (glyphs missing from the
face) keeps its own objects, as do fonts this module does not recognise."""
from __future__ import annotations

import hashlib
import re
import zlib

import pikepdf

from . import sfnt

BFCHAR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>")
BFRANGE = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>")


class Face:
    """The members of one face across chunks, and the merged font made from them."""

    def __init__(self, base: str):
        self.base = base
        self.programs: dict[bytes, None] = {}    # distinct programs, in order
        self.widths: dict[int, float] = {}
        self.text: dict[int, str] = {}
        self.template = None                     # a member's Type0 font (first seen)

    def add(self, font, program: bytes) -> None:
        self.template = self.template if self.template is not None else font
        self.programs.setdefault(program)
        descendant = font.DescendantFonts[0]
        for gid, width in widths(descendant.get("/W", pikepdf.Array())).items():
            self.widths.setdefault(gid, width)
        for gid, text in to_unicode(font.ToUnicode.read_bytes()).items():
            self.text.setdefault(gid, text)

    def build(self, pdf: pikepdf.Pdf) -> pikepdf.Object:
        program = sfnt.union(list(self.programs)) if len(self.programs) > 1 else next(iter(self.programs))
        tag = _tag(program)
        source = self.template
        descriptor = source.DescendantFonts[0].FontDescriptor
        name = pikepdf.Name(f"/{tag}+{self.base}")
        file = pikepdf.Stream(pdf, zlib.compress(program, 9))
        file.Filter, file.Length1 = pikepdf.Name.FlateDecode, len(program)
        bbox = [float(v) for v in descriptor.FontBBox]
        bbox[2] = max(self.widths.values(), default=bbox[2])
        new_descriptor = pdf.make_indirect(pikepdf.Dictionary(
            {k: v for k, v in descriptor.items() if k not in ("/FontFile2", "/CIDSet", "/FontName", "/FontBBox")}))
        new_descriptor.FontName, new_descriptor.FontFile2 = name, file
        new_descriptor.FontBBox = pikepdf.Array(bbox)
        cid = source.DescendantFonts[0]
        new_cid = pdf.make_indirect(pikepdf.Dictionary(
            {k: v for k, v in cid.items() if k not in ("/W", "/FontDescriptor", "/BaseFont", "/CIDSystemInfo")}))
        new_cid.BaseFont, new_cid.FontDescriptor, new_cid.W = name, new_descriptor, width_array(self.widths)
        new_cid.CIDSystemInfo = pikepdf.Dictionary(Registry=pikepdf.String("Adobe"),
                                                   Ordering=pikepdf.String("Identity"), Supplement=0)
        unicode = pikepdf.Stream(pdf, zlib.compress(cmap(self.text), 9))
        unicode.Filter = pikepdf.Name.FlateDecode
        return pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type0, BaseFont=name, Encoding=pikepdf.Name("/Identity-H"),
            DescendantFonts=pikepdf.Array([new_cid]), ToUnicode=unicode))


def face_of(font) -> tuple[str, bytes] | None:
    """(face name, font program) of a font this module can merge; None to leave it alone."""
    try:
        if font.Subtype != "/Type0" or font.Encoding != "/Identity-H":
            return None
        cid = font.DescendantFonts[0]
        if cid.Subtype != "/CIDFontType2" or cid.get("/CIDToGIDMap") != "/Identity":
            return None
        program = cid.FontDescriptor.FontFile2.read_bytes()
        identity = sfnt.Font(program).identity()
    except (AttributeError, KeyError, IndexError, ValueError, pikepdf.PdfError):
        return None
    base = str(font.BaseFont)[1:].split("+", 1)[-1]
    return f"{base}\0{hashlib.sha256(b''.join(identity)).hexdigest()[:12]}", program


def widths(array) -> dict[int, float]:
    """/W of a CIDFont: `c [w1 w2 …]` and `c_first c_last w` forms."""
    out, items, i = {}, list(array), 0
    while i < len(items):
        first = int(items[i])
        if isinstance(items[i + 1], pikepdf.Array):
            for offset, width in enumerate(items[i + 1]):
                out[first + offset] = float(width)
            i += 2
        else:
            for gid in range(first, int(items[i + 1]) + 1):
                out[gid] = float(items[i + 2])
            i += 3
    return out


def width_array(values: dict[int, float]) -> pikepdf.Array:
    out, run, previous = [], None, None
    for gid in sorted(values):
        if previous is None or gid != previous + 1:
            run = []
            out += [gid, run]
        run.append(_number(values[gid]))
        previous = gid
    return pikepdf.Array([v if isinstance(v, int | float) else pikepdf.Array(v) for v in out])


def to_unicode(data: bytes) -> dict[int, str]:
    out = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for gid, text in BFCHAR.findall(block):
            out[int(gid, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be", "replace")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for first, last, text in BFRANGE.findall(block):
            start = bytes.fromhex(text.decode()).decode("utf-16-be", "replace")
            for offset in range(int(last, 16) - int(first, 16) + 1):
                out[int(first, 16) + offset] = start[:-1] + chr(ord(start[-1]) + offset) if start else ""
    return out


def cmap(text: dict[int, str]) -> bytes:
    """A ToUnicode CMap, as WeasyPrint writes one (bfchar blocks of at most 100)."""
    lines = [b"/CIDInit /ProcSet findresource begin", b"12 dict begin", b"begincmap", b"/CIDSystemInfo",
             b"<< /Registry (Adobe)", b"/Ordering (UCS)", b"/Supplement 0", b">> def",
             b"/CMapName /Adobe-Identity-UCS def", b"/CMapType 2 def", b"1 begincodespacerange",
             b"<0000> <ffff>", b"endcodespacerange"]
    items = sorted(text.items())
    for start in range(0, len(items), 100):
        batch = items[start:start + 100]
        lines.append(f"{len(batch)} beginbfchar".encode())
        lines += [f"<{gid:04x}> <{value.encode('utf-16-be').hex()}>".encode() for gid, value in batch]
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    return b"\n".join(lines)


def _number(value: float):
    return int(value) if float(value).is_integer() else round(value, 3)


def _tag(program: bytes) -> str:
    """The six capital letters a subset's name starts with, from its content."""
    digest = hashlib.sha256(program).digest()
    return "".join(chr(65 + b % 26) for b in digest[:6])
