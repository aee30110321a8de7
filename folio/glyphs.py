"""Glyph coverage: a character that none of the PDF's fonts has prints as an empty box, so it
is a located warning (kind `glyph`), on the source line where the character is.

The fonts are those in styles/fonts/ (the project's, else folio's defaults): the PDF embeds
nothing else that a build on another machine would also have. fontTools (WeasyPrint's own
dependency, pinned in pyproject.toml) reads their character maps."""
from __future__ import annotations

import unicodedata
from array import array
from functools import lru_cache
from pathlib import Path

from . import model as m
from . import user_cache
from .diagnostics import Kind, Location, Reporter
from .model.text import plain_text
from .model.walk import inline_lists, iter_blocks
from .project import Project

FONT_FILES = (".ttf", ".otf")
# Characters no font needs to draw: controls, format characters (joiners, bidi marks, soft
# hyphen), spaces and separators, surrogates and private use.
SILENT = {"Cc", "Cf", "Zs", "Zl", "Zp", "Cs", "Co", "Cn"}
MOST = 20            # messages before the rest are summed up in one
SHOWN = 8            # characters named in one message
# The first word of a character's Unicode name → the script a message names.
SCRIPTS = {w: w.title() for w in (
    "ARABIC ARMENIAN BENGALI CHEROKEE CYRILLIC DEVANAGARI ETHIOPIC GEORGIAN GREEK GUJARATI GURMUKHI"
    " HEBREW HIRAGANA KANNADA KATAKANA KHMER LAO MALAYALAM MONGOLIAN MYANMAR ORIYA SINHALA SYRIAC"
    " TAMIL TELUGU THAANA THAI TIBETAN").split()} | {"CJK": "Chinese, Japanese, Korean",
                                                    "HANGUL": "Korean"}


def fonts(project: Project) -> list[Path]:
    return [p for p in project.resources("styles/fonts/*") if p.suffix.lower() in FONT_FILES]


@lru_cache(maxsize=64)
def _characters(path: str, mtime: float) -> frozenset[int]:
    """The characters a font file has: read once per process, and kept in the user's cache
    for the next (folio.user_cache): reading a dozen fonts' maps with fontTools was 0.04 s of
    every build, a one-word correction's included."""
    try:
        key = user_cache.identity(path)
    except OSError:
        return frozenset()
    body = user_cache.read("cmaps", key, CMAP_FORMAT)
    if body is not None and len(body) % (2 * RUN.itemsize) == 0:
        bounds = array(RUN.typecode, body)
        return frozenset(c for a, b in zip(bounds[::2], bounds[1::2], strict=True) for c in range(a, b + 1))
    chars = _read_cmap(path)
    user_cache.keep("cmaps", key, CMAP_FORMAT,
                    array(RUN.typecode, [bound for run in _runs(sorted(chars)) for bound in run]).tobytes())
    return chars


CMAP_FORMAT = b"FOLIO-CMAP 1\n"    # then the runs' (first, last) code points, as RUN's items
RUN = array("I")


def _read_cmap(path: str) -> frozenset[int]:
    from fontTools.ttLib import TTFont, TTLibError

    try:
        return frozenset(TTFont(path, lazy=True, fontNumber=0).getBestCmap() or {})
    except (TTLibError, OSError, AssertionError, KeyError):
        return frozenset()


def _runs(codes: list[int]) -> list[tuple[int, int]]:
    """Sorted code points as (first, last) runs: a font's map is a few hundred runs."""
    runs: list[list[int]] = []
    for code in codes:
        if runs and code == runs[-1][1] + 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    return [tuple(run) for run in runs]


def covered(project: Project) -> frozenset[int]:
    found: frozenset[int] = frozenset()
    for path in fonts(project):
        found |= _characters(str(path), path.stat().st_mtime)
    return found


