"""The spaces a language sets around punctuation, by rule, in the model: every edition shows
the same text. French (the locale's `spacing`): a narrow no-break space before ; ! ? and a
no-break space before : and » and after «, whether the author typed a space, a no-break space
or none. Never inside code, a symbol, a web or mail address, nor between digits (10:30).

A rule on the model, not in each writer: the HTML, the PDF and the DOCX then agree, and a line
never breaks before a question mark in any of them."""
from __future__ import annotations

import re

from .. import model as m
from ..model.walk import document_inline_lists

SPACE = "[ \u00a0\u202f]*"
# An address, where a colon or a question mark is not punctuation.
# Its last character is not a sentence's mark: "voir https://un.org/x?y=1 : fin".
ADDRESS = re.compile(r"(?:https?://|ftp://|mailto:|www\.)[^\s<>«»\"]*[^\s<>«»\".,;:!?)]"
                     r"|[\w.+-]+@[\w-]+\.[\w-]+(?:\.[\w-]+)*", re.I)
OPAQUE = (m.Code, m.Symbol, m.Abbr, m.XRef, m.FootnoteRef, m.Image, m.Gap)   # text ends: the mark follows a word


def space_punctuation(doc: m.Document, reporter) -> None:
    spacing = getattr(doc.locale, "spacing", ())
    if not spacing:
        return
    rules = _rules(spacing)
    for _, nodes in document_inline_lists(doc):
        _space(nodes, rules, " ")
    for key in ("title", "short-title", "subtitle"):
        if isinstance(doc.meta.get(key), str):
            doc.meta[key] = _fix(doc.meta[key], rules, " ")


def _rules(spacing: tuple) -> list:
    """(pattern, replacement) for each mark: the spaces typed around it, if any, become its own."""
    rules = []
    for mark, space, side in spacing:
        quoted = re.escape(mark)
        if side == "before":      # after a word (not a space, nor another mark: "?!" stays together)
            after = r"(?!\d)" if mark == ":" else ""
            word = r"[^\s«]" if mark == "»" else r"[^\s;:!?«]"      # « Où ? » : a space before » still
            rules.append((re.compile(rf"(?<={word}){SPACE}{quoted}{after}"), space + mark))
        else:
            rules.append((re.compile(rf"{quoted}{SPACE}(?=\S)"), mark + space))
    return rules


def _space(nodes: list, rules: list, previous: str) -> str:
    """Fix every Text of an inline list in reading order; previous: the last character before."""
    for node in nodes:
        if isinstance(node, m.Text):
            node.text = _fix(node.text, rules, previous)
            previous = node.text[-1:] or previous
        elif isinstance(node, OPAQUE):
            previous = "x"
        elif isinstance(node, (m.SoftBreak, m.LineBreak)):
            previous = " "
        elif hasattr(node, "children"):
            previous = _space(node.children, rules, previous)
    return previous


def _fix(text: str, rules: list, previous: str) -> str:
    """The text with its spaces set, leaving addresses alone; the character before it decides a
    mark at its start. A mark at its end followed by another node: « before an emphasis."""
    pieces, last = [], 0
    for match in ADDRESS.finditer(text):
        pieces += [_apply(text[last:match.start()], rules, previous if not last else "x"), match.group()]
        last = match.end()
    pieces.append(_apply(text[last:], rules, previous if not last else "x"))
    return "".join(pieces)


def _apply(text: str, rules: list, previous: str) -> str:
    if not text:
        return text
    text = (previous or " ") + text + "\x00"      # the context each side, taken off after
    for pattern, replacement in rules:
        text = pattern.sub(replacement, text)
    return text[1:-1]
