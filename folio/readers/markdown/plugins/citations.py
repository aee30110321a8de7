"""Citations, as pandoc writes them: `[@key]`, `[see @key, p. 33]`, `[@a; -@b]` in brackets, and
`@key` (optionally `@key [p. 33]`) in the sentence. The token carries the items; the citations
transform turns them into notes or text with the bibliography the front matter names.

An e-mail address is not a citation (its `@` follows a letter), folio's own `@sec-x` is a
cross-reference, and a bare `@name` in the text is read as a citation only where the document
cites at all (a bibliography in its front matter, or a bracketed citation) or the key reads like
one (a name and a year, smith2020)."""
from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline

BRACKETS = re.compile(r"\[([^\[\]\n]*(?:\n[^\[\]\n]*){0,3})\]")   # no nesting; a few lines at most
KEY = r"[A-Za-z0-9_](?:[\w:.#$%&+?<>~/-]*[A-Za-z0-9_])?"
ITEM = re.compile(rf"^(?P<prefix>.*?)(?:^|(?<=\s))(?P<minus>-?)@(?P<key>{KEY})(?P<suffix>.*)$", re.S)
TEXT_KEY = re.compile(rf"@({KEY})")
LOCATOR_AFTER = re.compile(r"[ \t]?\[([^\[\]\n]*)\]")      # @key [p. 33]
CITATION_LIKE_KEY = re.compile(r"[A-Za-z].*?(?:1[5-9]|20)\d\d")
BIBLIOGRAPHY_KEY = re.compile(r"^bibliography[ \t]*:", re.M)
FOLIO_LABELS = ("sec-", "para-", "tbl-", "fig-", "fn-")

# The locator words an author writes (English, as pandoc reads them) → CSL's locator labels.
LOCATOR_WORDS = {
    "p": "page", "pp": "page", "page": "page", "pages": "page",
    "chap": "chapter", "chaps": "chapter", "chapter": "chapter", "chapters": "chapter", "ch": "chapter",
    "sec": "section", "secs": "section", "section": "section", "sections": "section", "§": "section",
    "§§": "section", "para": "paragraph", "paras": "paragraph", "paragraph": "paragraph",
    "paragraphs": "paragraph", "¶": "paragraph", "fig": "figure", "figs": "figure", "figure": "figure",
    "figures": "figure", "vol": "volume", "vols": "volume", "volume": "volume", "volumes": "volume",
    "no": "issue", "nos": "issue", "n": "note", "nn": "note", "note": "note", "notes": "note",
    "l": "line", "ll": "line", "line": "line", "lines": "line", "art": "article-locator",
    "arts": "article-locator", "article": "article-locator", "tab": "table", "table": "table",
    "part": "part", "pt": "part", "annex": "appendix", "appendix": "appendix",
}
VALUE = r"[\divxlcdmIVXLCDM][\w.]*(?:\s*[-–—,&]\s*[\divxlcdmIVXLCDM][\w.]*)*"
LOCATOR = re.compile(rf"^\s*,?\s*(?:(?P<word>[A-Za-z§¶]+\.?|§§?|¶)\s*)?(?P<value>{VALUE})(?P<rest>.*)$", re.S)


def citations_plugin(md: MarkdownIt) -> None:
    md.inline.ruler.before("link", "folio_citation", _bracketed)
    md.inline.ruler.before("html_inline", "folio_text_citation", _in_text)
    md.core.ruler.before("inline", "folio_cites", _cites)


def parse_items(inner: str) -> list[dict] | None:
    """The items of `[see @a, p. 3; @b]`, or None if this is no citation (an item without a key)."""
    items = []
    for part in inner.split(";"):
        match = ITEM.match(part)
        if not match or match.group("key").startswith(FOLIO_LABELS):
            return None
        suffix, locator = split_locator(match.group("suffix"))
        items.append({"key": match.group("key").rstrip(".:"), "prefix": " ".join(match.group("prefix").split()),
                      "suffix": suffix, "locator": locator, "suppress_author": bool(match.group("minus"))})
    return items


def split_locator(suffix: str) -> tuple[str, tuple]:
    """', p. 33 and elsewhere' → ('and elsewhere', ('page', '33')); a bare number is a page."""
    match = LOCATOR.match(suffix)
    if match and (match.group("word") or suffix.lstrip().startswith(",") or not suffix.strip(", ")):
        word = (match.group("word") or "").rstrip(".").lower()
        label = LOCATOR_WORDS.get(word) if word else "page"
        if label and not (match.group("rest")[:1].isalnum()):
            value = " ".join(match.group("value").split())
            return " ".join(match.group("rest").strip(" ,").split()), (label, value)
    return " ".join(suffix.split()), ()     # ", and the annexes" keeps its comma


def _bracketed(state: StateInline, silent: bool) -> bool:
    src = state.src
    if src[state.pos] != "[":
        return False
    match = BRACKETS.match(src, state.pos, state.posMax)
    if not match or "@" not in match.group(1) or src[match.end():match.end() + 1] in ("(", "[", "{"):
        return False        # a link, a reference-style link or a bracketed span
        return False
    items = parse_items(match.group(1))
    if items is None:
        return False
    return _push(state, silent, match.end(), items, False)


def _push(state: StateInline, silent: bool, end: int, items: list, in_text: bool) -> bool:
    if not silent:
        token = state.push("folio_cite", "", 0)
        token.content = state.src[state.pos:end]
        token.meta = {"items": items, "in_text": in_text, "pos": (state.pos, end)}
    state.pos = end
    return True


def _in_text(state: StateInline, silent: bool) -> bool:
    """@key in running text; not an address (a@b.org), not folio's @sec-x."""
    src, pos = state.src, state.pos
    if src[pos] != "@" or (pos > 0 and (src[pos - 1].isalnum() or src[pos - 1] in "_.@-+")):
        return False
    match = TEXT_KEY.match(src, pos, state.posMax)
    if not match or match.group(1).startswith(FOLIO_LABELS):
        return False
    key = match.group(1).rstrip(".:")
    if not (state.env.get("folio_cites") or CITATION_LIKE_KEY.match(key)):
        return False
    if src.startswith(")", pos + 1 + len(key)) and pos > 0 and src[pos - 1] == "(" \
            and src[pos - 2:pos - 1] in ("", "\n"):
        return False        # (@good) at a line's start: an example list's label, reported as that
    end = pos + 1 + len(key)
    item = {"key": key, "prefix": "", "suffix": "", "locator": (), "suppress_author": False}
    after = LOCATOR_AFTER.match(src, end, state.posMax)
    if after and "@" not in after.group(1) and src[after.end():after.end() + 1] not in ("(", "[", "{"):
        item["suffix"], item["locator"] = split_locator(after.group(1))
        end = after.end()
    return _push(state, silent, end, [item], True)


def _cites(state: StateCore) -> None:
    """Does the document cite (a bibliography named, or a bracketed citation)? Then any @key in
    its text is a citation."""
    src = state.src
    if "@" not in src:
        state.env["folio_cites"] = False
        return
    front = next((t.content for t in state.tokens if t.type == "front_matter"), "")
    state.env["folio_cites"] = bool(BIBLIOGRAPHY_KEY.search(front)) or any(
        src[match.end():match.end() + 1] not in ("(", "[", "{") and parse_items(match.group(1))
        for match in BRACKETS.finditer(src) if "@" in match.group(1))
