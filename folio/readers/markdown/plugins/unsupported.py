"""Syntax of other tools that folio does not read: found, kept as the author wrote it (an
HTML comment, meant to be unseen, is left out), and marked so that the model reports it at its
place as `unsupported-syntax`. Nothing is silently turned into garbage. (Citations, once
reported here, are read: plugins/citations.py.)

Each pattern is chosen not to fire on ordinary prose: a dollar amount is not math ("$5 and
$10": a closing `$` needs no space before it and no digit after it), and a bracket is not a
span unless attributes follow it. Every search is bounded (by the next delimiter of its kind, or by a
remembered miss), so that hostile runs stay linear."""
from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.common.html_re import close_tag, open_tag
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from mdit_py_plugins.attrs.parse import ParseError, parse

TAG = re.compile(f"(?:{open_tag}|{close_tag})")
COMMENT = "<!--"
BRACKETED = re.compile(r"\[([^\[\]]*)\]")
SPAN_ATTRS = re.compile(r"\{[^{}\n]*\}")
SHORTCODE = re.compile(r"\{\{([<%])[^{}]*?[>%]\}\}")
KRAMDOWN_REF = re.compile(r"\{\{[?!-]?([^{}\s<%][^{}\n]*?)\}\}")     # kramdown-rfc's {{RFC2119}}
KRAMDOWN_EXTENSION = re.compile(r"\{::(\w+)[^{}\n]*?/?\}")           # {::boilerplate bcp14}, {::comment}
KRAMDOWN_CLOSE = re.compile(r"\{:/(\w*)\}")                           # {:/comment}, {:/}
KRAMDOWN_IAL = re.compile(r"\{:[^:/{}\n][^{}\n]*\}|\{:\}")           # {: .class}, {:quote}, {:#id}
TEX_CALL = re.compile(r"\\[A-Za-z]+(?=\{)")              # \textbf{…} anywhere
TEX_LINE = re.compile(r"\\[A-Za-z]+[ \t]*(?=\n|$)")       # \newpage, alone on its line
STRIKE = re.compile(r"~~[^~\n]+~~")
SUB = re.compile(r"~[^\s~]+~")
SUP = re.compile(r"\^[^\s^\[\]]+\^")
EXAMPLE = re.compile(r"^\(@(?!(?:sec|para|tbl|fig|fn)-)[\w-]*\)[ \t]", re.M)   # (@sec-x) is folio's

# What each construct is called in its message, and what folio does with it instead.
AS_WRITTEN = "shown as written"
CONSTRUCTS = {
    "html": ("raw HTML", "shown as text"),
    "html-tags": ("HTML markup", "its text is kept"),
    "html-left-out": ("HTML markup", "left out with its content"),
    "comment": ("an HTML comment (<!-- -->)", "left out of every edition"),
    "comment-open": ("an HTML comment left open (<!--)", AS_WRITTEN),
    "math": ("TeX math ($…$)", AS_WRITTEN),
    "display-math": ("TeX math ($$…$$)", AS_WRITTEN),
    "kramdown-ref": ("a kramdown-rfc reference", "shown as [name]"),  # detail: the {{…}}
    "kramdown-extension": ("a kramdown extension", "left out of every edition"),
    "kramdown-attributes": ("a kramdown attribute list", "ignored"),
    "span": ("a bracketed span ([text]{…})", "its text is shown, its attributes are ignored"),
    "shortcode": ("a shortcode ({{< … >}})", AS_WRITTEN),
    "strikeout": ("strikeout (~~…~~)", AS_WRITTEN),
    "subscript": ("a subscript (~…~)", AS_WRITTEN),
    "superscript": ("a superscript (^…^)", AS_WRITTEN),
    "tex": ("a TeX command", AS_WRITTEN),
    "example": ("an example list item ((@))", AS_WRITTEN),
    "raw-block": ("a raw block", "shown as code"),
    "directive": ("a MyST directive", "its content is kept as a div"),
    "directive-code": ("a MyST directive", "shown as code"),
    "role": ("a MyST role", "its text is kept"),                      # detail: {name}
}


