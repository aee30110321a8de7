"""Edit a DOCX the way an editor would, in a real office suite: LibreOffice, with change recording.

Run with the system Python that has Debian's python3-uno (not the project's venv):

    /usr/bin/python3 tests/lo_edit.py IN.docx OUT.docx EDITS.json

EDITS.json is a list of operations, applied in order, each found by its text (the first
occurrence within one paragraph, or the "nth": 2, 3 …):

    {"op": "replace", "find": "old words", "with": "new words"}        in the body (headings too)
    {"op": "delete", "find": "a whole sentence. "}
    {"op": "insert_paragraph", "after": "end of a paragraph.", "text": "A new paragraph."}
    {"op": "delete_paragraph", "find": "words of the paragraph"}
    {"op": "join", "after": "end of a paragraph."}                   runs on into the next
    {"op": "footnote", "index": 0, "find": "old", "with": "new"}       in the n-th footnote
    {"op": "comment", "find": "words", "text": "Please check.", "author": "A. Editor"}

Options: --author NAME (the name tracked changes carry), --no-track (edits made without
recording changes). Exit status 2 with one line on stderr when a text is not found.
LibreOffice runs with its own profile in a temporary folder and is stopped before exit.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import uno  # noqa: F401  (Debian's python3-uno: only under /usr/bin/python3)
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException
from com.sun.star.text.ControlCharacter import PARAGRAPH_BREAK
from com.sun.star.util import DateTime


class NotFound(Exception):
    pass


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def start_office(profile: Path, pipe: str) -> subprocess.Popen:
    common = ["soffice", "--headless", "--invisible", "--nologo", "--norestore", "--nodefault",
              f"-env:UserInstallation={profile.as_uri()}"]
    # A fresh profile makes soffice restart itself once after creating it, which would cut a
    # connection made in between: create the profile first, in a run that ends by itself.
    subprocess.run([*common, "--terminate_after_init"], stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=120, check=False)
    return subprocess.Popen([*common, f"--accept=pipe,name={pipe};urp;"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def connect(pipe: str, office: subprocess.Popen, timeout: float = 60.0):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + timeout
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except NoConnectException:
            if office.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"lo_edit: LibreOffice did not start (status {office.poll()})") from None
            time.sleep(0.25)


def set_user_name(ctx, name: str) -> None:
    """The author LibreOffice writes on tracked changes is the profile's user name."""
    provider = ctx.ServiceManager.createInstanceWithContext(
        "com.sun.star.configuration.ConfigurationProvider", ctx)
    access = provider.createInstanceWithArguments(
        "com.sun.star.configuration.ConfigurationUpdateAccess",
        (prop("nodepath", "/org.openoffice.UserProfile/Data"),))
    given, _, family = name.partition(" ")
    access.setPropertyValue("givenname", given)
    access.setPropertyValue("sn", family)
    access.commitChanges()


def paragraphs(text):
    """The paragraphs of a text, with those of its tables' cells, in order."""
    items = text.createEnumeration()
    while items.hasMoreElements():
        item = items.nextElement()
        if item.supportsService("com.sun.star.text.Paragraph"):
            yield item
        elif item.supportsService("com.sun.star.text.TextTable"):
            for name in item.getCellNames():
                yield from paragraphs(item.getCellByName(name).getText())


def find(doc, text: str, nth: int = 1):
    """The nth range of the body holding text, within one paragraph. (The search descriptor
    needs a document view, and a view is what this script must not have: see edit_file.)"""
    for para in paragraphs(doc.getText()):
        where = para.getString().find(text)
        nth -= where >= 0
        if where >= 0 and nth == 0:
            cursor = para.getText().createTextCursorByRange(para.getStart())
            cursor.goRight(where, False)
            cursor.goRight(len(text), True)
            return cursor
    raise NotFound(f"text not found in the body: {text!r}")


def op_replace(doc, edit):
    find(doc, edit["find"], edit.get("nth", 1)).setString(edit["with"])


def op_delete(doc, edit):
    find(doc, edit["find"], edit.get("nth", 1)).setString("")


def op_insert_paragraph(doc, edit):
    found = find(doc, edit["after"], edit.get("nth", 1))
    cursor = found.getText().createTextCursorByRange(found.getEnd())
    cursor.gotoEndOfParagraph(False)
    text = cursor.getText()
    text.insertControlCharacter(cursor, PARAGRAPH_BREAK, False)
    text.insertString(cursor, edit["text"], False)


