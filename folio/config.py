"""Front matter: parsed with PyYAML, checked against one table of known keys."""
from __future__ import annotations

import datetime
from functools import lru_cache

import yaml

from .controls import CONTROL
from .diagnostics import Kind, Location, Reporter, closest

# key: (type, default). One place lists every key the templates may read.
KEYS: dict[str, tuple[type | tuple, object]] = {
    "title": (str, "Untitled"),
    "short-title": (str, ""),
    "subtitle": (str, ""),
    "banner": (str, ""),
    "meeting": (dict, {}),
    "organization": (str, "United Nations"),
    "department": (str, ""),
    "division": (str, ""),
    "author": (str, ""),
    "subject": (str, ""),
    "symbol": (str, ""),
    "year": (int, 0),
    "date": ((str, datetime.date), ""),   # publication date, YYYY-MM-DD: dates in the outputs
    "publisher-place": (str, ""),
    "citation": (str, ""),     # the suggested citation, if not the one folio composes
    "language": (str, "en"),
    "paper": (str, "letter"),
    "paragraph-numbers": (bool, False),
    "contents-depth": (int, 2),
    "chapter-opening": (str, "page"),    # each body chapter: on a new page, a right-hand one, or run on
    "abbreviations-table": (str, "all"),
    "abbreviations-allow": (list, []),
    "reference-doc": (str, ""),
    "disclaimer": (str, ""),             # the imprint, behind the title page: the disclaimer on designations
    "copyright": (str, ""),              # the imprint's copyright line (default: the terms' own, with year)
    "print-edition": (bool, True),       # also write report-print.pdf, the printer's PDF/X-4
    "print-crop-marks": (bool, False),
    "print-pages-multiple": (int, 4),    # pad the print edition to a multiple of this many pages
    "print-profile": (str, "FOGRA39-coated.icc"),  # its output intent, in styles/color/
    "docx-page-numbers": (str, "auto"),  # LibreOffice's pagination when it is installed, else an estimate
    "pdf-layout": (str, "auto"),  # chunked (parallel, cached) or single (one WeasyPrint pass); auto: by size
    "ignore": (list, []),      # message kinds this document accepts, e.g. [abbr-unused]
    "meta": (dict, {}),        # the author's own values, passed to templates untouched
}
CHOICES = {
    "paper": ("letter", "a4"),
    "chapter-opening": ("page", "right", "continue"),
    "abbreviations-table": ("all", "used"),
    "docx-page-numbers": ("auto", "estimate", "libreoffice"),
    "pdf-layout": ("auto", "chunked", "single"),
}
# Whole numbers with bounds: a year past 9999 (or below 0) crashed the PDF and DOCX writers,
# which stamp a date from it (fuzz fixture front-matter-year-out-of-range). 0 = no year.
RANGES = {"print-pages-multiple": (0, 32), "year": (0, 9999), "contents-depth": (1, 3)}
MEETING_KEYS = ("place", "dates")


def read_front_matter(text: str, loc: Location, reporter: Reporter) -> dict:
    """YAML text of the front matter → validated settings with defaults."""
    try:
        data = yaml.safe_load(text) if text.strip() else {}
    # ValueError: YAML's own constructors raise it for a date that cannot be, e.g. 2017-13-01
    # (fuzz fixture front-matter-impossible-date); RecursionError: "[" nested thousands deep.
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        mark = getattr(exc, "problem_mark", None)
        line = loc.line + (mark.line + 1 if mark else 0)
        problem = (getattr(exc, "problem", None) or str(exc).splitlines()[0]
                   if not isinstance(exc, RecursionError) else "nested too deeply")
        reporter.error(Location(loc.path, line), f"malformed front matter: {problem}{_hint(problem)}",
                       Kind.FRONT_MATTER)
        data = {}
    if not isinstance(data, dict):
        reporter.error(loc, "front matter must be a mapping of 'key: value' lines", Kind.FRONT_MATTER)
        data = {}
    return validate(data, loc, text, reporter)


