"""The items of a corrigendum: OLD and NEW compared block by block, each change worded.

Blocks are aligned by what their stable ids are made of (their kind and source text: an
unchanged block has the same id in both), with the longest common subsequence of
corrections/diff.py; a block that changed is paired with the like block in its place.
Footnotes are paired by their labels. Within a pair, the words that changed give the short
forms ("For … read …", "Delete …", "Insert … after …"); more or larger changes give the whole
new text ("The paragraph should read:"). A change that alters no shown text (emphasis, a
label, markup) needs no item, and is reported so."""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from .. import model as m
from ..corrections.diff import opcodes
from ..i18n import wording
from ..model.text import block_text, plain_text
from ..model.walk import inline_lists, iter_inlines
from .place import Pages, Place, units

SHORT = 6          # words on either side of a change worded "For … read …"
HUNKS = 3          # changes in one block worded one by one; more: the block "should read"
LIKE = 0.5         # a changed block is paired with a new one sharing at least this share of words
QUOTED = 12        # a deletion longer than this many words is quoted by its ends


@dataclass
class Item:
    place: Place
    operation: str             # "For “seven million” read “eight million”"
    text: str = ""             # the new text an operation ending in ":" introduces
    # What the item is about, for aligning language versions (languages.py): the OLD block it
    # names (the one new text follows, for an insertion), how, and the whole block's
    # "should read" item that stands for several items when the versions count them apart.
    block: object = None
    how: str = "change"
    whole: Item | None = None


@dataclass
class Unchanged:
    line: int                  # the NEW source line of a change that needs no item
    why: str


def compare(old: m.Document, new: m.Document, pages: Pages) -> tuple[list[Item], list[Unchanged]]:
    """Items in OLD's page order, and the changes that need none."""
    words = _Words(old, pages)
    items: list[Item] = []
    quiet: list[Unchanged] = []
    olds, news = list(units(old.blocks)), list(units(new.blocks))
    partner: dict[int, object] = {}
    last = None
    for before, after in _align(old, new, olds, news):
        if before is not None and after is not None:
            partner[id(after)] = before
            if _key(old, before) != _key(new, after):
                start = len(items)
                _changed(words, before, after, new, items, quiet)
                _about(items[start:], before, "change")
        elif before is not None:
            items.append(_about([words.delete(before)], before, "delete")[0])
        elif last or olds:
            items.append(_about([words.insert(last or olds[0], after, new)], last or olds[0], "insert")[0])
        last = before or last
    _notes(old, new, words, partner, items, quiet)
    _abbreviations(old, new, words, items)
    return sorted(items, key=lambda item: (item.place.page, item.place.line)), quiet


def _about(items: list[Item], block, how: str) -> list[Item]:
    for item in items:
        item.block, item.how = block, how
    return items


def _changed(words, before, after, new, items, quiet) -> None:
    if words.shown(before) == words.shown(after, new.terms):
        if _calls(before) == _calls(after):     # else the note's own item says it
            quiet.append(Unchanged(after.loc.line, "the shown text is the same (style or markup only)"))
        return
    edits = words.edits(before, after, new.terms)
    whole = words.whole(before, after, new.terms)
    for edit in edits:
        edit.whole = whole
    items.extend(edits)
    listed = {entry.target for entry in words.old.contents}
    where = words.pages.contents(words.shown(before)) if isinstance(before, m.Heading) and before.id in listed \
        else None
    if where is not None:           # generated text: the contents show the heading too
        items.extend(Item(where, edit.operation, edit.text) for edit in edits)


def _notes(old, new, words, partner, items, quiet) -> None:
    """Footnotes, paired by label: changed, removed, or new (placed at the block calling it)."""
    for label, note in old.footnotes.items():
        other = new.footnotes.get(label)
        if other is None:
            items.append(_about([words.delete(note)], note, "delete")[0])
        elif _note_text(note) != _note_text(other):
            start = len(items)
            _changed(words, note, other, new, items, quiet)
            _about(items[start:], note, "change")
    calls = {label: block for block in units(new.blocks) for label in _calls(block)}
    for label, note in new.footnotes.items():
        if label not in old.footnotes:
            anchor = partner.get(id(calls.get(label)))
            if anchor is not None:
                items.append(_about([words.new_note(anchor, calls[label], note, new.terms)], anchor, "note")[0])


