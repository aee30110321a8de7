"""Raw HTML in Markdown, read as what it means rather than shown as tags (issue 20).

Inline: `<sup>`, `<sub>`, `<em>`/`<i>`, `<strong>`/`<b>`, `<code>`, `<br>`, `<a href>`,
`<abbr title>` and `<img>` become folio's tokens: a pair of tags becomes one container
(`folio_html_open`/`_close`, the model reads its tag), `<code>…</code>` one code span, `<br>` a
line break. Any other tag, or one left unpaired, is dropped and its text kept: the paragraph
reports them once (a `folio_unsupported` token, `html-tags`). Pairing looks at most a few open
tags down, so that hostile runs of tags stay linear.

Blocks: markdown-it's html_block ends at a blank line, so an HTML table that holds Markdown
between blank lines (as GitHub writers do) arrives in pieces. `_join_blocks` gathers the
pieces and the Markdown between them into one `folio_html_group` token, read by readers/html.py.

Comments stay unsupported.py's (left out, reported); nothing here ever passes HTML through."""
from __future__ import annotations

import re
from html import unescape

from markdown_it import MarkdownIt
from markdown_it.common.html_re import close_tag, open_tag
from markdown_it.rules_block import paragraph
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

TAG = re.compile(f"(?:{open_tag}|{close_tag})")
NAME = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)")
ATTR = re.compile(r"""([A-Za-z_:][\w:.-]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
CODE = {"code", "kbd", "samp", "tt"}
LEFT_OUT = {"script", "style"}      # their text is not the reader's: left out with them
CONTAINERS = {"sup", "sub", "em", "i", "strong", "b", "a", "abbr", *CODE, *LEFT_OUT}
VOID = {"br", "img", "wbr", "hr"}
SEARCH = 8          # open tags looked through for the one a closing tag closes
UNCLOSED = re.compile(r"<(!--|\?|!\[CDATA\[|(?:script|pre|style|textarea)(?=[\s>]|$))", re.I)
ENDS = {"!--": "-->", "?": "?>", "![cdata[": "]]>", "script": "</script>", "pre": "</pre>",
        "style": "</style>", "textarea": "</textarea>"}
# HTML's elements: a tag of another name ("use <filename> here") is prose, shown as written
ELEMENTS = set("""a abbr acronym address area article aside audio b base bdi bdo big blockquote body br
    button canvas caption center cite code col colgroup data datalist dd del details dfn dialog div dl dt em
    embed fieldset figcaption figure font footer form frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr
    html i iframe img input ins kbd label legend li link main map mark marquee menu meta meter nav nobr
    noscript object ol optgroup option output p param picture pre progress q rp rt ruby s samp script
    section select slot small source span strike strong style sub summary sup svg math table tbody td
    template textarea tfoot th thead time title tr track tt u ul var video wbr""".split())
REMOTE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:|//")   # an address with a scheme: folio fetches nothing
OPENS = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)")


def html_plugin(md: MarkdownIt) -> None:
    md.block.ruler.before("html_block", "folio_html_text", _not_a_block)
    md.inline.ruler.before("folio_html", "folio_html_tag", _tag)   # before unsupported.py's rule
    md.core.ruler.after("inline", "folio_html_pairs", _pairs)
    md.core.ruler.after("block", "folio_html_blocks", _join_blocks)


def attributes(text: str) -> dict:
    """The attributes of one tag's source ('<a href="x">' → {'href': 'x'})."""
    name = NAME.match(text)
    rest = text[name.end():] if name else ""
    return {m.group(1).lower(): unescape(m.group(2) or m.group(3) or m.group(4) or "")
            for m in ATTR.finditer(rest.rstrip("/>"))}


def _not_a_block(state, start: int, end: int, silent: bool) -> bool:
    """Lines markdown-it would read as an HTML block that are text: a tag that is not HTML's
    ("<filename> is the argument"), or a block that would run to the end of the document (a
    comment, <pre>, <script> … never closed). They start a paragraph instead."""
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    line = state.src[state.bMarks[start] + state.tShift[start]:state.eMarks[start]]
    opened, name = UNCLOSED.match(line), NAME.match(line)
    if opened is not None:
        closing = ENDS.get(opened.group(1).lower(), "")
        last = state.env.setdefault("folio_html_last", {})       # one search per ending: linear
        if closing not in last:
            last[closing] = state.src.lower().rfind(closing)
        if last[closing] >= state.bMarks[start] + state.tShift[start] + len(opened.group()):
            return False
    elif name is None or name.group(1).lower() in ELEMENTS or not TAG.match(line):
        return False
    return silent or paragraph(state, start, end, False)


def _tag(state: StateInline, silent: bool) -> bool:
    if state.src[state.pos] != "<" or state.src.startswith("<!--", state.pos):
        return False
    match = TAG.match(state.src, state.pos, state.posMax)
    name = NAME.match(match.group()).group(1).lower() if match else ""
    if name not in ELEMENTS:
        return False                   # not HTML: unsupported.py shows it as written
    if not silent:
        token = state.push("folio_html_tag", "", 0)
        token.content = match.group()
        token.meta = {"tag": name, "closing": token.content.startswith("</"), "pos": (state.pos, match.end())}
    state.pos = match.end()
    return True


def _pairs(state: StateCore) -> None:
    for token in state.tokens:
        if token.type == "inline" and token.children and any(c.type == "folio_html_tag" for c in token.children):
            token.children = _paired(token.children, token.content)


def _paired(children: list[Token], src: str) -> list[Token]:
    """Tags paired into folio's tokens; the others dropped, reported once in the paragraph."""
    stack: list[int] = []          # indexes of open tags not yet closed
    pairs: dict[int, int] = {}
    for n, tok in enumerate(children):
        if tok.type != "folio_html_tag" or tok.meta["tag"] not in CONTAINERS:
            continue
        if not tok.meta["closing"]:
            stack.append(n)
            continue
        for depth in range(1, min(SEARCH, len(stack)) + 1):
            if children[stack[-depth]].meta["tag"] == tok.meta["tag"]:
                pairs[stack[-depth]] = n
                del stack[-depth:]
                break
    return _rewrite(children, pairs, src)


def _rewrite(children: list[Token], pairs: dict[int, int], src: str) -> list[Token]:
    out: list[Token] = []
    closers: set[int] = set(pairs.values())
    dropped: dict[str, list[str]] = {"kept": [], "gone": []}
    first: list[int] = []               # where the paragraph's one report is
    skip_to = -1
    for n, tok in enumerate(children):
        if n <= skip_to:
            continue
        if tok.type != "folio_html_tag":
            out.append(tok)
            continue
        name, meta = tok.meta["tag"], tok.meta
        found = attributes(tok.content) if name in ("img", "a", "abbr") else {}
        if n in pairs and name in CODE:       # its source, as a code span's
            end = children[pairs[n]].meta["pos"]
            code = Token("code_inline", "code", 0)
            code.content, code.meta = unescape(src[meta["pos"][1]:end[0]]), {"pos": (meta["pos"][0], end[1])}
            out.append(code)
            skip_to = pairs[n]
        elif n in pairs and name in LEFT_OUT:
            skip_to = pairs[n]
            _drop(out, first, meta, dropped["gone"], "")
        elif n in pairs:
            opened = _token("folio_html_open", 1, meta, found)
            inner = src[meta["pos"][1]:children[pairs[n]].meta["pos"][0]]
            opened.meta["text"] = TAG.sub("", inner) if len(inner) < 200 else ""    # an abbreviation's
            out.append(opened)
        elif n in closers:
            out.append(_token("folio_html_close", -1, meta, {}))
        elif name == "br":
            out.append(_token("hardbreak", 0, meta, {}))
        elif name == "img" and not REMOTE.match(found.get("src", "")):
            image = _token("image", 0, meta, {})
            image.attrs, image.content, image.children = {"src": found.get("src", "")}, found.get("alt", ""), []
            out.append(image)
        else:                            # a badge from the network shows its words
            _drop(out, first, meta, dropped["kept"], found.get("alt", "") if name == "img" else "")
    if first:
        kept, gone = ", ".join(dict.fromkeys(dropped["kept"])), ", ".join(dict.fromkeys(dropped["gone"]))
        detail = "; ".join(filter(None, (kept, gone and "left out: " + gone))) if kept else gone
        out[first[0]].meta.update(construct="html-tags" if kept else "html-left-out", detail=detail)
    return out


def _drop(out: list[Token], first: list[int], meta: dict, names: list[str], shown: str) -> None:
    """A tag folio does not read: the paragraph's first carries its one report; `shown` (an
    image's words) stays as text."""
    names.append("<" + meta["tag"] + ">")
    if not first:
        first.append(len(out))
        token = _token("folio_unsupported", 0, meta, {})
    elif shown:
        token = _token("text", 0, meta, {})
    else:
        return
    token.content = shown
    out.append(token)


def _token(kind: str, nesting: int, meta: dict, attrs: dict) -> Token:
    token = Token(kind, meta["tag"], nesting)
    token.meta = {"tag": meta["tag"], "attrs": attrs, "pos": meta["pos"]}
    return token


def _join_blocks(state: StateCore) -> None:
    """An html_block that leaves its first element open takes the tokens after it up to the
    html_block that closes it, into one folio_html_group token."""
    tokens, out, n = state.tokens, [], 0
    while n < len(tokens):
        tok = tokens[n]
        opened = OPENS.match(tok.content.lstrip()) if tok.type == "html_block" else None
        depth = _depth(tok.content, opened.group(1)) if opened else 0
        if depth <= 0:
            out.append(tok)
            n += 1
            continue
        end, level = n + 1, tok.level
        while end < len(tokens) and depth > 0:
            if tokens[end].type == "html_block" and tokens[end].level == level:
                depth += _depth(tokens[end].content, opened.group(1))
            elif tokens[end].level < level:
                break
            end += 1
        block = Token("folio_html_group_open", "div", 1)
        block.map = [tok.map[0], max((t.map[1] for t in tokens[n:end] if t.map), default=tok.map[1])]
        out += [block, *tokens[n:end], Token("folio_html_group_close", "div", -1)]
        n = end
    state.tokens = out


def _depth(text: str, name: str) -> int:
    """How many `name` elements the text opens and leaves open."""
    lowered = text.lower()
    return len(re.findall(rf"<{name.lower()}\b", lowered)) - lowered.count(f"</{name.lower()}>")
