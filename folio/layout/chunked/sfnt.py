"""One TrueType program from several subsets of the same font, glyph ids kept.

WeasyPrint 70 subsets each font with HarfBuzz's RETAIN_GIDS (fontTools' retain_gids without
it): a glyph keeps its id and unused ids stay as empty glyphs, and the PDF shows glyphs by id
(CIDFontType2, /CIDToGIDMap /Identity, /Identity-H). So the union of two chunks' subsets is
a glyph-by-glyph union of their `glyf` tables: every content stream stays valid against it,
and the result is what subsetting the original font to all glyphs used would give. Done on
the raw tables (a few milliseconds), not by loading the fonts into fontTools."""
from __future__ import annotations

import struct

GLYPH_TABLES = {b"hdmx", b"vmtx", b"vhea", b"VDMX", b"LTSH"}   # indexed by glyph, not needed in a PDF


class Font:
    def __init__(self, data: bytes):
        self.data = data
        self.version = data[:4]
        (count,) = struct.unpack(">H", data[4:6])
        self.tables: dict[bytes, bytes] = {}
        for i in range(count):
            tag, _, offset, length = struct.unpack(">4sIII", data[12 + 16 * i: 28 + 16 * i])
            self.tables[tag] = data[offset:offset + length]
        head = self.tables[b"head"]
        self.long_loca = struct.unpack(">h", head[50:52])[0] == 1
        self.glyphs = struct.unpack(">H", self.tables[b"maxp"][4:6])[0]
        self.metrics = struct.unpack(">H", self.tables[b"hhea"][34:36])[0]

    def identity(self) -> tuple:
        """What the subsets of one original font share: units, creation/modification dates."""
        head = self.tables[b"head"]
        return head[4:8], head[18:20], head[20:36]

    def offsets(self) -> list[int]:
        loca = self.tables[b"loca"]
        if self.long_loca:
            return list(struct.unpack(f">{self.glyphs + 1}I", loca[:4 * (self.glyphs + 1)]))
        return [2 * o for o in struct.unpack(f">{self.glyphs + 1}H", loca[:2 * (self.glyphs + 1)])]

    def metric(self, gid: int) -> tuple[int, int]:
        hmtx = self.tables[b"hmtx"]
        if gid < self.metrics:
            return struct.unpack(">Hh", hmtx[4 * gid:4 * gid + 4])
        (advance,) = struct.unpack(">H", hmtx[4 * (self.metrics - 1):4 * (self.metrics - 1) + 2])
        at = 4 * self.metrics + 2 * (gid - self.metrics)
        return advance, struct.unpack(">h", hmtx[at:at + 2])[0]


def union(programs: list[bytes]) -> bytes:
    """The glyph-by-glyph union of subsets of one font (see module docstring)."""
    fonts = [Font(p) for p in programs]
    if len({f.identity() for f in fonts}) != 1:
        raise ValueError("not subsets of one font")
    base = max(fonts, key=lambda f: f.glyphs)
    total = base.glyphs
    offsets = [f.offsets() for f in fonts]
    glyf, loca, hmtx = bytearray(), [], bytearray()
    for gid in range(total):
        source = next((i for i, f in enumerate(fonts) if gid < f.glyphs
                       and offsets[i][gid + 1] > offsets[i][gid]), None)
        loca.append(len(glyf))
        if source is None:
            owner = next(f for f in fonts if gid < f.glyphs)
            hmtx += struct.pack(">Hh", *owner.metric(gid))
            continue
        start, end = offsets[source][gid], offsets[source][gid + 1]
        glyf += fonts[source].tables[b"glyf"][start:end]
        glyf += b"\0" * (-len(glyf) % 4)
        hmtx += struct.pack(">Hh", *fonts[source].metric(gid))
    loca.append(len(glyf))
    tables = {tag: data for tag, data in base.tables.items() if tag not in GLYPH_TABLES}
    tables[b"glyf"] = bytes(glyf)
    tables[b"loca"] = struct.pack(f">{len(loca)}I", *loca)
    tables[b"hmtx"] = bytes(hmtx)
    tables[b"head"] = _head(base.tables[b"head"])
    tables[b"hhea"] = base.tables[b"hhea"][:34] + struct.pack(">H", total) + base.tables[b"hhea"][36:]
    tables[b"maxp"] = _maxp([f.tables[b"maxp"] for f in fonts], total)
    if b"post" in tables:   # glyph names are not needed in a PDF; format 3 has none
        tables[b"post"] = struct.pack(">I", 0x00030000) + tables[b"post"][4:32]
    return _write(base.version, tables)


def _head(head: bytes) -> bytes:
    """Long offsets in loca; the checksum adjustment is set when the file is written."""
    return head[:8] + b"\0\0\0\0" + head[12:50] + struct.pack(">h", 1) + head[52:]


def _maxp(tables: list[bytes], total: int) -> bytes:
    first = tables[0]
    if len(first) < 32:                   # version 0.5 (CFF): only the glyph count
        return first[:4] + struct.pack(">H", total) + first[6:]
    fields = [struct.unpack(">13H", t[6:32]) for t in tables]
    return first[:4] + struct.pack(">H", total) + struct.pack(">13H", *map(max, zip(*fields, strict=True))) \
        + first[32:]


def _checksum(data: bytes) -> int:
    data += b"\0" * (-len(data) % 4)
    return sum(struct.unpack(f">{len(data) // 4}I", data)) & 0xFFFFFFFF


def _write(version: bytes, tables: dict[bytes, bytes]) -> bytes:
    tags = sorted(tables)
    count = len(tags)
    power = 1 << (count.bit_length() - 1)
    header = version + struct.pack(">HHHH", count, power * 16, power.bit_length() - 1, count * 16 - power * 16)
    offset = 12 + 16 * count
    records, body = bytearray(), bytearray()
    for tag in tags:
        data = tables[tag]
        records += struct.pack(">4sIII", tag, _checksum(data), offset + len(body), len(data))
        body += data + b"\0" * (-len(data) % 4)
    font = bytearray(header + records + body)
    head_at = offset + sum(len(tables[t]) + (-len(tables[t]) % 4) for t in tags[:tags.index(b"head")])
    adjustment = (0xB1B0AFBA - _checksum(bytes(font))) & 0xFFFFFFFF
    font[head_at + 8:head_at + 12] = struct.pack(">I", adjustment)
    return bytes(font)
