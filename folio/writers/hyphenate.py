"""Hyphenation for print, decided by folio, not left to the layout engine.

WeasyPrint's `hyphens: auto` breaks any word its dictionary allows: "Sec-retary-General",
"evid-ence", a paragraph's last word split so that "cess." stands alone. A print shop's rules,
as folio applies them: only long words (ten letters or more) of lower-case letters (no capital, no digit, no
existing hyphen), at least three letters on each side of a break, never in the last word of a
paragraph; the breaks come from the American patterns, which divide by pronunciation
("evi-dence", "objec-tives") where the British ones divide by etymology. The allowed breaks
become soft hyphens, and print.css sets `hyphens: manual`. No more than two hyphenated lines
in a row is checked after layout (pdf.py lays a paragraph out again without the third break)."""
from __future__ import annotations

import re
from functools import lru_cache

SOFT = "\u00ad"
MIN_WORD = 10
EDGE = 3
WORD = re.compile(r"(?<![\w\-‐‑’'])[a-z]{%d,}(?![\w\-‐‑])" % MIN_WORD)  # noqa: UP031 (a regex)
PATTERNS = {"en": "en_US"}   # language → pyphen dictionary, where the default is not the best


@lru_cache(maxsize=8)
def _dictionary(language: str):
    import pyphen

    tag = (language or "en").replace("-", "_")
    name = PATTERNS.get(tag.split("_")[0], tag)
    for candidate in (name, tag, tag.split("_")[0]):
        if candidate in pyphen.LANGUAGES:
            return pyphen.Pyphen(lang=candidate, left=EDGE, right=EDGE)
    return None


def hyphenate(text: str, language: str, spare_last_word: bool = False, keep=frozenset()) -> str:
    """text with soft hyphens where a word may break; the last word untouched if asked, and
    words beginning with one of `keep` (broken once too often in a row) left whole."""
    dictionary = _dictionary(language)
    if dictionary is None or not text:
        return text
    matches = list(WORD.finditer(text))
    if spare_last_word and matches and not text[matches[-1].end():].strip(" .,;:!?)”’\"'"):
        matches.pop()
    if not matches:
        return text
    out, pos = [], 0
    for match in matches:
        out.append(text[pos:match.start()])
        word = match.group()
        out.append(word if any(word.startswith(k) for k in keep) else dictionary.inserted(word, hyphen=SOFT))
        pos = match.end()
    out.append(text[pos:])
    return "".join(out)
