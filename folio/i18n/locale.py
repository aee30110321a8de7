"""The locale record: everything an edition needs to know about its language, in one value.

Words alone do not make a language version. A locale also fixes the direction of the text,
how headings and list items are numbered and marked, the quotation marks, the plural rule and
how dates and numbers are written. The words and the typographic scheme come from
`locales/<tag>.yaml` (folio's, then the project's `styles/locales/<tag>.yaml`); what CLDR
already knows (direction, plural rules, dates, numbers) comes from Babel, not from tables of
ours. Term names are checked when the locale loads: a word that is not one of folio's, in
folio's tables or a project's, is a located error, so a typo never shows as an empty string.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..diagnostics import Kind, Location, Reporter
from . import terms as term_tables

# The numeral styles a heading level may use (folio.i18n.numerals writes each); a level may
# also give its own list of words ("أولاً", "ثانياً" …) for the numbers 1, 2, 3 ….
NUMERAL_STYLES = ("upper-roman", "lower-roman", "upper-latin", "lower-latin", "decimal")


@dataclass(frozen=True)
class Locale:
    """A language as the editions use it. Frozen: a value writers read, never change."""
    tag: str
    direction: str = "ltr"                      # ltr | rtl, from CLDR's character order
    headings: tuple = ("upper-roman", "upper-latin", "decimal")   # chapter, section, subsection
    bullets: tuple = ("•", "–", "◦", "▪", "·")  # a bulleted list's marker at each depth
    quotes: tuple = ("“", "”", "‘", "’")        # outer open, outer close, inner open, inner close
    date_format: str = "long"                   # a CLDR pattern, or a CLDR format name
    # (character, space, side): the no-break space set before or after a punctuation mark
    # (French: a narrow one before ; ! ?); side is "before" or "after"
    spacing: tuple = ()
    heading_mark: str = "."                     # after a heading's number: "I. Introduction", "أولاً - مقدمة"
    paragraph_mark: str = "."                   # after a paragraph's number: "1.", UN Arabic "1 -"
    script: str = "Latin"                       # its script, as docx-styles.yaml's script-fonts names it
    font_package: str = ""                      # the system package with its print font, if folio has none
    terms: dict = field(default_factory=dict, compare=False, hash=False)

    def plural(self, count: int) -> str:
        """CLDR's plural category of a count: 'one', 'two', 'few', 'many' or 'other'."""
        return _babel(self.tag).plural_form(abs(count)) if _babel(self.tag) else ("one" if count == 1 else "other")

    def counted(self, count: int, term: str) -> str:
        """'1 page', '14 pages': the term's form for the count's plural category."""
        forms = self.terms.get(term, {})
        word = forms.get(self.plural(count)) or forms.get("other", "") if isinstance(forms, dict) else forms
        return f"{self.number(count)} {word}".strip()

    def mark(self, mark: str) -> str:
        """A punctuation mark after a generated word, with the space the language sets before
        it ("\u00a0:" in French, ":" in English)."""
        return next((space + mark for m, space, side in self.spacing if m == mark and side == "before"), mark)

    def date(self, day: dt.date) -> str:
        from babel.dates import format_date
        return format_date(day, self.date_format, locale=_babel(self.tag) or "en")

    def number(self, value: int | float) -> str:
        from babel.numbers import format_decimal
        return format_decimal(value, locale=_babel(self.tag) or "en")


def paragraph_mark(locale: Locale | None) -> str:
    """What follows a paragraph's number in every edition ("." without a locale)."""
    return locale.paragraph_mark if locale is not None else Locale.paragraph_mark


def right_to_left(locale: Locale | None) -> bool:
    """Whether text in the locale runs right to left (a document with no locale runs left to right)."""
    return locale is not None and locale.direction == "rtl"


