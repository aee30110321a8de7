"""The bibliography and the citation style, read safely; citeproc-py stays behind this module.

A bibliography is CSL JSON (.json) or BibTeX (.bib), named in the front matter and found beside
the source; a style is one of folio's two (folio/csl/: `note`, the UN's footnotes, and
`author-date`) or a project's .csl file. Every file goes through read_input (the build's stamps
see it), is bounded in size, and anything wrong with it is a located error in that file, never
a traceback: citeproc-py reads what an author wrote, so its exceptions are caught here."""
from __future__ import annotations

import io
import json
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Kind, Location, Reporter
from .files import is_inside
from .inputs import read_input

MAX_BIBLIOGRAPHY = 4 * 1024 * 1024   # bytes: some 10,000 entries; past it, a file is not a report's bibliography
MAX_STYLE = 1024 * 1024
STYLES = Path(__file__).parent / "csl"
# folio's languages → the CSL locale citeproc-py ships for them (UN English is British).
CSL_LOCALES = {"en": "en-GB", "fr": "fr-FR", "es": "es-ES", "ru": "ru-RU", "zh": "zh-CN", "ar": "ar"}
BIBTEX_MARKS = re.compile(r"[{}@]")
ENTRY_START = re.compile(r"@[ \t]*[A-Za-z]{1,40}[ \t\n]*[{(]")
DOCTYPE = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.I)
NARRATIVE, SUPPRESS_AUTHOR = "folio-narrative", "folio-suppress-author"   # macros of folio's styles
CSL_NS = "http://purl.org/net/xbiblio/csl"


@dataclass
class Styles:
    """A citation style and the variants folio's own styles define for @key in the sentence
    (narrative: "Smith (2017)") and [-@key] (suppress-author: "(2017)"); None where a style has none."""
    main: object
    note: bool                           # class="note": citations become footnotes
    variants: dict = field(default_factory=dict)   # macro name → style


def read_bibliography(name: str, base: Path, root: Path, shown: str, loc: Location, reporter: Reporter):
    """The citeproc source of the bibliography `name` (relative to base), or None after an error.
    `shown` is its path as messages name it."""
    path = _project_file(name, base, root, loc, "bibliography", MAX_BIBLIOGRAPHY, reporter)
    if path is None:
        return None
    from .readers.markdown import read_text
    text = read_text(path, shown, reporter)     # as the source is read: UTF-8, controls removed
    if name.lower().endswith(".json"):
        return _csl_json(text, shown, reporter)
    if name.lower().endswith(".bib"):
        return _bibtex(text, shown, reporter)
    reporter.error(loc, f"bibliography '{name}' must be CSL JSON (.json) or BibTeX (.bib)", Kind.BIBLIOGRAPHY)
    return None


def _project_file(name: str, base: Path, root: Path, loc: Location, what: str, limit: int,
                  reporter: Reporter) -> Path | None:
    path = base / name
    try:
        size = path.stat().st_size if path.is_file() else -1
    except (OSError, ValueError):
        size = -1
    if not is_inside(path, root):
        reporter.error(loc, f"{what} '{name}' lies outside the project", Kind.FILE)
    elif size < 0:
        reporter.error(loc, f"{what} '{name}' not found (looked for it beside the source)", Kind.FILE)
    elif size > limit:
        reporter.error(loc, f"{what} '{name}' is {size // 1024 // 1024} MiB; folio reads at most"
                       f" {limit // 1024 // 1024} MiB", Kind.BIBLIOGRAPHY)
    else:
        return path
    return None


def _csl_json(text: str, shown: str, reporter: Reporter):
    from citeproc.source.json import CiteProcJSON
    try:
        entries = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        line = getattr(exc, "lineno", 0)
        reporter.error(Location(shown, line), f"malformed CSL JSON: {getattr(exc, 'msg', 'nested too deep')}",
                       Kind.BIBLIOGRAPHY)
        return None
    if not isinstance(entries, list):
        reporter.error(Location(shown, 1), "CSL JSON must be a list of entries ([{\"id\": …, \"type\": …}, …])",
                       Kind.BIBLIOGRAPHY)
        return None
    source = CiteProcJSON([])
    for n, entry in enumerate(entries, 1):
        key = entry.get("id") if isinstance(entry, dict) else None
        if not isinstance(key, (str, int)) or not isinstance(entry.get("type"), str):
            reporter.error(Location(shown), f"entry {n} of the bibliography has no \"id\" or no \"type\"",
                           Kind.BIBLIOGRAPHY)
            continue
        try:
            source.update(CiteProcJSON([entry]))
        except Exception as exc:     # noqa: BLE001 — the library's reading of one author-written entry
            reporter.error(Location(shown, entry_line(text, ".json", str(key))),
                           f"bibliography entry '{key}' cannot be read: {why(exc)}", Kind.BIBLIOGRAPHY)
    source.folio_text = (shown, ".json", text)
    return source