def message(key: str, detail: str = "") -> str:
    """'raw HTML is not supported: shown as text' (detail: what exactly was written)."""
    what, instead = CONSTRUCTS[key]
    return f"{what}{f' ({detail})' if detail else ''} is not supported: {instead}"


def unsupported_plugin(md: MarkdownIt) -> None:
    md.inline.ruler.before("escape", "folio_tex", _tex)
    md.inline.ruler.before("link", "folio_brackets", _brackets)
    md.inline.ruler.before("html_inline", "folio_html", _html)
    md.inline.ruler.before("html_inline", "folio_math", _math)
    md.inline.ruler.before("html_inline", "folio_shortcode", _shortcode)
    md.inline.ruler.before("html_inline", "folio_kramdown", _kramdown)
    md.inline.ruler.before("html_inline", "folio_scripts", _scripts)
    md.core.ruler.after("block", "folio_example_lists", _example_lists)


def _mark(state: StateInline, silent: bool, end: int, construct: str, shown: str | None = None,
          detail: str = "") -> bool:
    """One token for the construct's source text (or `shown`), marked for the model to report.
    In silent mode (markdown-it measuring a link's text) no token, but the position moves on."""
    if not silent:
        token = state.push("folio_unsupported", "", 0)
        token.content = state.src[state.pos:end] if shown is None else shown
        token.meta = {"construct": construct, "detail": detail, "pos": (state.pos, end)}
    state.pos = end
    return True


def _html(state: StateInline, silent: bool) -> bool:
    if state.src[state.pos] != "<":
        return False
    if state.src.startswith(COMMENT, state.pos):
        close = _next(state, "-->")
        if close < 0 or close >= state.posMax:
            return _mark(state, silent, state.pos + len(COMMENT), "comment-open")
        return _mark(state, silent, close + 3, "comment", "")
    match = TAG.match(state.src, state.pos, state.posMax)
    if not match:
        return False
    return _mark(state, silent, match.end(), "html")


def _next(state: StateInline, needle: str) -> int:
    """The next `needle` at or after the position: a miss is remembered for the whole text."""
    memo = state.env.setdefault("folio_next", {})
    key = (needle, hash(state.src))
    after, found = memo.get(key, (-1, -1))
    if after < 0 or state.pos < after or (found >= 0 and state.pos > found):
        found = state.src.find(needle, state.pos)
        memo[key] = (state.pos, found)
    return found


def _math(state: StateInline, silent: bool) -> bool:
    """$…$ and $$…$$, pandoc's TeX math: the first possible closing `$` decides."""
    src, pos = state.src, state.pos
    if src[pos] != "$":
        return False
    if src.startswith("$$", pos):
        close = src.find("$$", pos + 2, state.posMax)
        if close <= pos + 2:
            return False
        return _mark(state, silent, close + 2, "display-math")
    close = src.find("$", pos + 1, state.posMax)
    if close < 0 or close == pos + 1 or src[pos + 1].isspace() or src[close - 1].isspace() \
            or src[close + 1:close + 2].isdigit() or src[close - 1] == "\\":
        return False
    return _mark(state, silent, close + 1, "math")


def _brackets(state: StateInline, silent: bool) -> bool:
    """[text]{.class} bracketed spans (its text is kept, not its brackets)."""
    if state.src[state.pos] != "[":
        return False
    match = BRACKETED.match(state.src, state.pos, state.posMax)
    if not match:
        return False
    after = state.src[match.end():match.end() + 1]
    attrs = SPAN_ATTRS.match(state.src, match.end(), state.posMax) if after == "{" else None
    if attrs is None or attrs.group().startswith("{gap") or not _attributes(attrs.group()):
        return False
    if not silent:
        opened = state.push("folio_span_open", "", 1)
        opened.meta = {"construct": "span",
                       "pos": (state.pos, state.pos + 1)}
        old_max = state.posMax
        state.pos, state.posMax = state.pos + 1, match.end() - 1
        state.md.inline.tokenize(state)
        state.posMax = old_max
        state.push("folio_span_close", "", -1).meta = {"pos": (match.end() - 1, attrs.end())}
    state.pos = attrs.end()
    return True



