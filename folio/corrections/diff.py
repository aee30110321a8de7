"""Sequence alignment in bounded time, for the lines of a source and the words of a paragraph.

difflib.SequenceMatcher is quadratic where one element repeats (the spaces between words, the
blank lines between paragraphs, a long report's like paragraphs): thousands of tracked
changes in one paragraph took minutes. What both sides share at their ends is taken first; a
stretch small enough is aligned by difflib; a larger one by patience diff: the elements found
exactly once on each side, kept in the longest run in the same order, are anchors, and the
stretches between them are aligned the same way; a large stretch with no anchor is one change. The result has difflib's
shapes (matching blocks, opcodes), so callers keep their code.
"""
from __future__ import annotations

import difflib
from bisect import bisect_left

SMALL = 40_000       # a stretch with no anchor is aligned by difflib below this many pairs


def matching_blocks(a: list, b: list) -> list[tuple[int, int, int]]:
    """(i, j, n): a[i:i+n] == b[j:j+n], in order, ending with (len(a), len(b), 0)."""
    pairs: list[tuple[int, int]] = []
    stack = [(0, len(a), 0, len(b))]
    while stack:
        alo, ahi, blo, bhi = stack.pop()
        while alo < ahi and blo < bhi and a[alo] == b[blo]:
            pairs.append((alo, blo))
            alo, blo = alo + 1, blo + 1
        while alo < ahi and blo < bhi and a[ahi - 1] == b[bhi - 1]:
            ahi, bhi = ahi - 1, bhi - 1
            pairs.append((ahi, bhi))
        if alo == ahi or blo == bhi:
            continue
        if (ahi - alo) * (bhi - blo) <= SMALL:
            matcher = difflib.SequenceMatcher(None, a[alo:ahi], b[blo:bhi], autojunk=False)
            pairs += [(alo + i + k, blo + j + k) for i, j, n in matcher.get_matching_blocks() for k in range(n)]
            continue
        i0, j0 = alo, blo
        for i, j in _anchors(a, b, alo, ahi, blo, bhi):
            stack.append((i0, i, j0, j))
            pairs.append((i, j))
            i0, j0 = i + 1, j + 1
        if (i0, j0) != (alo, blo):
            stack.append((i0, ahi, j0, bhi))
    return _blocks(sorted(pairs), len(a), len(b))


def opcodes(a: list, b: list) -> list[tuple[str, int, int, int, int]]:
    """difflib's opcodes ('equal', 'replace', 'delete', 'insert') from matching_blocks."""
    out, i, j = [], 0, 0
    for ai, bj, n in matching_blocks(a, b):
        tag = "replace" if i < ai and j < bj else "delete" if i < ai else "insert" if j < bj else ""
        if tag:
            out.append((tag, i, ai, j, bj))
        if n:
            out.append(("equal", ai, ai + n, bj, bj + n))
        i, j = ai + n, bj + n
    return out


def _anchors(a: list, b: list, alo: int, ahi: int, blo: int, bhi: int) -> list[tuple[int, int]]:
    """Elements found once in a[alo:ahi] and once in b[blo:bhi], the longest run of them in the
    same order on both sides."""
    seen_a: dict = {}
    for i in range(alo, ahi):
        seen_a[a[i]] = -1 if a[i] in seen_a else i
    seen_b: dict = {}
    for j in range(blo, bhi):
        x = b[j]
        if seen_a.get(x, -1) >= 0:
            seen_b[x] = -1 if x in seen_b else j
    pairs = sorted((seen_a[x], j) for x, j in seen_b.items() if j >= 0)
    return longest_increasing(pairs)


def longest_increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest subsequence of pairs (sorted by i) whose j increase too (patience sorting)."""
    tails: list[int] = []
    tail_at: list[int] = []
    back = [-1] * len(pairs)
    for n, (_, j) in enumerate(pairs):
        k = bisect_left(tails, j)
        if k == len(tails):
            tails.append(j)
            tail_at.append(n)
        else:
            tails[k], tail_at[k] = j, n
        back[n] = tail_at[k - 1] if k else -1
    out, n = [], tail_at[-1] if tail_at else -1
    while n >= 0:
        out.append(pairs[n])
        n = back[n]
    return out[::-1]


def _blocks(pairs: list[tuple[int, int]], la: int, lb: int) -> list[tuple[int, int, int]]:
    out: list[list[int]] = []
    for i, j in pairs:
        if out and out[-1][0] + out[-1][2] == i and out[-1][1] + out[-1][2] == j:
            out[-1][2] += 1
        else:
            out.append([i, j, 1])
    return [tuple(x) for x in out] + [(la, lb, 0)]
