"""The words of the outputs, one table per language (as pandoc keeps its translations).

Writers and templates take every word folio itself writes from here: the contents heading,
"chapter" in a cross-reference, the blank-page notice. Keys are read with underscores in
templates (terms.blank_page)."""
from __future__ import annotations

import copy
from functools import lru_cache
from pathlib import Path

import yaml

from .. import safeyaml
from ..diagnostics import Kind, Location, Reporter
from ..inputs import probe, read_input

LOCALES = Path(__file__).parent / "locales"
DEFAULT = "en"


def load(language: str, project_styles: Path | None = None, reporter: Reporter | None = None,
         where: Location | None = None) -> dict:
    """The terms for a language tag ('en', 'en-GB', 'fr'): English first, then folio's and the
    project's tables for the tag, general to specific, each overriding the one before."""
    tags = _candidates(language)
    own = [LOCALES / f"{DEFAULT}.yaml"] + [LOCALES / f"{tag}.yaml" for tag in tags]
    project = [project_styles / "locales" / f"{tag}.yaml" for tag in tags] if project_styles else []
    present = [f for f in own if f.is_file()]
    # The project's tables are inputs of the build: read through its log, absent ones recorded.
    present += [f for f in project if probe(f)]
    if reporter is not None and not any(f.stem == tags[0] for f in present):
        reporter.warning(where or Location(""), f"folio has no words for language '{language}';"
                         f" the outputs use English ones (add styles/locales/{tags[0]}.yaml)",
                         Kind.FRONT_MATTER_TYPE)
    terms: dict = {}
    for path in present:
        _merge(terms, _read(str(path)) if path.parent == LOCALES else _read_project(path, reporter))
    return _underscored(terms)


def _candidates(language: str) -> list[str]:
    """'en-GB' → ['en', 'en-GB'] (general first, specific last)."""
    parts = (language or DEFAULT).replace("_", "-").split("-")
    return ["-".join(parts[:i]) for i in range(1, len(parts) + 1)]


# folio's own tables, read by libyaml where PyYAML has it (the same data, a tenth of the time:
# 1.4 ms against 10 ms for en.yaml, in every build); a project's go through safeyaml.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@lru_cache(maxsize=16)
def _read(path: str) -> dict:
    try:
        data = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_LOADER)  # noqa: S506 (a safe loader)
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def _read_project(path: Path, reporter: Reporter | None) -> dict:
    """A project's table, read with the safe loader (no aliases); a bad one is a warning."""
    try:
        data, _ = safeyaml.load(read_input(path).decode("utf-8"))
    except (OSError, UnicodeDecodeError, safeyaml.YamlProblem) as exc:
        if reporter is not None:
            reporter.warning(Location(str(path), getattr(exc, "line", 0)),
                             f"the words in this file are not used: {getattr(exc, 'text', exc)}", Kind.FILE)
        return {}
    return data if isinstance(data, dict) else {}


def _merge(into: dict, data: dict) -> None:
    for key, value in data.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        elif isinstance(value, (str, dict, list)):
            # a copy all the way down: the tables are cached, and a word nested two deep
            # (corrigendum.place.footnote) merged into a shallow copy changed the cached English
            into[key] = copy.deepcopy(value)


def _underscored(data: dict) -> dict:
    return {str(k).replace("-", "_"): _underscored(v) if isinstance(v, dict) else v for k, v in data.items()}


def known_names() -> frozenset:
    """The dotted names of folio's words ('contents', 'ref.chapter'): those of the English
    table, which every language and project table may only fill in, not extend."""
    return frozenset(_names(_underscored(_read(str(LOCALES / f"{DEFAULT}.yaml")))))


def unknown_names(language: str, project_styles: Path | None, known: frozenset):
    """(file, name) of every word in a language's or the project's tables that folio does not
    write: the files read by load(), in the same order."""
    tags = _candidates(language)
    files = [LOCALES / f"{tag}.yaml" for tag in tags if tag != DEFAULT]
    files += [project_styles / "locales" / f"{tag}.yaml" for tag in tags] if project_styles else []
    for path in files:
        if not path.is_file():
            continue
        data = _read(str(path)) if path.parent == LOCALES else _read_project(path, None)
        for name in _names(_underscored(data)):
            if name not in known:
                yield path, name.replace("_", "-")


def _names(data: dict, prefix: str = ""):
    """Dotted names of a table's words; the locale's scheme is not a word."""
    for key, value in data.items():
        if not prefix and key == "locale":
            continue
        if isinstance(value, dict) and not _is_plural(value):
            yield from _names(value, f"{prefix}{key}.")
        else:
            yield prefix + key


def _is_plural(value: dict) -> bool:
    """A word with a form per CLDR plural category ({one: page, other: pages})."""
    return bool(value) and set(value) <= {"zero", "one", "two", "few", "many", "other"}


def reference_prefix(terms: dict, kind: str) -> str:
    return terms.get("ref", {}).get(kind, "")