def _bibtex(text: str, shown: str, reporter: Reporter):
    from citeproc.source.bibtex import BibTeX
    problem = _bibtex_shape(text)
    if problem:
        line, what = problem
        reporter.error(Location(shown, line), f"malformed BibTeX: {what}", Kind.BIBLIOGRAPHY)
        return None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            source = BibTeX(io.StringIO(text))
        except Exception as exc:     # noqa: BLE001 — the library's parser of an author-written file
            reporter.error(Location(shown, getattr(exc, "line_number", 0)), f"malformed BibTeX: {why(exc)}",
                           Kind.BIBLIOGRAPHY)
            return None
    source.folio_text = (shown, ".bib", text)
    ignored = sorted({m for w in caught for m in re.findall(r"field '([^']+)'", str(w.message))})
    if ignored:
        reporter.warning(Location(shown), "BibTeX fields the citation styles do not read, left out: "
                         + ", ".join(ignored), Kind.BIBLIOGRAPHY)
    return source


def why(exc: BaseException) -> str:
    text = " ".join(str(exc).split())[:120]
    return text or type(exc).__name__


def entry_line(text: str, kind: str, key: str) -> int:
    """The line an entry of a bibliography starts on (0: not found). Looked up only for a
    message: a search per entry of a long file would cost more than reading it."""
    pattern = rf'"id"\s*:\s*"?{re.escape(key)}"?' if kind == ".json" else rf"@\w+\s*[{{(]\s*{re.escape(key)}\s*,"
    match = re.search(pattern, text, re.I)
    return text.count("\n", 0, match.start()) + 1 if match else 0


def entry_location(source, key: str) -> Location:
    """Where the entry `key` of a bibliography read here is written."""
    shown, kind, text = getattr(source, "folio_text", ("", "", ""))
    return Location(shown, entry_line(text, kind, key))


def _bibtex_shape(text: str) -> tuple[int, str] | None:
    """(line, what) if the file's braces do not make entries, checked in one pass before the
    library reads it: its reader grows an entry's type a character at a time up to the next
    brace (a run of '@' was quadratic), and says nothing of lines."""
    depth, opened_at = 0, 0
    for match in BIBTEX_MARKS.finditer(text):
        mark = match.group()
        if mark == "{":
            depth += 1
        elif mark == "}":
            depth -= 1
            if depth < 0:
                return text.count("\n", 0, match.start()) + 1, "a '}' that closes nothing"
        elif depth == 0:             # an entry starts: @type{ or @type(
            opened_at = match.start()
            if not ENTRY_START.match(text, opened_at):
                return text.count("\n", 0, opened_at) + 1, "'@' must start an entry such as @book{key, …}"
    if depth > 0:
        return text.count("\n", 0, opened_at) + 1, "an entry is not closed (its braces do not match)"
    return None



def read_styles(choice: str, language: str, base: Path, root: Path, loc: Location, reporter: Reporter):
    """The Styles for the front matter's `citation-style`, or None after an error."""
    if choice in ("note", "author-date"):
        path = STYLES / f"{choice}.csl"
    else:
        path = _project_file(choice, base, root, loc, "citation style", MAX_STYLE, reporter)
        if path is None:
            return None
    data = read_input(path)
    if DOCTYPE.search(data):
        reporter.error(loc, f"citation style '{choice}' declares a DTD or entities: refused (CSL has none)",
                       Kind.BIBLIOGRAPHY)
        return None
    try:
        return _styles(data, CSL_LOCALES.get(language.split("-")[0], "en-GB"))
    except Exception as exc:     # noqa: BLE001 — an author's .csl, read by lxml and citeproc-py
        reporter.error(loc, f"citation style '{choice}' cannot be read: {why(exc)}", Kind.BIBLIOGRAPHY)
        return None


def _styles(data: bytes, locale: str) -> Styles:
    from citeproc import CitationStylesStyle
    from lxml import etree

    tree = etree.parse(io.BytesIO(data), etree.XMLParser(no_network=True, resolve_entities=False))
    ns = {"cs": CSL_NS}
    if tree.getroot().tag != f"{{{CSL_NS}}}style":
        raise ValueError("it is not a CSL style (its root must be <style> in the CSL namespace)")
    for part in ("citation", "bibliography"):
        if tree.find(f"cs:{part}/cs:layout", ns) is None:
            raise ValueError(f"it has no <{part}> with a <layout>: folio needs both, for the citations"
                             " and for the list of references")
    main = CitationStylesStyle(io.BytesIO(data), locale=locale, validate=False)
    variants = {}
    for macro in (NARRATIVE, SUPPRESS_AUTHOR):
        if tree.find(f"cs:macro[@name='{macro}']", ns) is None:
            continue
        twin = etree.fromstring(etree.tostring(tree))
        layout = twin.find("cs:citation/cs:layout", ns)
        for child in list(layout):
            layout.remove(child)
        for attribute in ("prefix", "suffix"):
            layout.attrib.pop(attribute, None)
        etree.SubElement(layout, f"{{{CSL_NS}}}text", macro=macro)
        variants[macro] = CitationStylesStyle(io.BytesIO(etree.tostring(twin)), locale=locale, validate=False)
    return Styles(main, main.root.get("class") == "note", variants)
