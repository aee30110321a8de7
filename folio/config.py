"""Front matter: read with folio's safe YAML loader, every value checked by type and range
against one table of known keys before anything uses it."""
from __future__ import annotations

import datetime
import re

from . import safeyaml
from .controls import CONTROL, invisible_characters
from .dates import LATEST
from .diagnostics import Kind, Location, Reporter, closest

# key: (type, default). One place lists every key the templates may read.
KEYS: dict[str, tuple[type | tuple, object]] = {
    "title": (str, "Untitled"),
    "short-title": (str, ""),
    "subtitle": (str, ""),
    "banner": (str, ""),
    "meeting": (dict, {}),
    "organization": (str, ""),     # the publisher: none unless the document names one
    "department": (str, ""),
    "division": (str, ""),
    "author": (str, ""),
    "subject": (str, ""),
    "symbol": (str, ""),
    "year": (int, 0),
    "date": ((str, datetime.date), ""),   # publication date, YYYY-MM-DD: dates in the outputs
    "reissued": ((str, datetime.date), ""),   # reissued for technical reasons on YYYY-MM-DD (folio reissue)
    "publisher-place": (str, ""),
    "citation": (str, ""),     # the suggested citation, if not the one folio composes
    "bibliography": (str, ""),           # the works the text cites: CSL JSON (.json) or BibTeX (.bib)
    "citation-style": (str, "note"),     # note | author-date | a CSL file (.csl) beside the source
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
    "form": (str, "publication"),  # with cover, title page and contents; or a document: the text alone
}
CHOICES = {
    "paper": ("letter", "a4"),
    "chapter-opening": ("page", "right", "continue"),
    "abbreviations-table": ("all", "used"),
    "docx-page-numbers": ("auto", "estimate", "libreoffice"),
    "pdf-layout": ("auto", "chunked", "single"),
    "form": ("publication", "document"),
}
# Whole numbers with bounds: a year past 9999 (or below 0) crashed the PDF and DOCX writers,
# which stamp a date from it (fuzz fixture front-matter-year-out-of-range). 0 = no year.
RANGES = {"print-pages-multiple": (0, 32), "year": (0, 9999), "contents-depth": (1, 3)}
# A BCP 47 language tag (en, fr-CA, zh-Hant-TW, es-419): it becomes lang="…" in the HTML and
# the language of the PDF and DOCX, so nothing else may get through.
LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,6}")
MEETING_KEYS = ("place", "dates")


YAML_KEY_LINE = re.compile(r"[A-Za-z][\w-]*:(?:\s|$)")


def close_front_matter(text: str, path: str, reporter: Reporter) -> str:
    """Front matter opened by '---' and never closed: a located error, not a title 'Untitled' and
    the metadata printed as the first paragraph. The text is read on as if the first blank line
    closed it (a blank line becomes '---': every line keeps its number), so that the next
    messages are about the text and not about the metadata."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---" or len(lines) < 2 or not YAML_KEY_LINE.match(lines[1]):
        return text
    if any(line.rstrip() in ("---", "...") for line in lines[1:]):
        return text     # closed somewhere: what lies between is read (and checked) as YAML
    reporter.error(Location(path, 1), "the front matter opened by '---' on line 1 is never closed:"
                   " end it with a line '---'", Kind.FRONT_MATTER)
    blank = next((i for i, line in enumerate(lines) if i and not line.strip()), None)
    if blank is not None:
        lines[blank] = "---"
    return "\n".join(lines)


def chapter_opening(meta: dict) -> str:
    """How each body chapter after the first opens: 'page', 'right' or 'continue'. The one
    place the front matter's `chapter-opening` is read (the composition decides with it)."""
    return meta.get("chapter-opening", "page")


