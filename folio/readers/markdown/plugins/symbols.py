"""UN document symbols (A/RES/70/1, S/RES/2334 (2016), ESA/P/WP/249) become links.

A core rule after inline parsing splits text tokens; text inside links is left alone.
"""
import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

# Capital-letter series, slash-separated parts (a final full stop is the sentence's), and an
# optional "(2016)" year as Security Council resolutions carry it. A symbol has at least one
# figure: checked on the match, not by a lookahead that scanned the rest of the run from every
# start (`A.` repeated was quadratic).
SYMBOL = re.compile(
    r"(?<![\w/])([A-Z]{1,6}(?:/[A-Z0-9](?:[A-Z0-9.\-]*[A-Z0-9])?)+)(?:\s\(\d{4}\))?(?![\w/])"
)
FIGURE = re.compile(r"\d")
UNDOCS = "https://undocs.org/"


def symbols_plugin(md: MarkdownIt) -> None:
    md.core.ruler.after("inline", "folio_symbols", _symbols)


def symbol_href(symbol: str) -> str:
    return UNDOCS + symbol.replace(" ", "")


def _symbols(state: StateCore) -> None:
    for block in state.tokens:
        if block.type == "inline" and block.children:
            block.children = _split(block.children)


def _split(children: list) -> list:
    out, link_depth = [], 0
    for tok in children:
        link_depth += {"link_open": 1, "link_close": -1}.get(tok.type, 0)
        matches = [] if tok.type != "text" or link_depth else symbols_in(tok.content)
        if not matches:
            out.append(tok)
            continue
        pos = 0
        for match in matches:
            if match.start() > pos:
                out.append(_text(tok.content[pos:match.start()]))
            sym = Token("folio_symbol", "", 0)
            sym.content = match.group(0)
            out.append(sym)
            pos = match.end()
        if pos < len(tok.content):
            out.append(_text(tok.content[pos:]))
    return out


def symbols_in(text: str) -> list:
    """The matches of SYMBOL in text that carry a figure (not counting the year)."""
    return [m for m in SYMBOL.finditer(text) if FIGURE.search(text, m.start(), m.end(1))]


def _text(content: str) -> Token:
    tok = Token("text", "", 0)
    tok.content = content
    return tok
