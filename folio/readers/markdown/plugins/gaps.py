"""`{gap}` and `{gap: reason}`: an editorial gap where the source text is missing."""
import re

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

# Possessive quantifiers: "{gap:" and thousands of spaces with no "}" was cubic, as the
# lazy reason and the two \s* around it split the spaces every possible way. The reason is
# stripped after the match, so taking trailing spaces into it changes nothing.
GAP = re.compile(r"\{gap(?::\s*+([^{}\n]*+))?\s*+\}")


def gaps_plugin(md: MarkdownIt) -> None:
    md.inline.ruler.before("link", "folio_gap", _gap)


def _gap(state: StateInline, silent: bool) -> bool:
    if state.src[state.pos] != "{":
        return False
    match = GAP.match(state.src, state.pos)
    if not match:
        return False
    if not silent:
        token = state.push("folio_gap", "", 0)
        token.meta = {"reason": (match.group(1) or "").strip(), "pos": (state.pos, match.end())}
    state.pos = match.end()
    return True
