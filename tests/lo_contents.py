"""What an editor's "update all indexes" does to a DOCX's contents, in LibreOffice itself.

Run with the system Python that has Debian's python3-uno (not the project's venv):

    /usr/bin/python3 tests/lo_contents.py IN.docx

Prints JSON: {"before": [...], "after": [...]}, the text of every contents paragraph (its
title, a tab, its page number) as stored in the file and after Tools > Update > All (every
index of the document updated). The document is opened in a hidden window: updating an index
needs a layout, which a document loaded without a view does not have (LibreOffice aborts).
"""
from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

from lo_edit import connect, paragraphs, prop, start_office


def contents(doc) -> list[str]:
    """The contents' entries: paragraphs in LibreOffice's "Contents N" styles (Word's TOC N)."""
    return [p.getString() for p in paragraphs(doc.getText())
            if p.ParaStyleName.startswith("Contents ") and p.ParaStyleName != "Contents Heading"]


def update(ctx, source: Path) -> dict:
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    doc = desktop.loadComponentFromURL(source.resolve().as_uri(), "_blank", 0, (prop("Hidden", True),))
    if doc is None:
        raise SystemExit(f"lo_contents: LibreOffice could not open {source}")
    try:
        before = contents(doc)
        indexes = doc.getDocumentIndexes()
        for i in range(indexes.getCount()):
            indexes.getByIndex(i).update()
        return {"before": before, "after": contents(doc)}
    finally:
        doc.close(True)


def main() -> int:
    source = Path(sys.argv[1])
    profile = Path(tempfile.mkdtemp(prefix="lo-contents-profile-"))
    office = start_office(profile, f"folio_lo_contents_{os.getpid()}")
    ctx = None
    try:
        ctx = connect(f"folio_lo_contents_{os.getpid()}", office)
        # A copy in our own folder: a lock file beside the original would make the load fail.
        copy = profile.parent / f"{profile.name}-{source.name}"
        shutil.copyfile(source, copy)
        try:
            print(json.dumps(update(ctx, copy), ensure_ascii=False))
        finally:
            copy.unlink(missing_ok=True)
            copy.with_name(f".~lock.{copy.name}#").unlink(missing_ok=True)
        return 0
    finally:
        try:
            if ctx is not None:
                ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx).terminate()
        except Exception:  # the office may already be gone; it is killed below either way
            pass
        try:
            office.wait(timeout=20)
        except Exception:
            office.kill()
            office.wait()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
