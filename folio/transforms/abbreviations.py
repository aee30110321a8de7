"""Abbreviations: mark each use, check first uses are spelled out, build the table."""
from __future__ import annotations

import os
import re
from dataclasses import replace
from itertools import groupby

from .. import model as m
from ..diagnostics import Kind, Reporter
from ..model.walk import document_inline_lists

# Looks like an abbreviation: two or more capitals (digits allowed), optional plural "s".
# The second capital is found by a lookahead and the run taken possessively: two greedy runs
# around it made `A`×20,000 followed by a letter quadratic.
CANDIDATE = re.compile(r"(?<![\w’'-])[A-Z](?=[A-Z0-9]*?[A-Z])[A-Z0-9]++s?(?![\w-])")
ROMAN_NUMERAL = re.compile(r"^[IVXLCDM]+$")
MAX_TRIE_DEPTH = 40  # levels of nested groups; the regex compiler recurses on each


def mark_abbreviations(doc: m.Document, reporter: Reporter) -> None:
    defined = doc.abbreviations
    pattern = _pattern(defined)
    first_use: dict[str, bool] = {}
    undefined: set[str] = set()
    allow = set(doc.meta["abbreviations-allow"])
    for loc, nodes in document_inline_lists(doc, headings=False):
        _split_texts(nodes, pattern, defined, first_use, loc, reporter)
        for node in nodes:
            if isinstance(node, m.Text):
                for match in CANDIDATE.finditer(node.text):
                    word = match.group()
                    if (word not in defined and word not in allow and word not in undefined
                            and not ROMAN_NUMERAL.match(word)):
                        undefined.add(word)
                        reporter.warning(node.loc if node.loc.line else loc,
                                         f"'{word}' looks like an abbreviation but is not defined"
                                         f" (add '*[{word}]: …', or list it in abbreviations-allow)",
                                         Kind.ABBR_UNDEFINED)
    for abbr in defined.values():
        abbr.used = abbr.abbr in first_use
        if not abbr.used:
            reporter.warning(abbr.loc, f"abbreviation '{abbr.abbr}' is defined but never used",
                             Kind.ABBR_UNUSED)


def build_abbreviation_table(doc: m.Document, reporter: Reporter) -> None:
    rows = [a for a in doc.abbreviations.values()
            if doc.meta["abbreviations-table"] == "all" or a.used]
    # Alphabetical as the explanatory notes set it: "UNDAF" < "UN DESA" < "UNDP".
    doc.abbreviation_table = sorted(rows, key=lambda a: a.abbr.replace(" ", "").casefold())


def _pattern(defined: dict) -> re.Pattern | None:
    if not defined:
        return None
    return re.compile(rf"(?<![\w-])({_trie(list(defined))})(?![\w-])")


def _trie(names: list[str], depth: int = 0) -> str:
    """A pattern matching any of names, shaped as a trie: at each position a branch per first
    character, not one per name (a flat alternation of thousands of names was quadratic).
    Longer names are tried first, so the longest defined name wins, as before."""
    if depth > MAX_TRIE_DEPTH:  # a long chain of names that are prefixes of each other
        return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    branches = []
    for _, group in groupby(sorted(n for n in names if n), key=lambda n: n[0]):
        group = list(group)
        common = os.path.commonprefix(group)
        rest = _trie([n[len(common):] for n in group], depth + 1)
        branches.append(re.escape(common) + (f"(?:{rest})" if rest else ""))
    body = "|".join(branches)
    return f"(?:{body})?" if "" in names and body else body


def _split_texts(nodes: list, pattern, defined, first_use, loc, reporter) -> None:
    """Replace Text nodes in place by Text/Abbr runs (not inside links or code)."""
    if pattern is None:
        return
    out = []
    for node in nodes:
        if isinstance(node, (m.Emph, m.Strong, m.Superscript, m.Subscript)):
            _split_texts(node.children, pattern, defined, first_use, loc, reporter)
        if not isinstance(node, m.Text) or not pattern.search(node.text):
            out.append(node)
            continue
        pos = 0
        for match in pattern.finditer(node.text):
            if match.start() > pos:
                out.append(m.Text(node.text[pos:match.start()], _within(node.loc, pos, match.start())))
            name = match.group()
            out.append(m.Abbr(name, defined[name].expansion, _within(node.loc, match.start(), match.end())))
            if name not in first_use:
                first_use[name] = True
                if not _spelled_out(node.text, match.start(), match.end(), defined[name].expansion):
                    reporter.warning(node.loc if node.loc.line else loc, f"first use of '{name}' is not spelled out"
                                     f" (write '{defined[name].expansion} ({name})')", Kind.ABBR_FIRST_USE)
            pos = match.end()
        if pos < len(node.text):
            out.append(m.Text(node.text[pos:], _within(node.loc, pos, len(node.text))))
    nodes[:] = out  # one assignment: splicing per match would be quadratic in a long paragraph


def _spelled_out(text: str, start: int, end: int, expansion: str) -> bool:
    """'… Expansion (ABBR)', or with the full-width brackets of Chinese text, '…（ABBR）'.
    Reads only as much text before the use as the expansion needs (normalising all preceding
    text at every first use was quadratic in a long paragraph)."""
    if not text.startswith((")", "）"), end):
        return False
    wanted = _comparable(expansion)
    size = 2 * len(wanted) + 16
    while True:
        before = _comparable(text[max(0, start - size):start])
        if len(before) > len(wanted) + 2 or size >= start:
            break
        size *= 2                     # whitespace shrank the window: widen it
    return before.endswith(("(", "（")) and before[:-1].rstrip().endswith(wanted)


# Typography the text and the definition may write differently: "Children’s" (smart quotes
# in the text) is "Children's" (the definition), and so are dashes and no-break spaces.
_SAME = str.maketrans({"’": "'", "‘": "'", "‛": "'", "ʼ": "'", "′": "'", "“": '"', "”": '"', "„": '"',
                       "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "−": "-"})


def _comparable(text: str) -> str:
    return " ".join(text.translate(_SAME).split()).casefold()


def _within(loc, start: int, end: int):
    """The span of characters start:end of a text node (a text node never spans lines)."""
    if loc.start < 0:
        return loc
    return replace(loc, col=loc.col + start, start=loc.start + start, end=loc.start + end)