def _attributes(text: str) -> bool:
    try:
        parse(text)
    except ParseError:
        return False
    return True


def _shortcode(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith("{{", state.pos):
        return False
    match = SHORTCODE.match(state.src, state.pos, state.posMax)
    return bool(match) and (_mark(state, silent, match.end(), "shortcode"))


def _kramdown(state: StateInline, silent: bool) -> bool:
    """kramdown's {{ref}} (kramdown-rfc), {::extension} and {: attribute lists}: the
    reference is shown as a reference list shows it, [RFC2119]; the others leave nothing
    (a {::comment} takes its text, up to {:/comment}, with it)."""
    src, pos = state.src, state.pos
    if not src.startswith("{", pos):
        return False
    if src.startswith("{{", pos):
        match = KRAMDOWN_REF.match(src, pos, state.posMax)
        return bool(match) and _mark(state, silent, match.end(), "kramdown-ref", f"[{match.group(1)}]",
                                     detail=match.group())
    if not src.startswith("{:", pos):
        return False
    match = KRAMDOWN_EXTENSION.match(src, pos, state.posMax)
    if match:
        end = match.end()
        if match.group(1) == "comment" and not match.group().endswith("/}"):
            at = _next(state, "{:/")          # a miss remembered: "{::comment}" × n stays linear
            close = KRAMDOWN_CLOSE.match(src, at, state.posMax) if at >= 0 else None
            end = close.end() if close else end
        return _mark(state, silent, _line_of_its_own(state, silent, end), "kramdown-extension", "",
                     detail=match.group())
    match = KRAMDOWN_CLOSE.match(src, pos, state.posMax) or KRAMDOWN_IAL.match(src, pos, state.posMax)
    return bool(match) and _mark(state, silent, _line_of_its_own(state, silent, match.end()),
                                 "kramdown-attributes", "", detail=match.group())


def _line_of_its_own(state: StateInline, silent: bool, end: int) -> int:
    """Where a construct that leaves nothing ends: a line of its own takes its line break with
    it (the one after it, or at the paragraph's end the one before), so that the paragraph does
    not start or end with a space."""
    src, pos = state.src, state.pos
    if pos and src[pos - 1] != "\n":
        return end
    if src.startswith("\n", end):
        return end + 1
    if end >= state.posMax and not silent and not state.pending and state.tokens \
            and state.tokens[-1].type == "softbreak":
        state.tokens.pop()
    return end




def _scripts(state: StateInline, silent: bool) -> bool:
    """~~strikeout~~, H~2~O subscripts and 10^6^ superscripts (pandoc's)."""
    char = state.src[state.pos]
    if char not in "~^":
        return False
    for pattern, construct in ((STRIKE, "strikeout"), (SUB, "subscript"), (SUP, "superscript")):
        match = pattern.match(state.src, state.pos, state.posMax)
        if match:
            return _mark(state, silent, match.end(), construct)
    return False


def _tex(state: StateInline, silent: bool) -> bool:
    """A TeX command: `\\textbf{` anywhere, or `\\newpage` on a line of its own."""
    if state.src[state.pos] != "\\":
        return False
    match = TEX_CALL.match(state.src, state.pos, state.posMax)
    if match is None and (state.pos == 0 or state.src[state.pos - 1] == "\n"):
        match = TEX_LINE.match(state.src, state.pos, state.posMax)
    return bool(match) and (_mark(state, silent, match.end(), "tex", detail=match.group().strip()))


def _example_lists(state: StateCore) -> None:
    """(@) and (@label) items of pandoc's example lists, at the start of a line."""
    for token in state.tokens:
        if token.type == "inline" and token.map and "(@" in token.content:
            lines, line, counted = [], 0, 0     # lines counted on from the last match: linear
            for match in EXAMPLE.finditer(token.content):
                line += token.content.count("\n", counted, match.start())
                counted = match.start()
                lines.append((line, "example"))
            if lines:
                token.meta = {**(token.meta or {}), "folio_unsupported_lines": lines}
