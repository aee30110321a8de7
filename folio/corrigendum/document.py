"""The corrigendum as a small document of its own, written by folio's own writers.

It is made as Markdown (the corrected document's title, its symbol with /Corr.N, the
distribution, the date, the original language, "Corrigendum" and the numbered items) and built
like any source, into build/corrigendum/: PDF for the screen and the printer, DOCX, HTML. One
model, three editions: nothing here draws a page."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

from .. import model as m
from ..corrections.escape import escape_block, escape_inline
from ..files import write_atomic
from ..project import Project

RECORD = ".folio/corrigenda.json"


def number_for(out_dir: Path, old_text: str) -> int:
    """N of /Corr.N: the number recorded for corrections of this very old version (drafts of
    one corrigendum keep their number), else one more than the corrigenda recorded; a second
    corrigendum corrects the version the first one made."""
    records = _records(out_dir)
    same = [r["number"] for r in records if r.get("old") == _digest(old_text)]
    return same[0] if same else 1 + max((r["number"] for r in records), default=0)


def record(out_dir: Path, number: int, old_text: str, new_text: str, day: dt.date) -> None:
    old = _digest(old_text)
    records = [r for r in _records(out_dir) if r.get("old") != old and r.get("number") != number]
    records.append({"number": number, "old": old, "new": _digest(new_text), "date": day.isoformat()})
    write_atomic(out_dir / RECORD, json.dumps(sorted(records, key=lambda r: r["number"]), indent=1).encode())


def _records(out_dir: Path) -> list:
    try:
        data = json.loads((out_dir / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return []
    return [r for r in data if isinstance(r, dict) and isinstance(r.get("number"), int)] \
        if isinstance(data, list) else []


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def symbol(doc: m.Document, number: int) -> str:
    base = doc.meta.get("symbol", "")
    return f"{base}/Corr.{number}" if base else f"Corr.{number}"


def markdown(doc: m.Document, items: list, number: int, day: dt.date) -> str:
    """The corrigendum's source, in the corrected document's language."""
    words = doc.terms.get("corrigendum", {})
    own = doc.meta.get("meta") or {}
    distribution = str(own.get("distribution") or words.get("general", ""))
    # The language the document was written in, named in this version's: a French version of an
    # English report is "Original : anglais".
    written = doc.meta.get("_original-language") or doc.meta.get("language", "en")
    original = str(own.get("original-language") or language_name(written, doc.meta.get("language", "en")))
    front = {"title": doc.meta.get("title", ""), "symbol": symbol(doc, number), "date": day.isoformat(),
             "language": doc.meta.get("language", "en"), "paper": doc.meta.get("paper", "letter"),
             "form": "document", "paragraph-numbers": False, "print-pages-multiple": 0, "docx-page-numbers": "estimate",
             "pdf-layout": "single",
             # the items quote the corrected text: its abbreviations are defined there
             "ignore": ["abbr-undefined", "abbr-first-use", "abbr-unused"]}
    # The masthead as UN documents set it (print.css: .masthead): the symbol at the right, and
    # under it, stacked at the right, the distribution, the date and the original language;
    # then the corrected document's title and the word "Corrigendum", centred; then the items.
    lines = ["---", *(f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in front.items()), "---", "",
             "::::: {.masthead}", "", "::: {.masthead-symbol}",
             escape_inline(symbol(doc, number), at_line_start=True), ":::", "", "::: {.masthead-issue}",
             escape_inline(words.get("distribution", "").format(distribution=distribution)) + "\\",
             escape_inline(doc.locale.date(day)), "",
             escape_inline(words.get("original", "").format(language=original)), ":::", "", ":::::", "",
             f"# {escape_inline(doc.meta.get('title', ''))} {{.unnumbered #corrected-title}}", "",
             f"## {escape_inline(words.get('title', 'Corrigendum'))} {{.unnumbered #corrigendum}}", ""]
    for n, item in enumerate(items, 1):
        place = f"{escape_inline(item.place.text)} — " if item.place.text else ""     # "Not applicable to …"
        lines += [f"{n}. {place}{escape_inline(item.operation)}", ""]
        if item.text:
            lines += ["   " + escape_block(item.text), ""]
    return "\n".join(lines)


def language_name(tag: str, within: str | None = None) -> str:
    """A language's name in the language `within` (its own by default), as a masthead writes
    it: "English", "anglais" (French writes the names of languages in lower case)."""
    from babel import Locale
    try:
        locale, other = Locale.parse(tag.replace("-", "_")), Locale.parse((within or tag).replace("-", "_"))
    except (ValueError, TypeError, LookupError):
        return tag
    name = locale.get_language_name(other) or tag
    return name if within and within != tag else name[:1].upper() + name[1:]


def build(project: Project, text: str, reporter):
    """Build the corrigendum's source into build/corrigendum/ with the project's templates and
    styles; the build's result."""
    from ..build import build as run_build
    source = project.out_dir / ".folio" / "corrigendum" / "corrigendum.md"
    source.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(source, text.encode("utf-8"))
    target = Project(project.root, source, project.out_dir / "corrigendum", source)
    return run_build(target, ["html", "pdf", "docx"], reporter)
