"""Laid-out chunks kept between builds, under build/.folio/chunks/.

An entry is one file named by its key (a hash of the chunk's HTML, which holds its numbers
and the side it starts on, of the stylesheets, fonts and images it uses, and of the code and
WeasyPrint version that laid it out): a header, the page facts as JSON, the PDF. Entries are
written atomically and checked when read (a damaged or foreign file is deleted and laid out
again); the folder is kept under a size budget, least recently used first out."""
from __future__ import annotations

import hashlib
import json
import os
import struct
from dataclasses import asdict
from pathlib import Path

from ...files import write_atomic
from .worker import PageFacts, Rendered

FOLDER = ".folio/chunks"
MAGIC = b"FOLIO-CHUNK 1\n"
MIN_BUDGET = 64 * 2 ** 20


class Cache:
    def __init__(self, folder: Path):
        self.folder = folder
        self.used: set[str] = set()
        self.read: set[str] = set()        # the entries this build took (checked sound)

    def get(self, key: str) -> Rendered | None:
        path = self.folder / f"{key}.chunk"
        try:
            data = path.read_bytes()
        except OSError:
            return None
        rendered = _decode(data)
        if rendered is None:
            path.unlink(missing_ok=True)   # damaged: laid out again, and the entry replaced
            return None
        self.used.add(key)
        self.read.add(key)
        try:
            os.utime(path)                 # recently used: last to be pruned
        except OSError:
            pass
        return rendered

    def exists(self, key: str) -> bool:
        return (self.folder / f"{key}.chunk").exists()

    def put(self, key: str, rendered: Rendered) -> None:
        self.used.add(key)
        try:
            write_atomic(self.folder / f"{key}.chunk", _encode(rendered))
        except OSError:
            pass   # a cache that cannot be written is only slower

    def prune(self) -> None:
        """Keep what this build used; drop the least recently used others beyond the budget."""
        try:
            entries = [(p.stat(), p) for p in self.folder.glob("*.chunk")]
        except OSError:
            return
        used = sum(s.st_size for s, p in entries if p.stem in self.used)
        budget = max(MIN_BUDGET, 4 * used)
        total = sum(s.st_size for s, _ in entries)
        for stat, path in sorted(entries, key=lambda e: e[0].st_mtime):
            if total <= budget:
                break
            if path.stem not in self.used:
                path.unlink(missing_ok=True)
                total -= stat.st_size


def key(*parts: str | bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(struct.pack(">Q", len(data)) + data)
    return digest.hexdigest()


def _encode(rendered: Rendered) -> bytes:
    facts = {"pages": [asdict(p) for p in rendered.pages], "refused": rendered.refused, "extra": rendered.extra,
             "pdf": hashlib.sha256(rendered.pdf).hexdigest()}
    header = json.dumps(facts, ensure_ascii=False).encode("utf-8")
    return MAGIC + struct.pack(">Q", len(header)) + header + rendered.pdf


def _decode(data: bytes) -> Rendered | None:
    if not data.startswith(MAGIC) or len(data) < len(MAGIC) + 8:
        return None
    start = len(MAGIC) + 8
    (length,) = struct.unpack(">Q", data[len(MAGIC):start])
    pdf = data[start + length:]
    try:
        facts = json.loads(data[start:start + length].decode("utf-8"))
        if facts["pdf"] != hashlib.sha256(pdf).hexdigest():
            return None
        pages = [_page(p) for p in facts["pages"]]
    except (ValueError, KeyError, TypeError, RecursionError):
        return None
    return Rendered(pdf, pages, facts["refused"], facts.get("extra"))


def _page(p: dict) -> PageFacts:
    p["margins"] = tuple(p["margins"])
    p["anchors"] = {k: tuple(v) for k, v in p["anchors"].items()}
    p["bookmarks"] = [(level, label, tuple(point), state) for level, label, point, state in p["bookmarks"]]
    p["strings"] = [tuple(s) for s in p["strings"]]
    return PageFacts(**p)
