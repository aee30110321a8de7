"""References to headings by their text, as pandoc's implicit_header_references reads them:
`[Heading text]`, `[Heading text][]` and `[other words][Heading text]` link to the first
heading with that text (case and spacing aside) when no link definition of that name exists
(a definition always wins). The tokens carry the heading's line; the xrefs transform links
the node to the heading's id."""
from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.common.utils import normalizeReference
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline

LABEL = re.compile(r"\[([^\[\]]*)\]")      # no brackets inside: each try stops at the next one
MARKUP = re.compile(r"[*_`]")


def heading_refs_plugin(md: MarkdownIt) -> None:
    md.core.ruler.after("folio_heading_attrs", "folio_heading_keys", _collect)
    md.inline.ruler.before("link", "folio_heading_ref", _heading_ref)


def keys(text: str) -> list[str]:
    """The names a heading answers to: as written, and without emphasis or code marks."""
    plain = MARKUP.sub("", text)
    return [normalizeReference(text)] + ([normalizeReference(plain)] if plain != text else [])


def _collect(state: StateCore) -> None:
    headings: dict[str, int] = {}
    tokens = state.tokens
    for i, tok in enumerate(tokens[:-1]):
        if tok.type == "heading_open" and tok.map and tokens[i + 1].type == "inline":
            for key in keys(tokens[i + 1].content.strip()):
                headings.setdefault(key, tok.map[0] + 1)
    state.env["folio_headings"] = headings


def _heading_ref(state: StateInline, silent: bool) -> bool:
    headings = state.env.get("folio_headings")
    if not headings or state.src[state.pos] != "[":
        return False
    first = LABEL.match(state.src, state.pos, state.posMax)
    if not first or first.group(1).startswith("^"):
        return False
    end, name = first.end(), first.group(1)
    if state.src.startswith("(", end):
        return False                                   # an inline link
    second = LABEL.match(state.src, end, state.posMax)
    if second:
        end, name = second.end(), second.group(1) or name
    key = normalizeReference(name)
    line = headings.get(key) or headings.get(normalizeReference(MARKUP.sub("", name)))
    if not key or line is None or key in state.env.get("references", {}):
        return False
    if not silent:
        opened = state.push("folio_heading_ref_open", "a", 1)
        opened.meta = {"line": line, "pos": (state.pos, state.pos + 1)}
        old_max = state.posMax
        state.pos, state.posMax = state.pos + 1, first.end() - 1
        state.md.inline.tokenize(state)
        state.posMax = old_max
        closed = state.push("folio_heading_ref_close", "a", -1)
        closed.meta = {"pos": (first.end() - 1, end)}
    state.pos = end
    return True
