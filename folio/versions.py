"""Language versions of one report: `source/report.md` (the original) and `source/report.fr.md`,
`source/report.ar.md` … beside it, each a document of its own built into its own folder
(`build/fr/report.pdf`, `build/fr/html/`) under the original's symbol.

A file is a language version when its name is the original's with a language tag CLDR knows
between the stem and `.md`, and the original lies beside it: `report.old.md` or a lone
`notes.fr.md` is a source like any other. Imports nothing heavy (a no-op build reads it)."""
from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

NAME = re.compile(r"^(?P<stem>.+)\.(?P<tag>[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)\.md$")


@lru_cache(maxsize=64)
def is_language(tag: str) -> bool:
    """A tag CLDR has a locale for (fr, ar, zh-Hant), not a word such as 'old' or 'bak'."""
    from babel import Locale
    from babel.core import UnknownLocaleError
    try:
        Locale.parse(tag.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return False
    return True


def version_of(source: Path) -> tuple[str, Path] | None:
    """(tag, original) for a language version such as source/report.fr.md; None for any other
    source (an original among them)."""
    match = NAME.match(source.name)
    if not match or not is_language(match["tag"]):
        return None
    original = source.with_name(match["stem"] + ".md")
    return (match["tag"], original) if original.is_file() else None


def versions(original: Path) -> list[tuple[str, Path]]:
    """The language versions beside an original, by tag: [('ar', …/report.ar.md), ('fr', …)]."""
    found = []
    for path in sorted(original.parent.glob(f"{glob_escape(original.stem)}.*.md")):
        version = version_of(path)
        if version is not None and version[1].name == original.name and path.is_file():
            found.append((version[0], path))
    return found


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def out_dir(original_out: Path, tag: str) -> Path:
    """Where a version is built: a folder named by its tag inside the original's build folder."""
    return original_out / tag


def alternates(original: Path, original_language: str, original_out: Path, here: Path) -> list[dict]:
    """Every edition of the report in every language, as the web page links them: the language
    (hreflang), the page's address relative to `here` (the web folder of the page that links)
    and whether it is that page itself. The original first, then the versions by tag."""
    pages = [(original_language, original_out / "html")]
    pages += [(tag, out_dir(original_out, tag) / "html") for tag, _ in versions(original)]
    return [{"lang": tag, "href": Path(os.path.relpath(folder / "index.html", here)).as_posix(),
             "current": folder == here} for tag, folder in pages]


def merge_meta(original: dict, version: dict, tag: str) -> dict:
    """The version's settings: the original's, with what the version's front matter writes in
    its stead (a title in its language, its own date), and its language. The symbol is the
    original's whatever the version says (the check of the structure says so)."""
    written = set(version.get("_lines", {}))
    merged = {**original, **{key: value for key, value in version.items() if key in written}}
    merged["symbol"] = original.get("symbol", "")
    merged["_written-symbol"] = version.get("symbol", "") if "symbol" in written else ""
    merged["language"] = version["language"] if "language" in written else tag
    if "title" in written and "short-title" not in written:
        merged["short-title"] = version["title"]
    merged["_lines"] = dict(version.get("_lines", {}))
    merged["_original-language"] = original.get("language", "en")   # its page's hreflang
    return merged


def autonym(tag: str) -> str:
    """A language's name in itself, as a page that offers it writes it: Français, العربية, 中文."""
    from babel import Locale
    name = Locale.parse(tag.replace("-", "_")).get_display_name() or tag
    return name[:1].upper() + name[1:]


def web_alternates(project, meta: dict) -> list[dict]:
    """The web page's links to its other languages (none for a report in one language)."""
    original = project.original or project.source
    language = meta.get("_original-language") or meta.get("language", "en")
    original_out = project.out_dir.parent if project.original else project.out_dir
    links = alternates(original, language, original_out, project.out_dir / "html")
    return [{**link, "name": autonym(link["lang"])} for link in links] if len(links) > 1 else []


def with_versions(source: str) -> list[str]:
    """The source and its language versions, named as the source is ('source/report.fr.md')."""
    path = Path(source)
    return [source] + [str(path.with_name(version.name)) for _, version in versions(path)]
