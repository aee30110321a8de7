"""word/comments.xml: who said what, and when. Where each comment is anchored is found by the
revision reader (commentRangeStart/End and commentReference in the text)."""
from __future__ import annotations

from ..ooxml.names import W
from .records import Comment


def read_comments(root) -> dict:
    """id -> Comment, in the order of the part; {} when the file has no comments part."""
    if root is None:
        return {}
    out = {}
    for el in root.iter(f"{{{W}}}comment"):
        ident = el.get(f"{{{W}}}id", "")
        paragraphs = ["".join(t.text or "" for t in p.iter(f"{{{W}}}t")) for p in el.iter(f"{{{W}}}p")]
        out[ident] = Comment(ident, el.get(f"{{{W}}}author", ""), _date(el.get(f"{{{W}}}date", "")),
                             el.get(f"{{{W}}}initials", ""), "\n".join(paragraphs).strip())
    return out


def _date(value: str) -> str:
    """Word's date, or "" for the placeholders some suites write ("0-00-00T00:00:00Z")."""
    return "" if not value or value.startswith(("0-", "0000-")) else value
