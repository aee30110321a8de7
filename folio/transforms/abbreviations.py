"""Abbreviations: mark each use, check first uses are spelled out, build the table."""
from __future__ import annotations

import re
from dataclasses import replace

from .. import model as m
from ..diagnostics import Kind, Reporter
from ..model.walk import document_inline_lists

# Looks like an abbreviation: two or more capitals (digits allowed), optional plural "s".
CANDIDATE = re.compile(r"(?<![\w’'-])[A-Z][A-Z0-9]*[A-Z][A-Z0-9]*s?(?![\w-])")
ROMAN_NUMERAL = re.compile(r"^[IVXLCDM]+$")


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
    names = sorted(defined, key=len, reverse=True)
    alternatives = "|".join(re.escape(n) for n in names)
    return re.compile(rf"(?<![\w-])({alternatives})(?![\w-])")


def _split_texts(nodes: list, pattern, defined, first_use, loc, reporter) -> None:
    """Replace Text nodes in place by Text/Abbr runs (not inside links or code)."""
    if pattern is None:
        return
    out = []
    for node in nodes:
        if isinstance(node, (m.Emph, m.Strong)):
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
                if not _spelled_out(node.text[:match.start()], node.text[match.end():],
                                    defined[name].expansion):
                    reporter.warning(node.loc if node.loc.line else loc, f"first use of '{name}' is not spelled out"
                                     f" (write '{defined[name].expansion} ({name})')", Kind.ABBR_FIRST_USE)
            pos = match.end()
        if pos < len(node.text):
            out.append(m.Text(node.text[pos:], _within(node.loc, pos, len(node.text))))
    nodes[:] = out  # one assignment: splicing per match would be quadratic in a long paragraph


def _spelled_out(before: str, after: str, expansion: str) -> bool:
    before = _comparable(before)
    return (before.endswith("(") and after.startswith(")")
            and before[:-1].rstrip().endswith(_comparable(expansion)))


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