def check_glyphs(doc: m.Document, project: Project, reporter: Reporter, font: str = "error") -> None:
    """One warning per source line that holds characters no font has (at most MOST, then a sum);
    but a language whose print font is a system package (Chinese: fonts-noto-cjk) and is not
    installed is one message at its `language:` line, not a warning on every line. font: how
    that message is said: "error" (folio check), "warning" (a build without the PDF) or ""
    (the PDF writer says it, failing the PDF alone)."""
    have = covered(project)
    if getattr(doc.locale, "font_package", ""):
        have |= system_covered(doc.locale.tag)
    lines = _source_lines(project.source)
    missing: dict[int, list[str]] = {}
    problem = language_font_problem(doc, project)
    own = problem is not None
    if problem and font:
        getattr(reporter, font)(*problem, Kind.GLYPH)
    for line, text in _texts(doc):
        for char in dict.fromkeys(text):
            if own and _wide(char):
                continue                    # said once, above
            if ord(char) not in have and unicodedata.category(char) not in SILENT:
                where = _line_of(char, line, lines)
                if char not in missing.setdefault(where, []):
                    missing[where].append(char)
    for index, (line, chars) in enumerate(sorted(missing.items())):
        if index == MOST:
            rest = {c for cs in list(missing.values())[MOST:] for c in cs}
            reporter.warning(Location(doc.source, line), f"{len(missing) - MOST} more line(s) hold"
                             f" {len(rest)} character(s) no font of the PDF has", Kind.GLYPH)
            break
        reporter.warning(Location(doc.source, line), _message(chars), Kind.GLYPH)


def language_font_problem(doc: m.Document, project: Project) -> tuple[Location, str] | None:
    """(where, what) if the document's language needs a font from a system package that is
    neither installed nor in styles/fonts/; None if its characters have a font."""
    package = getattr(doc.locale, "font_package", "")
    if not package:
        return None
    have = covered(project) | system_covered(doc.locale.tag)
    if not any(_wide(c) and ord(c) not in have for _, text in _texts(doc) for c in text):
        return None
    return (Location(doc.source, doc.meta.get("_lines", {}).get("language", 1)),
            f"no font for the document's language ({doc.locale.tag}) is installed: its characters would print"
            f" as empty boxes in the PDF; install the package {package} (apt-get install {package}) or put a"
            " font that has them in styles/fonts/")


def _wide(char: str) -> bool:
    """A character of the East Asian scripts, as the CJK fonts draw them (Han, kana, Hangul,
    their full-width punctuation)."""
    return unicodedata.east_asian_width(char) in ("W", "F")


@lru_cache(maxsize=8)
def system_covered(language: str) -> frozenset[int]:
    """The characters of the first font fontconfig has for a language (the CJK fonts of
    fonts-noto-cjk: WeasyPrint finds them through fontconfig too); none if it has none."""
    import shutil
    import subprocess
    program = shutil.which("fc-list")
    if not program:
        return frozenset()
    try:
        found = subprocess.run([program, f":lang={language}", "file"], capture_output=True, text=True,
                               timeout=20).stdout.split("\n")
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    paths = sorted(line.split(":")[0] for line in found if line.strip())
    return _characters(paths[0], 0.0) if paths else frozenset()


def _message(chars: list[str]) -> str:
    named = ", ".join(f"'{c}' U+{ord(c):04X}" for c in chars[:SHOWN])
    more = f" and {len(chars) - SHOWN} more" if len(chars) > SHOWN else ""
    scripts = sorted({SCRIPTS[w] for w in (unicodedata.name(c, "?").split(" ")[0] for c in chars)
                      if w in SCRIPTS})
    named += more + (f" ({', '.join(scripts)})" if scripts else "")
    return (f"no font of the PDF has {named}: they print as empty boxes; add a font that has"
            " them to styles/fonts/ and name it in styles/print.css")


def _texts(doc: m.Document):
    """(line, text) of everything the editions print from the source."""
    for value in doc.meta.values():
        if isinstance(value, str):
            yield 1, value
        elif isinstance(value, dict):
            yield from ((1, str(v)) for v in value.values())
    notes = [b for note in doc.footnotes.values() for b in note.blocks]
    for block in iter_blocks(doc.blocks + notes):
        line = getattr(getattr(block, "loc", None), "line", 0)
        for nodes in inline_lists(block):
            yield line, plain_text(nodes) + "".join(_hidden(nodes))
        if isinstance(block, m.CodeBlock):
            yield line, block.text
    for abbr in doc.abbreviations.values():
        yield abbr.loc.line, abbr.abbr + abbr.expansion


def _hidden(nodes):
    """Text plain_text leaves out but the editions print: abbreviation expansions, image text."""
    for node in nodes:
        if isinstance(node, m.Abbr):
            yield node.expansion
        elif isinstance(node, m.Image):
            yield node.alt
        elif hasattr(node, "children"):
            yield from _hidden(node.children)


def _source_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []


def _line_of(char: str, start: int, lines: list[str]) -> int:
    """The first line from the block's own on that holds the character (the block's if none)."""
    for number in range(max(start, 1), min(len(lines), max(start, 1) + 2000) + 1):
        if char in lines[number - 1]:
            return number
    return start
