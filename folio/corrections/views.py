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
    """Unchanged text as it is; each run of changes as CriticMarkup; a comment on text of this
    paragraph alone as {==text==}{>>comment<<}, one spanning paragraphs as {>>comment<<} where
    its range ends."""
    starts, ends = _comment_bounds(para, comments or {})
    out: list[Piece] = []
    segs = para.segments
    i = 0
    while i < len(segs):
        j = i + 1
        while segs[i].change is not None and j < len(segs) and segs[j].change is not None:
            j += 1
        for k in range(i, j):
            out += [Piece("{==", raw=True) for _ in starts.get(k, [])]
        out += _critic_run(segs[i:j]) if segs[i].change is not None else [_piece(segs[i])]
        for k in range(i, j):
            out += [_comment_piece(c, c.id in starts["own"]) for c in ends.get(k, [])]
        i = j
    return out + [_comment_piece(c, False) for c in ends.get(-1, [])]


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


def _comment_bounds(para: WordParagraph, comments: dict) -> tuple[dict, dict]:
    """Where the comments that end in this paragraph start and end in it: segment index (-1:
    the paragraph's end) -> comments. starts["own"]: the ids of the comments on this paragraph
    alone (highlighted)."""
    starts: dict = {"own": set()}
    ends: dict = {}
    for ident in para.comment_ends:
        comment = comments.get(ident)
        if comment is None:
            continue
        (p0, s0), (_, s1) = comment.start, comment.end
        own = p0 == para.index
        if s1 >= 0 and (not own or s0 <= s1):
            ends.setdefault(s1, []).append(comment)
            if own:
                starts.setdefault(s0, []).append(comment)
                starts["own"].add(ident)
        else:
            ends.setdefault(-1, []).append(comment)
    return starts, ends


def _comment_piece(comment, highlighted: bool) -> Piece:
    return Piece(("==}" if highlighted else "") + f"{{>>{_who(comment)}{comment.text}<<}}", raw=True)


def _who(comment) -> str:
    return f"{comment.author}: " if comment.author else ""
