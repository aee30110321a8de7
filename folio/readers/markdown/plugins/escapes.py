"""Escaped signs stay what they are: `\\-\\-` two hyphens, `\\[^n\\]` text, not a note call.

markdown-it reads an escape (and an entity) as a `text_special` token and its last core rule,
text_join, merges those into the text around them, after which nothing can tell an escaped
sign from a typed one: folio's dashes (plugins/dashes.py) and its check for a note called
without text then saw `--` and `[^n]` where the author had escaped them. This rule joins as
text_join does, and keeps in the joined token's meta which pieces were escaped."""
from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

from .dashes import dashes


def escapes_plugin(md: MarkdownIt) -> None:
    md.core.ruler.at("text_join", join)


def join(state: StateCore) -> None:
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        out = []
        for tok in block.children:
            escaped = tok.type == "text_special"
            if escaped:
                tok.type = "text"
            if tok.type == "text" and out and out[-1].type == "text":
                last = out[-1]
                last.meta.setdefault("pieces", [(last.content, last.meta.get("escaped", False))])
                last.meta["pieces"].append((tok.content, escaped))
                last.content += tok.content
            else:
                if escaped:
                    tok.meta = {**(tok.meta or {}), "escaped": True}
                out.append(tok)
        block.children = out


def shown(tok) -> str:
    """A text token's text as shown: dashes made in what was typed, not in what was escaped."""
    pieces = tok.meta.get("pieces") if tok.meta else None
    if pieces is None:
        return tok.content if tok.meta and tok.meta.get("escaped") else dashes(tok.content)
    return "".join(_groups(pieces, lambda text, escaped: text if escaped else dashes(text)))


def typed(tok) -> list[str]:
    """The stretches of a text token that were typed, not escaped."""
    pieces = tok.meta.get("pieces") if tok.meta else None
    if pieces is None:
        return [] if tok.meta and tok.meta.get("escaped") else [tok.content]
    return [text for text in _groups(pieces, lambda text, escaped: "" if escaped else text) if text]


def _groups(pieces: list, each) -> list[str]:
    """Runs of pieces alike (typed or escaped) joined, each run through each(text, escaped)."""
    out, run, kind = [], [], None
    for text, escaped in pieces:
        if kind is not None and escaped != kind:
            out.append(each("".join(run), kind))
            run = []
        run.append(text)
        kind = escaped
    if run:
        out.append(each("".join(run), kind))
    return out
