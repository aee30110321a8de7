"""Cross-references: `@sec-x` (prefixed number), `[-@sec-x]` (bare number), `[page @sec-x]`."""
import re

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

PREFIXES = ("sec", "para", "tbl", "fig", "fn")
LABEL = r"(?:" + "|".join(PREFIXES) + r")-[A-Za-z0-9_:.-]*[A-Za-z0-9_]"
BARE = re.compile(f"@({LABEL})")
BRACKETED = re.compile(rf"\[(-|page )@({LABEL})\]")
# Chinese and Japanese put no space between words: 见@sec-x所载 cites sec-x, where a letter or
# digit of a spaced script before @ makes an address (a@sec-x.org), not a reference.
SPACELESS = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")


def xrefs_plugin(md: MarkdownIt) -> None:
    md.inline.ruler.before("link", "folio_xref", _xref)


def _xref(state: StateInline, silent: bool) -> bool:
    char = state.src[state.pos]
    if char == "[":
        match = BRACKETED.match(state.src, state.pos)
        mode = "number" if match and match.group(1) == "-" else "page"
    elif char == "@" and (state.pos == 0 or not state.src[state.pos - 1].isalnum()
                          or SPACELESS.match(state.src[state.pos - 1])):
        match = BARE.match(state.src, state.pos)
        mode = "prefixed"
    else:
        return False
    if not match:
        return False
    if not silent:
        token = state.push("folio_xref", "", 0)
        token.meta = {"label": match.group(match.lastindex), "mode": mode, "pos": (state.pos, match.end())}
    state.pos = match.end()
    return True
