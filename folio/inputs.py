"""The build's read log: every file a build reads (the source, images wherever they are, the
reference document, templates, style sheets, fonts) goes through read_input(), which records the
hash of the very bytes it returns; every file a writer writes goes through files.write_atomic,
which records the hash of the bytes it wrote. A stamp keeps both logs, so an output is current
exactly when every file it was made from still hashes the same and the output is still what was
written: no list of folders to keep in step with what the writers happen to read.

Imports nothing heavy: a no-op build checks the logs without parsing anything."""
from __future__ import annotations

import hashlib
import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class ReadLog:
    read: dict = field(default_factory=dict)     # resolved path → sha256 hex, or None: looked for, absent
    written: dict = field(default_factory=dict)  # resolved path → sha256 hex of the bytes written
    facts: dict = field(default_factory=dict)    # other things an output depends on: name → value

    def merge(self, other: ReadLog) -> ReadLog:
        return ReadLog({**self.read, **other.read}, {**self.written, **other.written},
                       {**self.facts, **other.facts})


_logs: list[ReadLog] = []           # the logs recording now (a build's and, inside it, a writer's)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@contextmanager
def recording():
    """Record every read and write made inside the block into a new ReadLog."""
    log = ReadLog()
    _logs.append(log)
    try:
        yield log
    finally:
        _logs.remove(log)


def read_input(path: Path) -> bytes:
    """The bytes of an input file, recorded with their hash (OSError as Path.read_bytes)."""
    data = Path(path).read_bytes()
    _note("read", path, digest(data))
    return data


def probe(path: Path) -> bool:
    """Whether an optional input exists; its absence is recorded, so that creating it later
    (a styles/reference.docx, a project's own template) makes the output stale."""
    try:
        exists = Path(path).is_file()
    except (OSError, ValueError):          # a name too long, a NUL: it cannot exist
        exists = False
    if not exists:
        _note("read", path, None)
    return exists


def stat_key(path) -> list | None:
    """What os.stat says of a file or folder that changes when it is written: size, time, inode,
    change time. None if it is not there."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return [info.st_size, info.st_mtime_ns, info.st_ino, info.st_ctime_ns]


def note_written(path: Path, data: bytes) -> None:
    _note("written", path, digest(data))


def note_fact(name: str, value: str) -> None:
    """Something other than a file that went into the outputs (the source's commit time)."""
    for log in _logs:
        log.facts[name] = value


def _note(kind: str, path: Path, value) -> None:
    if _logs:
        try:
            key = str(Path(path).resolve())
        except (OSError, ValueError, RuntimeError):
            key = str(Path(path).absolute())
        for log in _logs:
            getattr(log, kind)[key] = value
