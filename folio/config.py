"""Front matter: parsed with PyYAML, checked against one table of known keys."""
from __future__ import annotations

import datetime

import yaml

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
    "language": (str, "en"),
    "paper": (str, "letter"),
    "paragraph-numbers": (bool, False),
    "contents-depth": (int, 2),
    "abbreviations-table": (str, "all"),
    "abbreviations-allow": (list, []),
    "reference-doc": (str, ""),
    "docx-page-numbers": (str, "estimate"),  # or "libreoffice": exact, a few seconds slower  # a Word file in styles/ whose styles the DOCX takes
    "ignore": (list, []),      # message kinds this document accepts, e.g. [abbr-unused]
}
CHOICES = {
    "paper": ("letter", "a4"),
    "abbreviations-table": ("all", "used"),
    "docx-page-numbers": ("estimate", "libreoffice"),
}
MEETING_KEYS = ("place", "dates")


def read_front_matter(text: str, loc: Location, reporter: Reporter) -> dict:
    """YAML text of the front matter → validated settings with defaults."""
    try:
        data = yaml.safe_load(text) if text.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = loc.line + (mark.line + 1 if mark else 0)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        reporter.error(Location(loc.path, line), f"malformed front matter: {problem}", Kind.FRONT_MATTER)
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
            reporter.error(key_loc, f"unknown front-matter key '{key}'{closest(str(key), KEYS)}",
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
        meta[key] = value
    meta["meeting"] = {k: str(meta["meeting"].get(k, "")) for k in MEETING_KEYS}
    meta["date"] = _iso_date(meta["date"], Location(loc.path, loc.line + _line_of(text, "date")), reporter)
    meta["abbreviations-allow"] = [str(a) for a in meta["abbreviations-allow"]]
    kinds = {k.value for k in Kind}
    for kind in meta["ignore"]:
        if kind not in kinds:
            reporter.error(Location(loc.path, loc.line + _line_of(text, "ignore")),
                           f"unknown message kind '{kind}' in ignore{closest(str(kind), kinds)}",
                           Kind.FRONT_MATTER_TYPE)
    meta["ignore"] = [k for k in meta["ignore"] if k in kinds]
    meta["short-title"] = meta["short-title"] or meta["title"]
    return meta


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
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith(f"{key}:"):
            return number
    return 0


def _type_name(t) -> str:
    if isinstance(t, tuple):
        return " or ".join(_type_name(x) for x in t)
    return {str: "text", int: "a whole number", bool: "true or false", list: "a list",
            datetime.date: "a date",
            dict: "a mapping", float: "a number", type(None): "empty"}.get(t, t.__name__)