def peek_front_matter(head: bytes) -> dict:
    """The settings of a source's front matter, read from its first bytes before the source is
    parsed (to start what a build will need), quietly: {} for anything that is not plainly a
    closed, valid front matter. The parse reads it again and reports its problems."""
    try:
        lines = head.decode("utf-8").split("\n")
    except UnicodeDecodeError:
        return {}
    if not lines or lines[0].rstrip() != "---":
        return {}
    end = next((i for i, line in enumerate(lines[1:], 1) if line.rstrip() in ("---", "...")), None)
    if end is None:
        return {}
    try:
        data, _ = safeyaml.load("\n".join(lines[1:end]))
    except safeyaml.YamlProblem:
        return {}
    return validate(data, Location(""), {}, Reporter()) if isinstance(data, dict) else {}


def read_front_matter(text: str, loc: Location, reporter: Reporter) -> dict:
    """YAML text of the front matter (loc: its opening line) → validated settings with defaults."""
    data, lines = {}, {}
    if text.strip():
        try:
            data, lines = safeyaml.load(text)
        except safeyaml.YamlProblem as exc:
            reporter.error(Location(loc.path, loc.line + exc.line),
                           f"malformed front matter: {exc.text}{_hint(exc.text)}", Kind.FRONT_MATTER)
            data = {}
    if not isinstance(data, dict):
        reporter.error(loc, "front matter must be a mapping of 'key: value' lines", Kind.FRONT_MATTER)
        data = {}
    return validate(data, loc, lines, reporter)


def validate(data: dict, loc: Location, lines: dict, reporter: Reporter) -> dict:
    meta = {key: default for key, (_, default) in KEYS.items()}

    def where(key) -> Location:
        return Location(loc.path, loc.line + lines.get(key, 0) if lines.get(key) else loc.line)

    for key, value in data.items():
        if key not in KEYS:
            reporter.error(where(key), f"unknown front-matter key '{shown(key)}'{closest(str(key), KEYS)};"
                           f" keep values of your own under 'meta:' (meta: {{{shown(key)}: …}})",
                           Kind.FRONT_MATTER_KEY)
            continue
        checked = check(key, value, where(key), reporter)
        if checked is not None:
            meta[key] = checked
    meta["meeting"] = {k: meta["meeting"].get(k, "") for k in MEETING_KEYS}
    for key in DATES:
        meta[key] = meta[key] and meta[key].isoformat()
    meta["short-title"] = meta["short-title"] or meta["title"]
    # Where each key was written: for messages about values checked later (the reference-doc
    # a writer opens). Not a setting: no template reads it.
    meta["_lines"] = {key: where(key).line for key in data if key in KEYS}
    return meta


def check(key: str, value, loc: Location, reporter: Reporter):
    """The value, cleaned, if it is right for key; else None after a located error."""
    expected = KEYS[key][0]
    if expected is str and isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
        return _wrong(loc, f"'{key}' must be {_type_name(expected)}, not {_type_name(type(value))}", reporter)
    if key in CHOICES and value not in CHOICES[key]:
        return _wrong(loc, f"'{key}' must be one of {', '.join(CHOICES[key])}, not '{shown(value)}'", reporter)
    if key in RANGES and not RANGES[key][0] <= value <= RANGES[key][1]:
        low, high = RANGES[key]
        return _wrong(loc, f"'{key}' must be between {low} and {high}, not {shown(value)}", reporter)
    return CHECKS.get(key, _text)(key, value, loc, reporter)


def _text(key: str, value, loc: Location, reporter: Reporter):
    return clean(value, loc, reporter) if isinstance(value, str) else value


def _language(key: str, value: str, loc: Location, reporter: Reporter):
    if not LANGUAGE.fullmatch(value):
        return _wrong(loc, f"'language' must be a language tag such as en, fr or es-419, not '{shown(value)}'",
                      reporter)
    return value


def _date(key: str, value, loc: Location, reporter: Reporter):
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return _carried(value, loc, reporter, key)
    try:
        day = datetime.date.fromisoformat(str(value)) if value else ""
    except ValueError:
        return _wrong(loc, f"'{key}' must be a date written YYYY-MM-DD, not '{shown(value)}'", reporter)
    return _carried(day, loc, reporter, key)


def _carried(day, loc: Location, reporter: Reporter, key: str = "date"):
    """A date every edition can stamp (a Word file's zip ends in 2107; a date in 2150 was a
    traceback in the DOCX writer)."""
    if day and day > LATEST.date():
        return _wrong(loc, f"'{key}' must be no later than {LATEST.date()}, the last date a Word file"
                      f" can carry, not {day}", reporter)
    return day


