"""Which link targets an edition may carry: one allow-list for every edition (web, print, Word).

Web and mail addresses (http, https, mailto), places in the document (#id) and relative paths
to files inside the project. Anything else — a script or data URL, a file:// address, an
absolute path such as /etc/passwd, a network share — would point a reader into the machine
that built the report, or run code: the link is dropped and its text kept."""
from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

ALLOWED = ("http://", "https://", "mailto:", "#")
SCHEME = re.compile(r"[a-z][a-z0-9+.-]*:")


def refusal(href: str, base: Path | None = None, root: Path | None = None) -> str:
    """'' if an edition may carry href; else why not, in words after "link to 'x' ".
    With base (the source's folder) and root (the project), a relative path must stay inside."""
    squeezed = "".join(href.split()).lower()     # "java\nscript:" is javascript: to a browser
    if squeezed.startswith(ALLOWED) or not squeezed:
        return ""
    scheme = SCHEME.match(squeezed)
    if scheme:
        return (f"uses '{scheme.group(0)}': an edition links only to http, https and mailto addresses,"
                " places in the document and files in the project")
    if squeezed.startswith(("/", "\\")) or "\\" in squeezed:
        return "is a path on the machine that builds the report, not a file in the project"
    if base is not None and root is not None:
        target = os.path.normpath(os.path.join(base, unquote(urlsplit(href.strip()).path)))
        if os.path.relpath(target, root).split(os.sep)[0] == "..":
            return "leads out of the project"
    return ""


def safe_href(href: str) -> str:
    """href if every edition may carry it, else '' (a writer then writes the link's text alone)."""
    return "" if refusal(href) else href