@lru_cache(maxsize=32)
def _babel(tag: str):
    """Babel's locale for a tag, or None where CLDR has none (folio then falls back to English)."""
    from babel import Locale as BabelLocale
    from babel.core import UnknownLocaleError
    try:
        return BabelLocale.parse(tag.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return None


def load(language: str, project_styles=None, reporter: Reporter | None = None,
         where: Location | None = None, shown=str) -> Locale:
    """The locale for a language tag: folio's tables and the project's (general to specific),
    the scheme checked, every term name checked against folio's own (English) table.
    shown(path) is how a message names a file (the project's own relative name)."""
    table = term_tables.load(language, project_styles, reporter, where)
    scheme = table.pop("locale", {}) if isinstance(table.get("locale"), dict) else {}
    _check_term_names(project_styles, language, reporter, shown)
    babel = _babel(language or term_tables.DEFAULT)
    direction = "rtl" if babel is not None and babel.character_order == "right-to-left" else "ltr"
    defaults = Locale(tag=language)
    return Locale(
        tag=language or term_tables.DEFAULT,
        direction=_one_of(scheme.get("direction", direction), ("ltr", "rtl"), "direction", reporter, where),
        headings=_headings(scheme.get("headings"), defaults.headings, reporter, where),
        bullets=_strings(scheme.get("bullets"), defaults.bullets, "bullets", reporter, where),
        quotes=_strings(scheme.get("quotes"), defaults.quotes, "quotes", reporter, where, length=4),
        date_format=str(scheme.get("date_format") or defaults.date_format),
        spacing=_spacing(scheme.get("spacing"), reporter, where),
        heading_mark=str(scheme.get("heading_mark", defaults.heading_mark)),
        paragraph_mark=str(scheme.get("paragraph_mark", defaults.paragraph_mark)),
        script=str(scheme.get("script", defaults.script)),
        font_package=str(scheme.get("font_package", "")),
        terms=table)


SPACES = {"narrow": "\u202f", "no-break": "\u00a0"}


def _spacing(value, reporter, where) -> tuple:
    """{before: {";": narrow …}, after: {"«": no-break}} → ((";", "\u202f", "before") …)."""
    if value is None:
        return ()
    marks = []
    for side in ("before", "after"):
        table = value.get(side, {}) if isinstance(value, dict) else None
        if not isinstance(table, dict) or not all(isinstance(k, str) and len(k) == 1 and v in SPACES
                                                  for k, v in table.items()):
            _problem(reporter, where, f"the locale's spacing.{side} maps single punctuation marks to"
                     f" {' or '.join(SPACES)}")
            return ()
        marks += [(mark, SPACES[space], side) for mark, space in table.items()]
    return tuple(marks)


def _check_term_names(project_styles, language: str, reporter, shown) -> None:
    """Every key of every table must be one of folio's own words (those of the English table):
    a project's table that says `contnets:` is told so, at the line that says it."""
    if reporter is None:
        return
    known = term_tables.known_names()
    for path, name in term_tables.unknown_names(language, project_styles, known):
        reporter.error(Location(shown(path), _line_of(path, name.rsplit(".", 1)[-1])),
                       f"'{name}' is not a word folio writes (a typo? the names are those of"
                       f" folio/i18n/locales/en.yaml)", Kind.LOCALE)


def _line_of(path, key: str) -> int:
    """The first line that names key (0 if none does: the file as a whole)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return 0
    pattern = re.compile(rf"^\s*['\"]?{re.escape(key)}['\"]?\s*:")
    return next((n for n, line in enumerate(lines, 1) if pattern.match(line)), 0)


def _one_of(value, allowed: tuple, what: str, reporter, where):
    if value in allowed:
        return value
    _problem(reporter, where, f"the locale's {what} must be one of {', '.join(allowed)}, not '{value}'")
    return allowed[0]


def _headings(value, default: tuple, reporter, where) -> tuple:
    if value is None:
        return default
    levels = []
    for level in value if isinstance(value, list) else [value]:
        if isinstance(level, list) and level and all(isinstance(w, str) for w in level):
            levels.append(tuple(level))             # words for 1, 2, 3 …
        elif level in NUMERAL_STYLES:
            levels.append(level)
        else:
            _problem(reporter, where, f"a heading level is numbered in one of {', '.join(NUMERAL_STYLES)}"
                     f" or by a list of words, not '{level}'")
            return default
    return tuple(levels)


def _strings(value, default: tuple, what: str, reporter, where, length: int = 0) -> tuple:
    if value is None:
        return default
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value) \
            and (not length or len(value) == length):
        return tuple(value)
    _problem(reporter, where, f"the locale's {what} must be a list of {length or 'one or more'} strings")
    return default


def _problem(reporter, where, text: str) -> None:
    if reporter is not None:
        reporter.error(where or Location(""), text, Kind.LOCALE)
