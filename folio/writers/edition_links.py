"""The other editions the web page links to: each file's size and page count, read from the
files themselves in build/.

The HTML is written first (it is the quickest edition to look at), so it may show the PDF and
DOCX of the previous build; once they are rewritten the build calls `changed` and writes the
HTML again if what it shows is no longer true. A build that finds them changed otherwise (a
PDF built alone, a file deleted) counts the HTML as stale. What the page shows is kept in
build/.folio/edition-links.json with a cache of page counts keyed by each file's size and time, so
a build with nothing to do never opens a PDF.

The web edition is one folder a web server can be given whole: the page links to copies of the
files in build/html/downloads/ (hard links where the file system allows, so nothing is stored
twice), never to ../report.pdf, which is not there once build/html/ is published alone."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path
from urllib.parse import quote

from ..files import write_atomic
from ..project import Project

RECORD = ".folio/edition-links.json"
DOWNLOADS = "downloads"      # inside build/html/


def _pdf_pages(path: Path) -> int:
    import pikepdf  # only when a PDF is new since the last look: about 0.08 s

    with pikepdf.open(path) as pdf:
        return len(pdf.pages)


def _docx_pages(path: Path) -> int | None:
    """A word processor paginates a DOCX itself: the count is the writer's estimate, recorded
    beside the file it was made for (record_pages), and only for that file."""
    record = _read_json(_sidecar(path))
    if record.get("sha256") != hashlib.sha256(path.read_bytes()).hexdigest():
        return None
    pages = record.get("pages")
    return pages if isinstance(pages, int) and pages > 0 else None


def record_pages(project: Project, fmt: str, data: bytes, pages: int) -> None:
    """Called by a writer whose file cannot state its own page count (the DOCX writer), after
    writing the file: until then the file has no count (and the cache key sees the record)."""
    record = {"sha256": hashlib.sha256(data).hexdigest(), "pages": pages}
    write_atomic(_sidecar(project.out_dir / f"{project.name}.{fmt}"), json.dumps(record).encode("utf-8"))


def _sidecar(path: Path) -> Path:
    return path.parent / ".folio" / f"{path.suffix[1:]}-pages.json"


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


# format → how its pages are counted, and whether that count is the file's own or an estimate
# (a word processor paginates a DOCX itself, so its count can only be approximate).
FORMATS = {
    "pdf": (_pdf_pages, False),
    "docx": (_docx_pages, True),
}


def current(project: Project) -> list[dict]:
    """The editions in build/ now: format, href (relative to the HTML), bytes, pages."""
    record = _read(project)
    cache, found = record.get("cache", {}), []
    for fmt, (count, approximate) in FORMATS.items():
        path = project.out_dir / f"{project.name}.{fmt}"
        if not path.is_file():
            continue
        stat = path.stat()
        key = f"{fmt}:{stat.st_size}:{stat.st_mtime_ns}:{_mtime(_sidecar(path))}"
        if key not in cache:
            cache = {k: v for k, v in cache.items() if not k.startswith(fmt + ":")}
            cache[key] = _count(count, path)
        found.append({"format": fmt, "href": f"{DOWNLOADS}/{quote(path.name)}", "bytes": stat.st_size,
                      "pages": cache[key], "approximate": approximate})
    if cache != record.get("cache"):
        _write(project, {**record, "cache": cache})
    return found


def publish(project: Project) -> None:
    """build/html/downloads/ holds exactly the editions now in build/: each the same file (a hard
    link) or, where links are refused, a copy; a download whose edition is gone is removed."""
    folder = project.out_dir / "html" / DOWNLOADS
    wanted = {f"{project.name}.{fmt}" for fmt in FORMATS if (project.out_dir / f"{project.name}.{fmt}").is_file()}
    for name in sorted(wanted):
        if not _published(project, name):
            _link(project.out_dir / name, folder / name)
    if folder.is_dir():
        for old in folder.iterdir():
            if old.name not in wanted and old.is_file():
                old.unlink(missing_ok=True)


def _published(project: Project, name: str) -> bool:
    try:
        return os.path.samefile(project.out_dir / name, project.out_dir / "html" / DOWNLOADS / name) or \
            (project.out_dir / name).read_bytes() == (project.out_dir / "html" / DOWNLOADS / name).read_bytes()
    except OSError:
        return False


def _link(source: Path, target: Path) -> None:
    """Replace target by a hard link to source (or a copy), atomically: a reader downloading
    it meanwhile gets the old file or the new one, never half of one."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.unlink(missing_ok=True)
    try:
        os.link(source, temporary)
    except OSError:
        shutil.copy2(source, temporary)
    os.replace(temporary, target)


def shown(project: Project, editions: list[dict]) -> None:
    """Remember what the page now in build/html shows."""
    _write(project, {**_read(project), "shown": editions})


def changed(project: Project, ignore=()) -> bool:
    """True if the web page in build/ shows other editions than those now beside it
    (editions of the formats in `ignore` left aside)."""
    if not (project.out_dir / "html" / "index.html").is_file():
        return False
    shown = [e for e in _read(project).get("shown") or [] if e.get("format") not in ignore]
    now = [e for e in current(project) if e["format"] not in ignore]
    return shown != now or not all(_published(project, Path(e["href"]).name) for e in now)


def looked_at(project: Project) -> list[Path]:
    """Every file changed() looks at, for the record of a build with nothing to do (folio.noop)."""
    files = [project.out_dir / "html" / "index.html", project.out_dir / RECORD]
    for fmt in FORMATS:
        path = project.out_dir / f"{project.name}.{fmt}"
        files += [path, _sidecar(path), project.out_dir / "html" / DOWNLOADS / path.name]
    return files


def _count(count, path: Path) -> int | None:
    try:
        return count(path)
    except Exception:  # a damaged or foreign file (any library's error): show its size only
        return None


def _read(project: Project) -> dict:
    return _read_json(project.out_dir / RECORD)


def _read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


def _write(project: Project, data: dict) -> None:
    write_atomic(project.out_dir / RECORD, json.dumps(data, indent=1, sort_keys=True).encode("utf-8"))
