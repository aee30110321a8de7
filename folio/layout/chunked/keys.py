"""What a layout job depends on, and the files the route reads and writes beside the cache:
cache keys that leave the project's path and the hash seed out, digests of the stylesheets,
fonts and images a chunk uses (read as the workers' fetcher would serve them, and through the
build's read log: the workers' own reads are not in it), hints."""
from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from ...files import write_atomic
from ...inputs import read_input
from ...project import Project
from ..weasy.fetcher import resolve
from . import cache as caching

URL = re.compile(r"url\(\s*['\"]?([^'\")\s]+)")
# What changes how WeasyPrint lays a chunk out and what the workers read of its pages: this
# package, what folio asks of WeasyPrint (layout/weasy), what the hooks read of the pages
# (layout/lines.py, pagemap.py), and the hooks' own modules (salt's `hooks`).
LAYOUT = Path(__file__).parent.parent
FOLIO = LAYOUT.parent


def narrow(hook, ids: frozenset):
    """A hook whose set arguments (ids, e.g. the document's block ids) are narrowed to the ids
    the chunk holds: a correction elsewhere (a new id) does not change this chunk's job."""
    if hook is None:
        return None
    path, args = hook
    return path, tuple(frozenset(a & ids) if isinstance(a, set | frozenset) else a for a in args)


def canonical(value):
    """A value whose repr does not depend on the hash seed (sets sorted), for cache keys."""
    if isinstance(value, set | frozenset):
        return sorted(canonical(v) for v in value)
    if isinstance(value, list | tuple):
        return [canonical(v) for v in value]
    if isinstance(value, dict):
        return sorted((canonical(k), canonical(v)) for k, v in value.items())
    return value


def content_box(facts) -> tuple:
    top, right, bottom, left = facts.margins
    return round(facts.width - left - right, 2), round(facts.height - top - bottom, 2), round(top, 2)


def salt(laid, project: Project, hooks=()) -> str:
    """What a chunk's PDF and its facts depend on besides its HTML: the stylesheets' files and
    the files they point to (fonts), and the code and libraries that lay out, read and write it
    (`hooks`: the "module:function" the workers call; a cached chunk's facts came from them)."""
    parts = [_code(tuple(sorted(set(hooks))))]
    for sheet in laid.sheets:
        parts.append(caching.key(sheet.text))
        for url in sorted(set(URL.findall(sheet.text))):
            parts.append(f"{url}={_url_digest(sheet.url, url, project)}")
    return caching.key(*parts)


@lru_cache(maxsize=8)
def _code(hooks: tuple) -> str:
    """The digest of the code and libraries salt() names, once a process: the code a process
    runs is the code it loaded (the watcher's too)."""
    modules = {_module_file(hook.partition(":")[0]) for hook in hooks}
    parts = [metadata.version("weasyprint"), metadata.version("pydyf")]
    for path in sorted(LAYOUT.rglob("*.py")) + sorted(modules):
        parts.append(caching.key(path.read_bytes()))
    return caching.key(*parts)


def _module_file(name: str) -> Path:
    """The file of one of folio's modules, found without importing it (nor its package)."""
    path = FOLIO.parent.joinpath(*name.split("."))
    return path / "__init__.py" if path.is_dir() else path.with_suffix(".py")


def _url_digest(base: str, url: str, project: Project) -> str:
    from urllib.parse import urljoin
    path = resolve(urljoin(base, url), project)
    try:
        return _file_key(path, _identity(path)) if path is not None else "refused"
    except OSError:
        return "missing"


def _identity(path: Path) -> tuple:
    """What changes when a file's bytes do (a rewrite gives a new time in nanoseconds, a
    new inode when written by rename, or another size)."""
    found = path.stat()
    return found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns


@lru_cache(maxsize=64)
def _file_key(path: Path, identity: tuple) -> str:
    """A file's digest, once per process and version of it: every route of a build (each
    revision, each round of cuts) salts its keys with the same fonts, several megabytes."""
    return caching.key(read_input(path))


def file_digest(url: str, project: Project) -> str:
    return _url_digest(project.root.as_uri() + "/", url, project)


def reader(project: Project):
    """Stylesheets the chunker reads: what the workers' fetcher would serve (the project's
    files and folio's defaults); it refuses and reports the others."""
    def read(url: str) -> str:
        path = resolve(url, project)
        return read_input(path).decode("utf-8", errors="replace") if path is not None else ""
    return read


def load(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError, RecursionError):
        return {}


def save(path: Path, data: dict) -> None:
    try:
        write_atomic(path, json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8"))
    except OSError:
        pass