def _meeting(key: str, value: dict, loc: Location, reporter: Reporter):
    meeting = {}
    for name, text in value.items():
        if name not in MEETING_KEYS:
            reporter.error(loc, f"unknown key '{shown(name)}' in meeting (known: {', '.join(MEETING_KEYS)})",
                           Kind.FRONT_MATTER_KEY)
        elif isinstance(text, (str, int, float)) and not isinstance(text, bool):
            meeting[name] = clean(str(text), loc, reporter)
        else:
            reporter.error(loc, f"meeting '{name}' must be text, not {_type_name(type(text))}",
                           Kind.FRONT_MATTER_TYPE)
    return meeting


def _words(key: str, value: list, loc: Location, reporter: Reporter):
    bad = [v for v in value if not isinstance(v, (str, int)) or isinstance(v, bool)]
    if bad:
        return _wrong(loc, f"'{key}' must be a list of words, not of {_type_name(type(bad[0]))}", reporter)
    return [clean(str(v), loc, reporter) for v in value]


def _kinds(key: str, value: list, loc: Location, reporter: Reporter):
    kinds = {k.value for k in Kind}
    for kind in value:
        if not isinstance(kind, str) or kind not in kinds:  # [[x]] or [{a: b}]: unhashable, no crash
            reporter.error(loc, f"unknown message kind '{shown(kind)}' in ignore{closest(str(kind), kinds)}",
                           Kind.FRONT_MATTER_TYPE)
    return [k for k in value if isinstance(k, str) and k in kinds]


def _file_in(folder: str):
    """A check for a file named relative to a folder of the project: nothing from outside it."""
    def check(key: str, value: str, loc: Location, reporter: Reporter):
        parts = value.replace("\\", "/").split("/")
        if value.startswith(("/", "\\")) or ".." in parts or ":" in value or CONTROL.search(value):
            return _wrong(loc, f"'{key}' must name a file in {folder} (no absolute path, no '..'),"
                          f" not '{shown(value)}'", reporter)
        return value
    return check


DATES = ("date", "reissued")


def _citation_style(key: str, value: str, loc: Location, reporter: Reporter):
    if value in ("note", "author-date"):
        return value
    if not value.endswith(".csl"):
        return _wrong(loc, f"'citation-style' must be note, author-date or a CSL file (.csl), not '{shown(value)}'",
                      reporter)
    return _file_in("the source's folder")(key, value, loc, reporter)


CHECKS = {"language": _language, "date": _date, "reissued": _date, "meeting": _meeting, "abbreviations-allow": _words,
          "ignore": _kinds, "reference-doc": _file_in("styles/"), "print-profile": _file_in("styles/color/"),
          "bibliography": _file_in("the source's folder"), "citation-style": _citation_style}


def _wrong(loc: Location, text: str, reporter: Reporter) -> None:
    reporter.error(loc, text, Kind.FRONT_MATTER_TYPE)
    return None


# The source text is cleaned before YAML reads it, but YAML's escapes ("\x0b", "\ud800") make
# control characters again; a surrogate in the title crashed the HTML writer and a control
# character the DOCX one (fuzz fixture front-matter-escaped-controls). Characters that reorder
# or hide text (U+202E, U+200B) reach the PDF's outline and metadata: a warning.


def clean(value: str, loc: Location, reporter: Reporter) -> str:
    for char in invisible_characters(value):
        reporter.warning(loc, f"invisible character {char} in the front matter", Kind.INVISIBLE_CHAR)
    if CONTROL.search(value):
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


def shown(value, limit: int = 60) -> str:
    """A value as a message quotes it: short, on one line."""
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _type_name(t) -> str:
    if isinstance(t, tuple):
        return " or ".join(_type_name(x) for x in t)
    return {str: "text", int: "a whole number", bool: "true or false", list: "a list",
            datetime.date: "a date",
            dict: "a mapping", float: "a number", type(None): "empty"}.get(t, t.__name__)
