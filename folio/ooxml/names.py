"""Namespaces of WordprocessingML and its package, and Word's rules for bookmark names."""
from __future__ import annotations

import re

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
STRICT_DOCUMENT = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"

MAX_BOOKMARK = 40  # Word drops or truncates longer bookmark names


def sanitise(label: str) -> str:
    """A bookmark name by Word's rules: a letter first, then letters, digits and '_', at most
    40 characters."""
    name = re.sub(r"[^A-Za-z0-9_]", "_", label)
    if not name[:1].isalpha() or not name[:1].isascii():
        name = "b_" + name
    return name[:MAX_BOOKMARK]
