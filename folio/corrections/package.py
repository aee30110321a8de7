"""Opening a DOCX that came back from someone else: a zip and XML treated as hostile.

Everything is checked before it is parsed: the number of members, each member's and the total
uncompressed size, and each member's compression ratio (a zip bomb inflates a few kilobytes
into gigabytes). XML is parsed by lxml with no DTD, no entity expansion and no network; a
document that declares a DOCTYPE is refused, since WordprocessingML never needs one. Nothing is
written anywhere, and every failure is one DocxError with a sentence a user can act on.
"""
from __future__ import annotations

import os
import posixpath
import re
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ..ooxml.names import OFFICE_DOCUMENT, REL, STRICT_DOCUMENT

DOCTYPE = re.compile(rb"<!\s*DOCTYPE", re.I)


class DocxError(Exception):
    """The file cannot be read as a Word document; the message says why."""


@dataclass(frozen=True)
class Limits:
    """Generous for any real report (the 50× report's DOCX is under 2 MB), fatal for a bomb."""

    members: int = 2000
    member_size: int = 200 * 2**20     # uncompressed bytes of one member
    total_size: int = 500 * 2**20      # uncompressed bytes of all members together
    ratio: int = 200                   # uncompressed / compressed, for members above 1 MB


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           huge_tree=False, remove_comments=True, remove_pis=True)


class Package:
    """The parts of one DOCX, read on demand, each size-checked and parsed safely."""

    def __init__(self, path: Path, limits: Limits | None = None):
        self.path = Path(path)
        self.limits = limits or Limits()
        try:
            # Opened without blocking and checked before any read: a fifo would wait for a
            # writer forever, /dev/zero would give zeros forever.
            fd = os.open(self.path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        except FileNotFoundError:
            raise DocxError("file not found") from None
        except OSError as exc:
            raise DocxError(f"cannot be read: {exc.strerror or exc}") from None
        handle = os.fdopen(fd, "rb")
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            handle.close()
            raise DocxError("not a regular file (a Word document is a file, not a pipe or a device)")
        self.handle = handle
        try:
            self.zip = zipfile.ZipFile(handle)
        except FileNotFoundError:
            handle.close()
            raise DocxError("file not found") from None
        except (zipfile.BadZipFile, OSError) as exc:
            handle.close()
            raise DocxError(f"not a Word document (.docx is a zip file): {exc}") from None
        self._check_members()
        self.document_name = self._main_part()

    def close(self) -> None:
        self.zip.close()
        self.handle.close()

    def __enter__(self) -> Package:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---- checks -------------------------------------------------------------------------

    def _check_members(self) -> None:
        infos = self.zip.infolist()
        if len(infos) > self.limits.members:
            raise DocxError(f"the zip holds {len(infos)} members (at most {self.limits.members} are read)")
        total = 0
        for info in infos:
            total += info.file_size
            if info.file_size > self.limits.member_size:
                raise DocxError(f"part '{info.filename}' would be {_mb(info.file_size)} uncompressed"
                                f" (at most {_mb(self.limits.member_size)})")
            if info.file_size > 2**20 and info.file_size > self.limits.ratio * max(info.compress_size, 1):
                raise DocxError(f"part '{info.filename}' is compressed {info.file_size // max(info.compress_size, 1)}"
                                " times: refused as a zip bomb")
        if total > self.limits.total_size:
            raise DocxError(f"the parts would be {_mb(total)} uncompressed (at most {_mb(self.limits.total_size)})")

    def _main_part(self) -> str:
        """word/document.xml, or wherever the package relationships say the main part is."""
        rels = self.xml("_rels/.rels", required=False)
        if rels is not None:
            for rel in rels.iter(f"{{{REL}}}Relationship"):
                if rel.get("Type") in (OFFICE_DOCUMENT, STRICT_DOCUMENT) and rel.get("TargetMode") != "External":
                    return rel.get("Target", "").lstrip("/")
        return "word/document.xml"

    # ---- reading ------------------------------------------------------------------------

    def has(self, name: str) -> bool:
        try:
            self.zip.getinfo(name)
            return True
        except KeyError:
            return False

    def read(self, name: str) -> bytes:
        """A member's bytes, read no further than its declared size (a lying header cannot
        make it inflate more)."""
        try:
            info = self.zip.getinfo(name)
        except KeyError:
            raise DocxError(f"part '{name}' is missing") from None
        try:
            with self.zip.open(info) as handle:
                data = handle.read(info.file_size + 1)
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
            raise DocxError(f"part '{name}' cannot be read: {exc}") from None
        if len(data) > info.file_size:
            raise DocxError(f"part '{name}' inflates beyond its declared size: refused")
        return data

    def xml(self, name: str, required: bool = True):
        """The parsed root element of a part, or None for a missing optional part."""
        if not required and not self.has(name):
            return None
        return parse_xml(self.read(name), name)

    def related(self, source: str, rel_type_suffix: str) -> str | None:
        """The part a relationship of the given type (matched by its last path segment,
        e.g. 'footnotes') points to from source, as a zip member name."""
        folder, base = posixpath.split(source)
        rels = self.xml(posixpath.join(folder, "_rels", base + ".rels"), required=False)
        if rels is None:
            return None
        for rel in rels.iter(f"{{{REL}}}Relationship"):
            if rel.get("Type", "").rsplit("/", 1)[-1] == rel_type_suffix and rel.get("TargetMode") != "External":
                target = rel.get("Target", "")
                return target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                    posixpath.join(folder, target))
        return None


def parse_xml(data: bytes, name: str):
    """Parse one part; a DOCTYPE, an entity declaration or malformed XML is a DocxError."""
    if DOCTYPE.search(data):  # entities can only be declared in one
        raise DocxError(f"part '{name}' declares a DTD or entities: refused (Word never writes them)")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise DocxError(f"part '{name}' is not well-formed XML: {exc}") from None
    if root.getroottree().docinfo.doctype:
        raise DocxError(f"part '{name}' declares a DTD: refused (Word never writes one)")
    return root


def _mb(size: int) -> str:
    return f"{size / 2**20:.0f} MB"
