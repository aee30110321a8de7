"""What an import produces: the source with the edits made, a unified diff, a one-line summary,
the review file that keeps the editors' comments beside the source, and the bytes to write
back, in the source's own form (its BOM, its line ends, every line not corrected as it was)."""
from __future__ import annotations

import difflib

from .diff import opcodes
from .projection import SourceEdit


class OverlappingEdits(ValueError):
    pass


def apply_edits(source: str, edits: list[SourceEdit]) -> str:
    """The source with every edit made; edits may come in any order but must not overlap."""
    out, at = [], 0
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        if e.start < at:
            raise OverlappingEdits(f"two edits overlap at offset {e.start}")
        out += [source[at:e.start], e.text]
        at = e.end
    out.append(source[at:])
    return "".join(out)


BOM = "\ufeff"


def in_source_form(raw: str, new: str) -> str:
    """new (read as folio reads a source: no BOM, LF line ends) in the form of raw, the source's
    text as it is on disk: lines that did not change are raw's own, byte for byte; new and
    changed lines take raw's line end (CRLF if its first line has one); a BOM stays."""
    bom = BOM if raw.startswith(BOM) else ""
    old = raw[len(bom):].splitlines(keepends=True)
    plain = [line.rstrip("\r\n") + "\n" if line.endswith(("\n", "\r")) else line for line in old]
    plain = [line.replace("\r\n", "\n") for line in plain]
    lines = new.splitlines(keepends=True)
    ending = "\r\n" if old and old[0].endswith("\r\n") else "\n"
    out = []
    for tag, i0, i1, j0, j1 in opcodes(plain, lines):
        if tag == "equal":
            out += old[i0:i1]
        else:
            out += [line[:-1] + ending if line.endswith("\n") else line for line in lines[j0:j1]]
    return bom + "".join(out)


def unified_diff(old: str, new: str, path: str) -> str:
    lines = difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                 f"a/{path}", f"b/{path}")
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


def summary(changes: int, paragraphs: int, comments: int, unplaced: int, conflicts: int = 0) -> str:
    """'14 changes in 9 paragraphs; 2 comments; 1 change not placed'."""
    parts = [f"{_n(changes, 'change')} in {_n(paragraphs, 'paragraph')}", _n(comments, "comment")]
    if unplaced:
        parts.append(f"{_n(unplaced, 'change')} not placed")
    if conflicts:
        parts.append(_n(conflicts, "conflict"))
    return "; ".join(parts)


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def review_file(path: str, docx_name: str, comments: list) -> str:
    """The comments of one import as a Markdown file to keep beside the source."""
    lines = [f"# Review comments from {docx_name}", ""]
    for line, c in sorted(comments, key=lambda item: item[0]):
        where = f"{path}:{line}" if line else path
        who = c.author or "an unnamed reviewer"
        date = f", {c.date[:10]}" if c.date else ""
        lines.append(f"- `{where}` — {who}{date}: {c.text}")
        if c.anchor.strip():
            lines.append(f"  (on “{' '.join(c.anchor.split())}”)")
    return "\n".join(lines) + "\n"
