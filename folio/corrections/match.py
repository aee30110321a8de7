"""Which source paragraph each paragraph of the edited file came from.

First by the ids folio wrote (the w14:paraId, then the hidden `_F…` bookmark, both named in the
source map; a bookmark LibreOffice renamed `…_Copy_1` on a paragraph copied and pasted only
after every paragraph that kept the name), each checked against the text hash the map holds:
a paragraph whose text is another entry's was given the wrong id (a map that lies), and is
matched by its text instead. What is left, by aligning texts in document order between those anchors (the
paragraph numbers folio writes count too). A DOCX that folio did not make has no anchors: it is
aligned by text alone, and the result carries a confidence figure.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from ..ooxml.sourcemap import SourceMap, bookmark_key, text_digest
from .diff import longest_increasing, matching_blocks
from .records import WordParagraph
from .spans import canon, written_text
from .units import Unit

PARAGRAPH_NUMBER = re.compile(r"^(\d+)\.\t")
# Not in a paragraph's text hash: the note numbers (a reference in the file, not text) and the
# page numbers (Word and LibreOffice update them).
UNHASHED = ("footnote", "footnote-mark", "PAGEREF")
THRESHOLD = 0.5          # a text match below this similarity is no match
DP_CELLS = 250_000       # above this many pairs in one gap, align by equal texts only


@dataclass
class Match:
    unit: Unit
    target: object = None      # spans.RenderedParagraph, or None
    how: str = ""              # "paraId" | "bookmark" | "text" | "" (not found)
    score: float = 0.0


@dataclass
class Matching:
    matches: list
    counts: dict = field(default_factory=dict)   # how -> number of units
    confidence: float = 1.0    # mean similarity of the text matches, weighted by length
    coverage: float = 1.0      # share of the text (by length) that found a source paragraph
    mislabelled: int = 0       # paragraphs whose id the map gives to another text


def match(units: list[Unit], targets: list, smap: SourceMap | None = None) -> Matching:
    by_id = {t.id: t for t in targets}
    matches = [Match(u) for u in units]
    used: set[str] = set()
    mislabelled = 0
    if smap is not None:
        texts = {e.sha256: e.id for e in smap.entries if e.sha256}
        for copies in (False, True):
            for m in matches:
                if m.target is None:
                    mislabelled += _by_ids(m, smap, by_id, used, texts, copies)
    _by_text(matches, targets, used)
    matching = _summarise(matches)
    matching.mislabelled = mislabelled
    return matching


def _by_ids(m: Match, smap: SourceMap, by_id: dict, used: set, texts: dict, copies: bool) -> int:
    """Match by the paraId or the bookmark (copies: a `…_Copy_n` one); 1 if the id found is
    refused because the paragraph's text is another entry's."""
    for para in m.unit.paragraphs:
        entry, how = (None, "") if copies else (smap.by_para_id.get(para.para_id), "paraId")
        if entry is None or entry.id in used:
            names = [k for k in map(bookmark_key, para.bookmarks) if k in smap.by_bookmark
                     and (k != _name(para, k)) == copies]
            entry, how = (smap.by_bookmark[names[0]], "bookmark") if names else (None, "")
        if entry is not None and entry.id in by_id and entry.id not in used:
            if _lies(entry, by_id[entry.id], para, texts, smap.generated is not None):
                return 1
            m.target, m.how, m.score = by_id[entry.id], how, 1.0
            used.add(entry.id)
            return 0
    return 0


def _lies(entry, target, para: WordParagraph, texts: dict, hashed: bool) -> bool:
    """The map's entry does not hold: the source paragraph it names does not read as the text
    it records (a map since version 2 hashes what it describes), or the Word paragraph still
    reads as the text of another entry."""
    if not entry.sha256 or not hashed:
        return False
    if text_digest(written_text(target)) != entry.sha256:
        return True
    word = text_digest(written(para))
    return word != entry.sha256 and texts.get(word, entry.id) != entry.id


def _name(para: WordParagraph, key: str) -> str:
    """The paragraph's own bookmark of the map's name key: the name itself if it has it."""
    return key if key in para.bookmarks else ""


def written(para: WordParagraph) -> str:
    """The paragraph's text as folio wrote it: before the tracked changes, without the note
    numbers Word shows (folio writes a reference, not text)."""
    return "".join(s.text for s in para.segments if not s.added and s.generated not in UNHASHED)


# ---- text alignment between anchors -------------------------------------------------------

def _by_text(matches: list[Match], targets: list, used: set) -> None:
    position = {t.id: n for n, t in enumerate(targets)}
    # the longest run of anchors in the same order on both sides (moved paragraphs keep their id
    # match, but do not bound the alignment of the others)
    anchors = longest_increasing([(i, position[m.target.id]) for i, m in enumerate(matches)
                                  if m.target is not None])
    bounds = [(-1, -1), *anchors, (len(matches), len(targets))]
    for (i0, j0), (i1, j1) in zip(bounds, bounds[1:], strict=False):
        units = [i for i in range(i0 + 1, i1) if matches[i].target is None and matches[i].unit.original.strip()]
        free = [j for j in range(j0 + 1, j1) if targets[j].id not in used]
        for i, j, score in _align([_norm(matches[i].unit.original) for i in units],
                                  [_norm(targets[j].text) for j in free],
                                  [matches[i].unit.story == "footnote" for i in units],
                                  [targets[j].kind == "footnote" for j in free]):
            m = matches[units[i]]
            m.target, m.how, m.score = targets[free[j]], "text", score
            used.add(m.target.id)


def _align(a: list[str], b: list[str], a_notes: list[bool], b_notes: list[bool]):
    """(i, j, score) pairs in order: equal texts first, then the best similar ones between."""
    if not a or not b:
        return []
    out = []
    i0 = j0 = 0
    for ba, bb, size in matching_blocks(a, b):
        out += _similar(a, b, range(i0, ba), range(j0, bb), a_notes, b_notes)
        out += [(ba + k, bb + k, 1.0) for k in range(size) if a_notes[ba + k] == b_notes[bb + k]]
        i0, j0 = ba + size, bb + size
    return out


def _similar(a, b, rows: range, cols: range, a_notes, b_notes) -> list:
    """Order-preserving best pairing of two short runs of differing paragraphs (dynamic
    programming on similarity); runs too long for that are left unmatched."""
    if not rows or not cols or len(rows) * len(cols) > DP_CELLS:
        return []
    n, m = len(rows), len(cols)
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    sims = {}
    for x in range(n - 1, -1, -1):
        for y in range(m - 1, -1, -1):
            sim = similarity(a[rows[x]], b[cols[y]]) if a_notes[rows[x]] == b_notes[cols[y]] else 0.0
            sims[x, y] = sim
            take = score[x + 1][y + 1] + sim if sim >= THRESHOLD else -1.0
            score[x][y] = max(take, score[x + 1][y], score[x][y + 1])
    out, x, y = [], 0, 0
    while x < n and y < m:
        sim = sims[x, y]
        if sim >= THRESHOLD and score[x][y] == score[x + 1][y + 1] + sim:
            out.append((rows[x], cols[y], sim))
            x, y = x + 1, y + 1
        elif score[x][y] == score[x + 1][y]:
            x += 1
        else:
            y += 1
    return out


def similarity(a: str, b: str) -> float:
    """Text similarity, with the paragraph numbers folio writes counting for or against."""
    matcher = difflib.SequenceMatcher(None, a, b)
    if matcher.real_quick_ratio() < THRESHOLD - 0.15 or matcher.quick_ratio() < THRESHOLD - 0.15:
        return 0.0
    sim = matcher.ratio()
    na, nb = PARAGRAPH_NUMBER.match(a), PARAGRAPH_NUMBER.match(b)
    if na and nb:
        sim += 0.15 if na.group(1) == nb.group(1) else -0.15
    return max(0.0, min(1.0, sim))


def _norm(text: str) -> str:
    """Quotes and spaces made plain; a leading paragraph number kept as folio writes it."""
    number = PARAGRAPH_NUMBER.match(text)
    prefix = number.group(0) if number else ""
    return prefix + " ".join(canon(text[len(prefix):]).split())


def _summarise(matches: list[Match]) -> Matching:
    counts: dict[str, int] = {}
    for m in matches:
        counts[m.how or "none"] = counts.get(m.how or "none", 0) + 1
    texty = [m for m in matches if m.unit.original.strip()]
    total = sum(len(m.unit.original) for m in texty)
    by_text = [m for m in texty if m.how == "text"]
    weight = sum(len(m.unit.original) for m in by_text)
    confidence = sum(m.score * len(m.unit.original) for m in by_text) / weight if weight else 1.0
    coverage = sum(len(m.unit.original) for m in texty if m.target is not None) / total if total else 1.0
    return Matching(matches, counts, round(confidence, 3), round(coverage, 3))
