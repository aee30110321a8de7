"""Three ways to read a paragraph with tracked changes: as the editor wants it (accepted), as it
was (rejected), and for review (CriticMarkup: {++added++} {--removed--} {~~old~>new~~}
{>>comment<<}). Each view is a list of projection Pieces, so the engine knows which characters
Word generated and which are markup to write as they are."""
from __future__ import annotations

from .projection import Piece
from .records import Segment, WordParagraph

ACCEPT, REJECT, CRITIC = "accept", "reject", "critic"
MODES = (ACCEPT, REJECT, CRITIC)


def accepted(para: WordParagraph) -> list[Piece]:
    return [_piece(s) for s in para.segments if not s.removed]


def rejected(para: WordParagraph) -> list[Piece]:
    return [_piece(s) for s in para.segments if not s.added]


def critic(para: WordParagraph, comments: dict | None = None) -> list[Piece]:
    """Unchanged text as it is; each run of changes as CriticMarkup; each comment whose range
    ends in this paragraph after the last text it covers."""
    out: list[Piece] = []
    ends = _comment_ends(para, comments or {})
    segs = para.segments
    i = 0
    while i < len(segs):
        j = i
        while j < len(segs) and (segs[j].change is not None) == (segs[i].change is not None):
            j += 1
        out += _critic_run(segs[i:j]) if segs[i].change is not None else [_piece(s) for s in segs[i:j]]
        for k in range(i, j):
            out += [Piece(f"{{>>{_who(c)}{c.text}<<}}", raw=True) for c in ends.get(k, [])]
        i = j
    out += [Piece(f"{{>>{_who(c)}{c.text}<<}}", raw=True) for c in ends.get(-1, [])]
    return out


def text(pieces: list[Piece]) -> str:
    return "".join(p.text for p in pieces)


def view(para: WordParagraph, mode: str, comments: dict | None = None) -> list[Piece]:
    return {ACCEPT: accepted, REJECT: rejected}[mode](para) if mode != CRITIC else critic(para, comments)


# ---- helpers ---------------------------------------------------------------------------

def _piece(seg: Segment) -> Piece:
    return Piece(seg.text, generated=seg.generated)


def _critic_run(segs: list[Segment]) -> list[Piece]:
    """A run of changed segments: the removed text and the added text, as one mark."""
    old = [s for s in segs if s.removed]
    new = [s for s in segs if s.added]
    if old and new:
        return [Piece("{~~", raw=True), *map(_piece, old), Piece("~>", raw=True), *map(_piece, new),
                Piece("~~}", raw=True)]
    if old:
        return [Piece("{--", raw=True), *map(_piece, old), Piece("--}", raw=True)]
    return [Piece("{++", raw=True), *map(_piece, new), Piece("++}", raw=True)]


def _comment_ends(para: WordParagraph, comments: dict) -> dict:
    """segment index (or -1: the paragraph's end) -> the comments whose range ends there."""
    ends: dict = {}
    last = {}
    for k, seg in enumerate(para.segments):
        for ident in seg.comments:
            last[ident] = k
    for ident, k in last.items():
        comment = comments.get(ident)
        if comment is not None and comment.paragraphs and comment.paragraphs[-1] == para.index:
            ends.setdefault(k, []).append(comment)
    for ident in para.comment_points:
        comment = comments.get(ident)
        if comment is not None and ident not in last and comment.paragraphs == [para.index]:
            ends.setdefault(-1, []).append(comment)
    return ends


def _who(comment) -> str:
    return f"{comment.author}: " if comment.author else ""
