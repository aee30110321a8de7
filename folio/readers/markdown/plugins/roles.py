"""MyST's inline roles, {name}`content`: those folio has a form of are read as it
({sub} and {sup} as sub- and superscripts, {abbr}`UN (United Nations)` as an abbreviation and
its definition, {ref} and {numref} to a folio label as a cross-reference); any other ({math},
{doc}, {term}, a {ref} with words of its own …) keeps its content as text and is reported as
unsupported at its place. Without this the role's name was printed in braces, silently."""
from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

ROLE = re.compile(r"\{([A-Za-z][\w:.+-]*)\}(`+)")
ABBR = re.compile(r"^\s*(.+?)\s*\((.+)\)\s*$", re.S)
FOLIO_LABEL = re.compile(r"(?:sec|para|tbl|fig|fn)-[A-Za-z0-9_:.-]*[A-Za-z0-9_]")
EXPLICIT = re.compile(r"\s*<[^<>]*>$")


def roles_plugin(md: MarkdownIt) -> None:
    md.inline.ruler.before("backticks", "folio_role", _role)


def _role(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if src[pos] != "{":
        return False
    match = ROLE.match(src, pos, state.posMax)
    if not match:
        return False
    ticks = match.group(2)
    close = src.find(ticks, match.end(), state.posMax)
    while close >= 0 and src.startswith("`", close + len(ticks)):    # a longer run is not the closer
        close = src.find(ticks, close + len(ticks) + 1, state.posMax)
    if close < 0:
        return False
    name, content = match.group(1), " ".join(src[match.end():close].split())
    end = close + len(ticks)
    if not silent:
        read = _read(name, content)
        token = state.push("folio_role" if read else "folio_unsupported", "", 0)
        token.content = content if read else EXPLICIT.sub("", content)    # {ref}`words <label>`: the words
        token.meta = {"role": name, "pos": (pos, end), **(read or
                      {"construct": "role", "detail": "{" + name + "}"})}
    state.pos = end
    return True


def _read(name: str, content: str) -> dict | None:
    """What a role folio reads becomes: {'kind': …} and its parts; None for the others."""
    if name in ("sub", "sup"):
        return {"kind": name}
    if name == "abbr":
        parts = ABBR.match(content)
        return {"kind": "abbr", "abbr": parts.group(1), "expansion": parts.group(2)} if parts \
            else {"kind": "abbr", "abbr": content, "expansion": ""}
    if name in ("ref", "numref") and FOLIO_LABEL.fullmatch(content):
        return {"kind": "xref", "label": content}
    return None