def validate(data: dict, loc: Location, text: str, reporter: Reporter) -> dict:
    meta = {key: default for key, (_, default) in KEYS.items()}
    for key, value in data.items():
        key_loc = Location(loc.path, loc.line + _line_of(text, str(key)))
        if key not in KEYS:
            reporter.error(key_loc, f"unknown front-matter key '{key}'{closest(str(key), KEYS)};"
                           f" keep values of your own under 'meta:' (meta: {{{key}: …}})",
                           Kind.FRONT_MATTER_KEY)
            continue
        expected = KEYS[key][0]
        if expected is str and isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            reporter.error(key_loc, f"'{key}' must be {_type_name(expected)}, not {_type_name(type(value))}",
                           Kind.FRONT_MATTER_TYPE)
            continue
        if key in CHOICES and value not in CHOICES[key]:
            reporter.error(key_loc, f"'{key}' must be one of {', '.join(CHOICES[key])}, not '{value}'",
                           Kind.FRONT_MATTER_TYPE)
            continue
        if key in RANGES and not RANGES[key][0] <= value <= RANGES[key][1]:
            reporter.error(key_loc, f"'{key}' must be between {RANGES[key][0]} and {RANGES[key][1]},"
                           f" not {value}", Kind.FRONT_MATTER_TYPE)
            continue
        meta[key] = _clean(value, key_loc, reporter)
    meta["meeting"] = {k: _clean(str(meta["meeting"].get(k, "")), Location(loc.path, loc.line
                                 + _line_of(text, "meeting")), reporter) for k in MEETING_KEYS}
    meta["date"] = _iso_date(meta["date"], Location(loc.path, loc.line + _line_of(text, "date")), reporter)
    meta["abbreviations-allow"] = [str(a) for a in meta["abbreviations-allow"]]
    kinds = {k.value for k in Kind}
    for kind in meta["ignore"]:
        if not isinstance(kind, str) or kind not in kinds:  # [[x]] or [{a: b}]: unhashable, no crash
            reporter.error(Location(loc.path, loc.line + _line_of(text, "ignore")),
                           f"unknown message kind '{kind}' in ignore{closest(str(kind), kinds)}",
                           Kind.FRONT_MATTER_TYPE)
    meta["ignore"] = [k for k in meta["ignore"] if isinstance(k, str) and k in kinds]
    meta["short-title"] = meta["short-title"] or meta["title"]
    return meta


# The source text is cleaned before YAML reads it, but YAML's escapes ("\x0b", "\ud800") make
# control characters again; a surrogate in the title crashed the HTML writer and a control
# character the DOCX one (fuzz fixture front-matter-escaped-controls).


def _clean(value, loc: Location, reporter: Reporter):
    if isinstance(value, str) and CONTROL.search(value):
        for char in sorted(set(CONTROL.findall(value))):
            reporter.warning(loc, f"control character U+{ord(char):04X} removed", Kind.CONTROL_CHAR)
        return CONTROL.sub("", value)
    return value


# YAML's words for a mistake → what to do about it.
HINTS = {"mapping values are not allowed here": " (a value holding ': ' must be quoted, e.g."
         ' title: "Migration: the facts")',
         "found character '\\t'": " (indent with spaces, not tabs)"}


def _hint(problem: str) -> str:
    return next((hint for words, hint in HINTS.items() if words in problem), "")


def _iso_date(value, loc: Location, reporter: Reporter) -> str:
    if not value:
        return ""
    try:
        return datetime.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        reporter.error(loc, f"'date' must be a date written YYYY-MM-DD, not '{value}'", Kind.FRONT_MATTER_TYPE)
        return ""


def _line_of(text: str, key: str) -> int:
    """1-based line of a top-level key inside the front matter (0 if not found)."""
    if ":" not in key:  # the usual case: one lookup, not a scan of every line per key (n²)
        return _key_lines(text).get(key, 0)
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith(f"{key}:"):
            return number
    return 0


@lru_cache(maxsize=4)
def _key_lines(text: str) -> dict:
    """'key' → the first line that starts with 'key:'."""
    lines: dict = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if ":" in line:
            lines.setdefault(line.split(":", 1)[0], number)
    return lines


def _type_name(t) -> str:
    if isinstance(t, tuple):
        return " or ".join(_type_name(x) for x in t)
    return {str: "text", int: "a whole number", bool: "true or false", list: "a list",
            datetime.date: "a date",
            dict: "a mapping", float: "a number", type(None): "empty"}.get(t, t.__name__)