def _abbreviations(old, new, words, items) -> None:
    """The list of abbreviations is generated text: a row changed, removed or added is
    itemised where the list shows it."""
    before = {a.abbr: a.expansion for a in old.abbreviation_table}
    after = {a.abbr: a.expansion for a in new.abbreviation_table}
    for abbr, expansion in before.items():
        where = words.pages.abbreviations(f"{abbr} {expansion}")
        if where is None or after.get(abbr) == expansion:
            continue
        if abbr in after:
            items.append(Item(where, words.words.get("for_read", "").format(
                old=words.q(expansion.split()), new=words.q(after[abbr].split()))))
        else:
            items.append(Item(where, words.words.get("delete", "").format(old=words.q([abbr, expansion]))))
    shown = list(before)
    for abbr in (a for a in after if a not in before):
        earlier = [b for b in shown if b.replace(" ", "").casefold() < abbr.replace(" ", "").casefold()]
        where = words.pages.abbreviations(f"{earlier[-1]} {before[earlier[-1]]}" if earlier else
                                          f"{shown[0]} {before[shown[0]]}") if shown else None
        if where is not None:
            items.append(Item(where, words.words.get("insert", "").format(
                new=words.q([abbr, after[abbr]]), anchor=words.q([earlier[-1] if earlier else shown[0]]))))


def _calls(block) -> list[str]:
    """The labels of the notes a block calls, in order."""
    return [n.label for nodes in inline_lists(block) for n in iter_inlines(nodes) if isinstance(n, m.FootnoteRef)]


def _before_call(block, label: str, terms: dict) -> str:
    """The block's shown text before its call of a note."""
    for nodes in inline_lists(block):
        for n, node in enumerate(nodes):
            if isinstance(node, m.FootnoteRef) and node.label == label:
                return plain_text(nodes[:n], _xref(terms))
    return ""


def _note_text(note: m.Footnote) -> str:
    return " ".join(block_text(b) for b in note.blocks)


def _key(doc: m.Document, block) -> tuple:
    """What a block's id is made of, and its source as written: emphasis added to a paragraph
    keeps its id but is a change (one that needs no item)."""
    written = doc.text[block.loc.start:block.loc.end] if 0 <= block.loc.start < block.loc.end else ""
    return type(block).__name__, block_text(block), written


def _align(old: m.Document, new: m.Document, olds: list, news: list):
    """(old, new) pairs in reading order; None for a block only one side has."""
    keys_old = [_key(old, b) for b in olds]
    keys_new = [_key(new, b) for b in news]
    for tag, i1, i2, j1, j2 in opcodes(keys_old, keys_new):
        if tag == "equal":
            yield from zip(olds[i1:i2], news[j1:j2], strict=True)
        else:
            yield from _pair(olds[i1:i2], news[j1:j2])


def _pair(olds: list, news: list):
    """A changed stretch: block for block where both sides hold as many blocks of the same
    kinds; else each old block with the next new block of its kind that shares at least half
    its words, in order."""
    if [type(b) for b in olds] == [type(b) for b in news]:
        yield from zip(olds, news, strict=True)
        return
    j = 0
    for block in olds:
        k = next((k for k in range(j, len(news)) if type(news[k]) is type(block) and _alike(block, news[k])), None)
        if k is None:
            yield block, None
            continue
        yield from ((None, n) for n in news[j:k])
        yield block, news[k]
        j = k + 1
    yield from ((None, n) for n in news[j:])


def _alike(one, other) -> bool:
    a, b = block_text(one).split(), block_text(other).split()
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= LIKE if a or b else True