def op_delete_paragraph(doc, edit):
    """The whole paragraph holding the text, its paragraph mark included."""
    cursor = find(doc, edit["find"], edit.get("nth", 1))
    cursor.gotoStartOfParagraph(False)
    cursor.gotoEndOfParagraph(True)
    cursor.goRight(1, True)
    cursor.setString("")


def op_join(doc, edit):
    """The paragraph holding the text run on into the next: its paragraph mark deleted."""
    cursor = find(doc, edit["after"], edit.get("nth", 1))
    cursor.gotoEndOfParagraph(False)
    cursor.goRight(1, True)
    cursor.setString("")


def op_footnote(doc, edit):
    notes = doc.getFootnotes()
    if edit["index"] >= notes.getCount():
        raise NotFound(f"no footnote number {edit['index'] + 1}")
    text = notes.getByIndex(edit["index"]).getText()
    where = text.getString().find(edit["find"])
    if where < 0:
        raise NotFound(f"text not found in footnote {edit['index'] + 1}: {edit['find']!r}")
    cursor = text.createTextCursor()
    cursor.gotoStart(False)
    cursor.goRight(where, False)
    cursor.goRight(len(edit["find"]), True)
    cursor.setString(edit["with"])


def op_comment(doc, edit):
    found = find(doc, edit["find"], edit.get("nth", 1))
    note = doc.createInstance("com.sun.star.text.textfield.Annotation")
    note.Author = edit.get("author", "")
    note.Content = edit["text"]
    # Without a date the DOCX export of a comment crashes LibreOffice 7.4.
    when = DateTime()
    when.Year, when.Month, when.Day, when.Hours, when.Minutes = 2026, 11, 28, 9, 30
    note.DateTimeValue = when
    found.getText().insertTextContent(found, note, True)


OPS = {"replace": op_replace, "delete": op_delete, "insert_paragraph": op_insert_paragraph,
       "delete_paragraph": op_delete_paragraph, "join": op_join, "footnote": op_footnote, "comment": op_comment}


def edit_file(ctx, source: Path, target: Path, edits: list, track: bool) -> None:
    # The model alone, without a frame or view: with a view, a comment makes Debian's
    # libreoffice-writer-nogui build its sidebar window, whose UI file it lacks, and abort.
    doc = ctx.ServiceManager.createInstanceWithContext("com.sun.star.text.TextDocument", ctx)
    doc.load((prop("URL", source.resolve().as_uri()), prop("FilterName", "MS Word 2007 XML")))
    try:
        doc.RecordChanges = track
        for edit in edits:
            OPS[edit["op"]](doc, edit)
        doc.storeToURL(target.resolve().as_uri(), (prop("FilterName", "MS Word 2007 XML"),))
    finally:
        doc.close(True)


def main() -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("source", type=Path)
    args.add_argument("target", type=Path)
    args.add_argument("edits", type=Path)
    args.add_argument("--author", default="Test Editor")
    args.add_argument("--no-track", action="store_true")
    opts = args.parse_args()
    edits = json.loads(opts.edits.read_text(encoding="utf-8"))
    profile = Path(tempfile.mkdtemp(prefix="lo-edit-profile-"))
    pipe = f"folio_lo_edit_{os.getpid()}"
    office = start_office(profile, pipe)
    try:
        ctx = connect(pipe, office)
        set_user_name(ctx, opts.author)
        # A copy in our own folder: a lock file left beside the original by an earlier run
        # would make a hidden load fail silently.
        copy = profile.parent / f"{profile.name}-{opts.source.name}"
        shutil.copyfile(opts.source, copy)
        try:
            edit_file(ctx, copy, opts.target, edits, not opts.no_track)
        finally:
            copy.unlink(missing_ok=True)
        return 0
    except NotFound as exc:
        print(f"lo_edit: {exc}", file=sys.stderr)
        return 2
    finally:
        try:
            ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx).terminate()
        except Exception:  # the office may already be gone; it is killed below either way
            pass
        try:
            office.wait(timeout=20)
        except subprocess.TimeoutExpired:
            office.kill()
            office.wait()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
