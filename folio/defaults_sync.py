"""folio/defaults/ is a copy of the repository's templates/ and styles/, which stay the source:
designers edit there, as the README and ARCHITECTURE.md say. `invoke sync-defaults` copies;
tests/test_new.py fails while they differ. (git stores each identical file once.)"""
from __future__ import annotations

import filecmp
import shutil
from pathlib import Path

from .project import DEFAULTS, OVERRIDABLE

REPOSITORY = DEFAULTS.parent.parent
# What a project may use from folio: the reference.docx of the repository is the client's own.
SKIP = {"styles/reference.docx"}


def shipped(base: Path) -> dict[str, Path]:
    """relative name → file, for every template, style and font under base."""
    found = {}
    for folder in OVERRIDABLE:
        for path in sorted((base / folder).rglob("*")):
            name = path.relative_to(base).as_posix()
            if path.is_file() and name not in SKIP and "__pycache__" not in name:
                found[name] = path
    return found


def differences() -> list[str]:
    source, copies = shipped(REPOSITORY), shipped(DEFAULTS)
    return sorted({n for n in source.keys() | copies.keys()
                   if n not in source or n not in copies or not filecmp.cmp(source[n], copies[n], False)})


def sync() -> list[str]:
    source = shipped(REPOSITORY)
    changed = differences()
    for name in changed:
        target = DEFAULTS / name
        if name in source:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source[name], target)
        else:
            target.unlink()
    return [f"folio/defaults/{name}" for name in changed]
