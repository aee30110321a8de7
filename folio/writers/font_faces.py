"""The print stylesheets without the @font-face rules of scripts the document does not use.

WeasyPrint loads every @font-face it reads, for every layout (a fresh FontConfiguration each
time): print.css's eight fallback faces (Malayalam, Devanagari, Kannada, Arabic) cost ~90 ms a
layout, and the single pass lays an English report out four to six times. A face is left out
when it is only ever a fallback (its family never comes first in a font-family list) and the
document has no character it draws that the first-named families' faces lack; Pango would
never have picked it, so the PDF is the same."""
from __future__ import annotations

import html as markup
import re
from pathlib import Path
from urllib.parse import unquote, urlparse

from ..glyphs import _characters

FACE = re.compile(r"@font-face\s*\{([^{}]*)\}")
FAMILY = re.compile(r"""font-family\s*:\s*(?:"([^"]+)"|'([^']+)'|([^;,}]+))""")
SOURCE = re.compile(r"""url\(\s*["']?([^"')]+)["']?\s*\)""")


def text_of(page: str) -> frozenset[int]:
    """Every character of the print HTML, entities decoded (its text is a subset)."""
    return frozenset(map(ord, markup.unescape(page)))


def without_unused_faces(css: str, url: str, needed: frozenset[int], others: str = "") -> str:
    """css with the unused fallback faces' rules removed. `url`: the sheet's own (its fonts
    are relative to it); `others`: the other print stylesheets, whose font-family lists count."""
    faces = [(match, _family(match.group(1)), _font(match.group(1), url)) for match in FACE.finditer(css)]
    firsts = {_name(m) for m in FAMILY.finditer(FACE.sub("", css + "\n" + others))}
    main: frozenset[int] = frozenset()
    for _, family, path in faces:
        if family in firsts and path is not None:
            main |= _characters(str(path), path.stat().st_mtime)
    dropped = []
    for match, family, path in faces:
        if family in firsts or path is None or not main:
            continue
        if not (needed & _characters(str(path), path.stat().st_mtime)) - main:
            dropped.append(match.span())
    for start, end in reversed(dropped):
        css = css[:start] + css[end:]
    return css


def _family(body: str) -> str | None:
    found = FAMILY.search(body)
    return _name(found) if found else None


def _name(match) -> str:
    return (match.group(1) or match.group(2) or match.group(3) or "").strip().casefold()


def _font(body: str, url: str) -> Path | None:
    """The face's local font file, if it is one (else the face is kept)."""
    found = SOURCE.search(body)
    if not found or not url.startswith("file:"):
        return None
    base = Path(unquote(urlparse(url).path)).parent
    target = urlparse(found.group(1))
    if target.scheme not in ("", "file"):
        return None
    path = (base / unquote(target.path)).resolve()
    return path if path.is_file() else None
