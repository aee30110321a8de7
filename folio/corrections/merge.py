"""A three-way merge of lines: the revision the Word file was built from (base), the source as it
is now (ours) and that revision with the Word corrections made (theirs).

A paragraph of a folio source is one line, so a line merge is a paragraph merge: a paragraph
changed on one side only takes that change; changed on both sides alike, once; changed on both
sides differently, it is a conflict, written with both versions between markers so that nothing
is lost, and reported with its line. There is no git to lean on: the base comes from the DOCX.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .diff import matching_blocks

OURS_MARK, BASE_MARK, SEP_MARK, THEIRS_MARK = "<<<<<<< source now", "||||||| when the DOCX was built", \
    "=======", ">>>>>>> Word corrections"


@dataclass
class Conflict:
    line: int                  # 1-based, in the merged text (the line of its first marker)
    ours: list
    theirs: list


@dataclass
class Merged:
    text: str
    conflicts: list = field(default_factory=list)
    from_theirs: int = 0       # changed stretches taken from the Word side


def merge3(base: str, ours: str, theirs: str) -> Merged:
    b, o, t = (x.splitlines(keepends=True) for x in (base, ours, theirs))
    out: list[str] = []
    merged = Merged("")
    bi = oi = ti = 0
    for b0, b1, o0, o1, t0, t1 in _sync_regions(b, o, t):
        _chunk(b[bi:b0], o[oi:o0], t[ti:t0], out, merged)
        out += o[o0:o1]
        bi, oi, ti = b1, o1, t1
    merged.text = "".join(out)
    return merged


def _chunk(base: list, ours: list, theirs: list, out: list, merged: Merged) -> None:
    if ours == theirs or theirs == base:
        out += ours
    elif ours == base:
        out += theirs
        merged.from_theirs += 1
    elif _extends(ours, base) or _extends(theirs, base):
        # one side only added lines before or after what the other changed: both are kept
        out += _combine(ours, theirs, base) if _extends(ours, base) else _combine(theirs, ours, base)
        merged.from_theirs += 1
    else:
        merged.conflicts.append(Conflict(len(out) + 1, ours, theirs))
        out += [OURS_MARK + "\n", *_ended(ours), BASE_MARK + "\n", *_ended(base), SEP_MARK + "\n",
                *_ended(theirs), THEIRS_MARK + "\n"]


def _extends(side: list, base: list) -> bool:
    """side is base with lines added before or after it only."""
    return bool(base) and len(side) > len(base) and (side[:len(base)] == base or side[-len(base):] == base)


def _combine(adding: list, changing: list, base: list) -> list:
    if adding[:len(base)] == base:
        return changing + adding[len(base):]
    return adding[:len(adding) - len(base)] + changing


def _ended(lines: list) -> list:
    return lines[:-1] + [lines[-1] if lines[-1].endswith("\n") else lines[-1] + "\n"] if lines else []


def _sync_regions(b: list, o: list, t: list):
    """Stretches of base that both sides kept as they were: (b0, b1, o0, o1, t0, t1), ending
    with an empty region at the three ends."""
    mo, mt = matching_blocks(b, o), matching_blocks(b, t)
    i = j = 0
    while i < len(mo) and j < len(mt):
        (ob, oo, on), (tb, tt, tn) = mo[i], mt[j]
        lo, hi = max(ob, tb), min(ob + on, tb + tn)
        if lo < hi:
            yield lo, hi, oo + lo - ob, oo + hi - ob, tt + lo - tb, tt + hi - tb
        if ob + on < tb + tn:
            i += 1
        else:
            j += 1
    yield len(b), len(b), len(o), len(o), len(t), len(t)
