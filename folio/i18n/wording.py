"""How folio words a number in running text, in one place: "chapter V", "para. 12",
"Table 3". The words come from the terms table, the numerals from numerals.py."""
from __future__ import annotations

from ..model.text import plain_text
from . import numerals


def reference(xref, terms: dict) -> str:
    """What a resolved cross-reference reads as (page references are the writers' own)."""
    if not xref.resolved or xref.number is None:
        return xref.title if xref.resolved else "??"
    number = numerals.full(xref.number)
    if xref.mode == "number":
        return number
    return cited(terms, xref.kind, number)


def around(terms: dict, kind: str) -> tuple[str, str]:
    """The words before and after a cited number: ('chapter ', '') in English, ('第', '章') in
    Chinese, whose table marks the number's place with {} (第{}章)."""
    word = terms.get("ref", {}).get(kind, "")
    if "{}" in word:
        before, _, after = word.partition("{}")
        return before, after
    return (word + " " if word else ""), ""


def cited(terms: dict, kind: str, number: str) -> str:
    """A number as running text cites it: 'chapter II.A', '第二章'."""
    before, after = around(terms, kind)
    return f"{before}{number}{after}".strip()


def caption_label(kind: str, number, terms: dict) -> str:
    """'Table 3', 'Figure 2': the label over a table or under a figure."""
    word = terms.get(kind, "")
    return f"{word} {numerals.full(number)}".strip() if number is not None else word


def contents_title(entry, terms: dict) -> str:
    """A contents entry's title as printed: a part folio writes by its term, a lost part by
    the marker and why it is lost."""
    if entry.term:
        return terms.get(entry.term, "")
    if entry.lost:
        return f"{terms.get('gap', '[…]')} {entry.reason or terms.get('gap_no_reason', '')}".strip()
    return entry.title


def heading_title(entry, terms: dict) -> str:
    """The title of the heading a contents entry leads to: the entry's own (a lost part's
    heading shows the marker and why, as its entry does)."""
    return contents_title(entry, terms)


def running_head(heading, terms: dict) -> str:
    """What the running head over a chapter's right-hand pages reads, in the PDF and in Word
    alike: its number as it leads the heading and its plain title ('VIII. Tour-de-table'), a
    lost chapter's marker without the reason ('X. […]'), a reference worded as in the text."""
    number = f"{numerals.labelled(heading.number)} " if heading.number else ""
    return number + plain_text(heading.children, lambda x: reference(x, terms), terms.get("gap", "[…]"))