class _Words:
    """Wording of the operations, in the OLD document's language."""

    def __init__(self, old: m.Document, pages: Pages):
        self.old, self.pages = old, pages
        self.words = old.terms.get("corrigendum", {})
        self.open, self.close = old.locale.quotes[0], old.locale.quotes[1]

    def shown(self, block, terms=None) -> str:
        terms = terms or self.old.terms
        if isinstance(block, m.Footnote):
            return " ".join(self.shown(b, terms) for b in block.blocks)
        if isinstance(block, m.Table):
            return " ".join(plain_text(cell.children, _xref(terms)) for row in
                            [[m.TableCell(block.caption)]] + block.head + block.body for cell in row)
        return " ".join(plain_text(nodes, _xref(terms)) for nodes in inline_lists(block))

    def q(self, words: list[str]) -> str:
        return f"{self.open}{' '.join(words)}{self.close}"

    def edits(self, before, after, new_terms) -> list[Item]:
        text, other = self.shown(before), self.shown(after, new_terms)
        a, b = text.split(), other.split()
        hunks = [h for h in opcodes(a, b) if h[0] != "equal"]
        small = len(hunks) <= HUNKS and all(h[0] != "replace" or max(h[2] - h[1], h[4] - h[3]) <= SHORT
                                            for h in hunks)
        if not small:
            return [self.whole(before, after, new_terms)]
        what = _what(before)
        starts = [match.start() for match in re.finditer(r"\S+", text)]
        return [self._hunk(before, what, text, starts, a, b, *h) for h in hunks]

    def whole(self, before, after, new_terms) -> Item:
        """The block's new text in full ("The paragraph should read:")."""
        what = _what(before)
        return Item(self.pages.at(before, what, self.shown(before), 0 if what != "table" else None),
                    self.words.get("should_read", {}).get(what, ""), self.shown(after, new_terms))

    def _hunk(self, block, what, text, starts, a, b, tag, i1, i2, j1, j2) -> Item:
        if tag == "insert" and i1 > 0:
            k = i1 - 1
            while _count(a, a[k:i1]) > 1 and k > 0:
                k -= 1
            return Item(self.pages.at(block, what, text, starts[i1 - 1]),
                        self.words.get("insert", "").format(new=self.q(b[j1:j2]), anchor=self.q(a[k:i1])))
        if tag == "delete" and _count(a, a[i1:i2]) == 1:
            gone = a[i1:i2]
            operation = self.words.get("delete", "").format(old=self.q(gone)) if len(gone) <= QUOTED else \
                self.words.get("delete_from", "").format(start=self.q(gone[:3]), end=self.q(gone[-3:]))
            return Item(self.pages.at(block, what, text, starts[i1]), operation)
        while (i1 == i2 or _count(a, a[i1:i2]) > 1) and (i2 < len(a) or i1 > 0):
            if i2 < len(a):
                i2, j2 = i2 + 1, j2 + 1
            else:
                i1, j1 = i1 - 1, j1 - 1
        old, new = _unpunctuated(a[i1:i2], b[j1:j2])
        return Item(self.pages.at(block, what, text, starts[i1] if i1 < len(starts) else 0),
                    self.words.get("for_read", "").format(old=self.q(old), new=self.q(new)))

    def delete(self, block) -> Item:
        return Item(self.pages.at(block, _what(block), self.shown(block), None),
                    self.words.get("delete_block", {}).get(_what(block), ""))

    def insert(self, anchor, block, new: m.Document) -> Item:
        return Item(self.pages.after(anchor, _what(anchor)),
                    self.words.get("insert_block", {}).get(_what(block), ""), self.shown(block, new.terms))

    def new_note(self, anchor, call, note, new_terms) -> Item:
        """A new note: after the words its call follows, found in the old block (the whole
        block if they are not there)."""
        text, lead = self.shown(anchor), _before_call(call, note.label, new_terms).split()
        a, reading = text.split(), self.shown(note, new_terms)
        for size in range(1, min(len(lead), 6) + 1):
            phrase = lead[-size:]
            if _count(a, phrase) == 1:
                end = next(i for i in range(len(a)) if a[i:i + size] == phrase) + size - 1
                offset = [match.start() for match in re.finditer(r"\S+", text)][end]
                return Item(self.pages.at(anchor, _what(anchor), text, offset),
                            self.words.get("insert_note", "").format(anchor=self.q(phrase)), reading)
        return Item(self.pages.at(anchor, _what(anchor), text, None),
                    self.words.get("insert_block", {}).get("footnote", ""), reading)


def _xref(terms: dict):
    return lambda node: wording.reference(node, terms)


def _what(block) -> str:
    return {m.Paragraph: "paragraph", m.Heading: "heading", m.Table: "table",
            m.Footnote: "footnote"}.get(type(block), "text")


def _unpunctuated(old: list[str], new: list[str]) -> tuple[list[str], list[str]]:
    """'2015.' and '2016.' quoted as '2015' and '2016': the stop both share is not the change."""
    if old and new and old[-1][-1:] == new[-1][-1:] and old[-1][-1:] in ".,;:" and len(old[-1]) > 1 \
            and len(new[-1]) > 1:
        return old[:-1] + [old[-1][:-1]], new[:-1] + [new[-1][:-1]]
    return old, new


def _count(words: list[str], phrase: list[str]) -> int:
    n = len(phrase)
    return sum(1 for i in range(len(words) - n + 1) if words[i:i + n] == phrase) if n else 0
