"""Hyphenation for print, decided by folio, not left to the layout engine.

WeasyPrint's `hyphens: auto` breaks any word its dictionary allows: "Sec-retary-General",
"evid-ence", a paragraph's last word split so that "cess." stands alone. A print shop's rules,
as folio applies them: only long words (ten letters or more) of lower-case letters of any
script (no capital, no digit, no existing hyphen), at least three letters on each side of a
break, never in the last word of a paragraph; the breaks come from the Pyphen dictionary of the
document's language (`language:`, the print HTML's `lang`): for English the American patterns,
which divide by pronunciation ("evi-dence", "objec-tives") where the British ones divide by
etymology; for Russian and Spanish their own ("меж-ду-на-род-ная", "infor-ma-ción"). Chinese and
Arabic have none and are never hyphenated. The allowed breaks
become soft hyphens, and print.css sets `hyphens: manual`.

What only the laid-out page shows is checked after layout (folio.layout.lines), and the
paragraph laid out again with Hints: a word is left whole where its break made two hyphenated
lines in a row, ended a right-hand page or a paragraph's last full line; a shorter word (six
letters or more) may break where the line before it would otherwise be loose."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

SOFT = "\u00ad"
MIN_WORD = 10
SHORTER = 6   # letters: the shortest word a loose line may have broken (three on each side)
EDGE = 3
# A word of letters of any script ([^\W\d_]: "миграции", "información" as well as "evidence"),
# kept only if lower-case (str.islower: no capital; a Han or Arabic word has no case, and no
# dictionary either).
WORD = re.compile(r"(?<![\w\-‐‑’'])[^\W\d_]{%d,}(?![\w\-‐‑])" % SHORTER)  # noqa: UP031 (a regex)


@dataclass
class Hints:
    """What the rounds after layout ask of each block's hyphenation (by block id)."""
    keep: dict[str, set[str]] = field(default_factory=dict)    # words (by their first part) left whole
    allow: dict[str, set[str]] = field(default_factory=dict)   # shorter words that may break

    def add(self, keep: dict, allow: dict) -> bool:
        """Take more hints in; whether any was new (worth laying the pages out again)."""
        new = False
        for mine, theirs in ((self.keep, keep), (self.allow, allow)):
            for ident, words in theirs.items():
                known = mine.setdefault(ident, set())
                new = new or not set(words) <= known
                known.update(words)
        return new
PATTERNS = {"en": "en_US"}   # language → pyphen dictionary, where the default is not the best


@lru_cache(maxsize=8)
def _dictionary(language: str):
    import pyphen

    tag = (language or "en").replace("-", "_")
    name = PATTERNS.get(tag.split("_")[0], tag)
    for candidate in (name, tag, tag.split("_")[0]):
        if candidate in pyphen.LANGUAGES:
            _patterns_kept(pyphen, pyphen.LANGUAGES[candidate])
            return pyphen.Pyphen(lang=candidate, left=EDGE, right=EDGE)
    return None


PATTERNS_FORMAT = b"FOLIO-HYPH 1\n"     # then marshal's (patterns, longest pattern)


def _patterns_kept(pyphen, path) -> None:
    """A dictionary's patterns as Pyphen parses them, kept in the user's cache (folio.user_cache)
    and given to Pyphen's own table of parsed dictionaries: parsing the American English one
    was 0.04 s of every build that prints, a correction's included. Only dictionaries whose
    patterns are plain numbers are kept (marshal's types; a dictionary with nonstandard
    breaks, as Hungarian's, is parsed each time)."""
    import marshal

    from ..user_cache import identity, keep, read
    if path in pyphen.hdcache:
        return
    try:
        key = identity(path, pyphen.__file__)
    except OSError:
        return
    body = read("hyphenation", key, PATTERNS_FORMAT)
    if body is not None:
        try:
            patterns, longest = marshal.loads(body)
        except (EOFError, ValueError, TypeError):
            patterns = None
        if isinstance(patterns, dict):
            parsed = pyphen.HyphDict.__new__(pyphen.HyphDict)
            parsed.patterns, parsed.cache, parsed.maxlen = patterns, {}, longest
            pyphen.hdcache[path] = parsed
            return
    parsed = pyphen.hdcache[path] = pyphen.HyphDict(path)
    if all(type(v) is int for _, values in parsed.patterns.values() for v in values):
        keep("hyphenation", key, PATTERNS_FORMAT, marshal.dumps((parsed.patterns, parsed.maxlen)))


@lru_cache(maxsize=1 << 16)
def _broken(language: str, word: str) -> str:
    """A word with its breaks, once per process: every hyphenation round makes the whole print
    HTML again, and a long report says the same words thousands of times."""
    return _dictionary(language).inserted(word, hyphen=SOFT)


def hyphenate(text: str, language: str, spare_last_word: bool = False, keep=frozenset(),
              allow=frozenset()) -> str:
    """text with soft hyphens where a word may break: words of MIN_WORD letters, and shorter
    ones named in `allow`; the last word untouched if asked, and words beginning with one of
    `keep` left whole."""
    dictionary = _dictionary(language)
    if dictionary is None or not text:
        return text
    matches = [w for w in WORD.finditer(text)
               if w.group().islower() and (len(w.group()) >= MIN_WORD or w.group() in allow)]
    if spare_last_word and matches and not text[matches[-1].end():].strip(" .,;:!?)”’»\"'"):
        matches.pop()
    if not matches:
        return text
    out, pos = [], 0
    for match in matches:
        out.append(text[pos:match.start()])
        word = match.group()
        out.append(word if any(word.startswith(k) for k in keep) else _broken(language, word))
        pos = match.end()
    out.append(text[pos:])
    return "".join(out)
