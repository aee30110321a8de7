"""What folio derives from files that are not the project's (fonts, hyphenation dictionaries)
and every process would otherwise derive again: kept in the user's cache (XDG's, as
LibreOffice's profile), one file per entry, named by a digest of what the entry depends on
(each file's path, device, inode, size and time in nanoseconds: a changed file is a new name).

An entry is written whole or not at all (a temporary name, then renamed), is not a build
output (nothing in the build's log), and is believed only with its format's header and its end
marker: a cut-off or damaged file is derived again and replaced. A cache that cannot be written
costs only the work."""
from __future__ import annotations

import hashlib
import os
from contextlib import suppress
from pathlib import Path

END = b"\nEND"


def folder(name: str) -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "folio" / name


def identity(*paths: str | Path) -> tuple:
    """What the entry depends on of each file (OSError where one is missing)."""
    out = []
    for path in paths:
        found = os.stat(path)
        out.append((os.path.realpath(path), found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns))
    return tuple(out)


def _path(kind: str, key: tuple) -> Path:
    return folder(kind) / (hashlib.sha256(repr(key).encode("utf-8", "surrogateescape")).hexdigest()[:40] + ".bin")


def read(kind: str, key: tuple, header: bytes) -> bytes | None:
    """The body of the entry, or None (none kept, or not whole)."""
    try:
        data = _path(kind, key).read_bytes()
    except OSError:
        return None
    if not data.startswith(header) or not data.endswith(END):
        return None
    return data[len(header):-len(END)]


def keep(kind: str, key: tuple, header: bytes, body: bytes) -> None:
    path = _path(kind, key)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(header + body + END)
        os.replace(tmp, path)
    except OSError:
        with suppress(OSError):
            tmp.unlink(missing_ok=True)
