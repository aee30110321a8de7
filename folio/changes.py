"""What changed between two builds, in words a proof-reader can use.

Each build leaves small fingerprints in build/.folio/: the page map holds one hash per PDF
page (with its page label), and chapters.json one per chapter of the model. Comparing two
sets says which pages and chapters to read again."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from . import model as m
from .diagnostics import Kind, Location, Reporter
from .files import write_atomic
from .i18n import numerals
from .layout import pagemap
from .model.text import plain_text
from .model.walk import inline_lists, iter_blocks

CHAPTERS = ".folio/chapters.json"


def fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def chapter_prints(doc: m.Document) -> list[list[str]]:
    """[title, hash of its text] for every part, in order."""
    prints = []
    for part in doc.parts:
        title = ""
        if part.heading:
            number = f"{numerals.full(part.heading.number)}. " if part.heading.number else ""
            title = number + plain_text(part.heading.children)
        text = " ".join(plain_text(nodes) for block in iter_blocks(part.blocks)
                        for nodes in inline_lists(block))
        prints.append([title, fingerprint(text)])
    return prints


def page_prints(folder: Path, reporter: Reporter | None = None):
    """[label, hash] of every page of the PDF built in folder, or None. A damaged page map is
    discarded, with a warning if a reporter is given: never a traceback."""
    data = pagemap.load(folder)
    if data is None:
        if (folder / pagemap.PAGEMAP).exists():
            _damaged(folder / pagemap.PAGEMAP, "not a page map folio wrote", reporter)
        return None
    return [[str(p.get("label", "")), str(p.get("text", ""))] for p in data["pages"] if isinstance(p, dict)]


def load(folder: Path, name: str, reporter: Reporter | None = None):
    """The fingerprints a build left, or None. Damaged ones (not JSON, not [[text, hash], …])
    are discarded, with a warning if a reporter is given: never a traceback."""
    path = folder / name
    try:
        data = json.loads(path.read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, ValueError, RecursionError) as exc:
        return _damaged(path, str(exc), reporter)
    if not (isinstance(data, list) and all(isinstance(pair, list) and len(pair) == 2
                                           and all(isinstance(x, str) for x in pair) for pair in data)):
        return _damaged(path, "not a record folio wrote", reporter)
    return data


def _damaged(path: Path, why: str, reporter: Reporter | None) -> None:
    if reporter is not None:
        reporter.warning(Location(str(path)), f"the build record is damaged ({why}); it is discarded",
                         Kind.FILE)
    return None


def save(folder: Path, name: str, data) -> None:
    write_atomic(folder / name, json.dumps(data, ensure_ascii=False).encode("utf-8"))


def changed_pages(old, new) -> list[str]:
    """Labels of new pages whose text differs from the page at the same place before."""
    if old is None or new is None:
        return []
    out = [label for i, (label, digest) in enumerate(new)
           if i >= len(old) or old[i][1] != digest]
    return out


def changed_chapters(old, new) -> list[str]:
    if old is None or new is None:
        return []
    # Titles repeat (every lost part is "[…]"), so a part is known by its title and by
    # which of the parts of that title it is.
    before = {key: digest for key, digest in _counted(old)}
    return [key[0] or "(untitled)" for key, digest in _counted(new) if before.get(key) != digest]


def _counted(prints):
    seen: dict[str, int] = {}
    for title, digest in prints:
        seen[title] = seen.get(title, 0) + 1
        yield (title, seen[title]), digest


def is_build(folder: Path) -> bool:
    """A folder folio built into: it holds the fingerprints of at least one output."""
    return any((folder / name).is_file() for name in (pagemap.PAGEMAP, CHAPTERS))


_READ = object()


def describe(old_dir: Path, new_dir: Path, old_pages=_READ, old_chapters=_READ,
             formats=("pdf", "html", "docx"), reporter: Reporter | None = None) -> list[str]:
    """Lines for the reader about the given formats; the old fingerprints may be given (None:
    there were none) when they were read before a build overwrote them."""
    old_pages = page_prints(old_dir, reporter) if old_pages is _READ else old_pages
    old_chapters = load(old_dir, CHAPTERS, reporter) if old_chapters is _READ else old_chapters
    new_pages, new_chapters = page_prints(new_dir, reporter), load(new_dir, CHAPTERS, reporter)
    lines = []
    if "pdf" in formats and old_pages is not None and new_pages is not None:
        pages = changed_pages(old_pages, new_pages)
        removed = len(old_pages) - len(new_pages)
        what = ", ".join(pages) if pages else "none"
        lines.append(f"PDF pages to read again: {what}" + (f" ({removed} page(s) fewer)" if removed > 0 else ""))
    editions = [f.upper() for f in formats if f != "pdf"]
    if editions and old_chapters is not None and new_chapters is not None:
        chapters = changed_chapters(old_chapters, new_chapters)
        lines.append(f"chapters changed ({', '.join(editions)}): " + ("; ".join(chapters) if chapters else "none"))
    return lines
