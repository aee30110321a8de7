"""`*[ABBR]: Expansion` lines: abbreviation definitions, one per line."""
import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

DEFINITION = re.compile(r"\*\[([^\]\n]+)\]:[ \t]*(.*)$")


def abbreviations_plugin(md: MarkdownIt) -> None:
    md.block.ruler.before("reference", "folio_abbr", _definition,
                          {"alt": ["paragraph", "reference"]})


def _definition(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    pos = state.bMarks[start] + state.tShift[start]
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    match = DEFINITION.match(state.src[pos:state.eMarks[start]])
    if not match:
        return False
    if silent:
        return True
    token = state.push("folio_abbr", "", 0)
    token.map = [start, start + 1]
    token.meta = {"abbr": match.group(1).strip(), "expansion": match.group(2).strip()}
    state.line = start + 1
    return True
