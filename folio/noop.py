"""A build with nothing to do, answered before click, the model or any writer is imported.

`folio build SOURCE` (with -f, --strict, --ignore) and `invoke build` ask answer() first. After
a build that left every output it was asked for current, the command line calls remember(),
which writes build/.folio/noop.json: for that exact command (its words, folder, FOLIO_* and
SOURCE_DATE_EPOCH, interpreter and sys.path), every file the outputs' stamps rest on (what each
build read and wrote, folio's code, the library folders, the stamps and the web page's record)
with its size, times and inode and its hash, the facts (the commit time), and the summary lines
printed. The next identical command stats those files: when each is as recorded it prints the
lines and is done; anything else, and the ordinary build decides by content, as before.

A file whose time is too near the moment it was looked at (a second write within the same
clock tick would not show in its time) is compared by its hash instead, as git treats a racily
clean index; having done that, answer() records the file anew so that the next one need not."""
from __future__ import annotations

import hashlib
import json
import os
import sys
import time

RECORD = ".folio/noop.json"
VERSION = 1
KEEP = 8                    # commands remembered per build folder
RACY = 3_000_000_000        # ns: a file changed this close to a look may have changed again unseen
VALUED = ("-f", "--format", "--ignore")    # options with a value that leave the outputs' place alone

_asked: dict | None = None  # the command answer() could not answer: remember() records it


def answer(argv: list[str]) -> bool:
    """Print the summary and return True if the command is a build whose outputs are as a
    recorded run of the same command left them; else False (the caller builds)."""
    global _asked
    _asked = None
    argv = [word for word in argv if word]
    source = _source(argv)
    if source is None:
        return False
    try:
        from .project import Project
        project = Project.for_source(source)
        key = _key(argv)
        entry = _read(project).get(key)
        if not entry or not _holds(project, key, entry):
            _asked = {"key": key, "where": _where(project)}     # for the build this command runs
            return False
    except Exception:  # noqa: BLE001 - a shortcut only: whatever goes wrong, the build decides
        return False
    sys.stdout.write("".join(line + "\n" for line in entry["lines"]))
    sys.stdout.flush()
    return True


def remember(project, formats: list[str], lines) -> None:
    """Record the command answer() was asked, after a build that left every output current.
    lines: a function giving the summary lines of the outputs, up to date."""
    global _asked
    asked, _asked = _asked, None
    if asked is None or asked["where"] != _where(project):
        return
    from . import stamps
    from .diagnostics import Reporter
    from .layout.pagemap import PAGEMAP
    from .writers import edition_links
    started, environment = stamps.environment()
    looked = time.time_ns()
    recorded = stamps.read_stamps(project, Reporter())
    files, facts = {}, {}
    for name in formats:
        stamp = recorded.get(name)
        if not stamp or stamp["settings"] != stamps.settings_digest(project, name):
            return
        for shown, digest in {**stamp["inputs"], **stamp["outputs"]}.items():
            files[str(stamps.absolute(project, shown))] = digest
        facts.update(stamp["facts"])
    if "html" in formats and edition_links.changed(project):
        return                                  # the next build rewrites the page
    extra = [project.out_dir / stamps.STAMPS, project.out_dir / PAGEMAP]     # the summary counts pages
    extra += edition_links.looked_at(project) if "html" in formats else []
    seen = {path: [key, None] for path, key in environment.items()}
    for path in [*files, *map(str, extra)]:
        look = _look(path)
        if look is None or (path in files and look[1] != files[path]):
            return                              # changed since the build read or wrote it
        seen[path] = look
    entry = {"time": min(started, looked), "where": asked["where"], "versions": _versions(project),
             "facts": facts, "files": seen, "lines": list(lines())}
    _write(project, asked["key"], entry)


def _source(argv: list[str]) -> str | None:
    """SOURCE of `build SOURCE` given only options that change neither where nor whether the
    outputs are built; None for any other command (--out, --root, --force, --help …)."""
    if not argv or argv[0] != "build":
        return None
    source, words = None, iter(argv[1:])
    for word in words:
        if word in VALUED:
            if next(words, None) is None:
                return None
        elif word == "--strict" or word.startswith(tuple(f"{name}=" for name in VALUED[1:])):
            continue
        elif word.startswith("-") or source is not None:
            return None
        else:
            source = word
    return source


def _key(argv: list[str]) -> str:
    environ = {k: v for k, v in os.environ.items() if k.startswith("FOLIO_") or k == "SOURCE_DATE_EPOCH"}
    command = [VERSION, argv, os.getcwd(), environ, sys.executable, sys.version, sys.path]
    return hashlib.sha256(json.dumps(command).encode("utf-8", "surrogateescape")).hexdigest()


def _where(project) -> list[str]:
    return [str(project.root), str(project.source), str(project.out_dir), str(project.original or "")]


def _versions(project) -> list:
    """The names that may be language versions beside the original (the web page links them)."""
    from .versions import glob_escape
    original = project.original or project.source
    return sorted([p.name, p.is_file()] for p in original.parent.glob(f"{glob_escape(original.stem)}.*.md"))


def _look(path: str) -> list | None:
    """[stat key, hash] of a file now; [None, None] if it is not a file; None if it changed
    while being read."""
    from .inputs import stat_key
    if not os.path.isfile(path):
        return [None, None]
    before = stat_key(path)
    try:
        with open(path, "rb") as handle:
            digest = hashlib.sha256(handle.read()).hexdigest()
    except OSError:
        return None
    return [before, digest] if stat_key(path) == before else None


def _holds(project, key: str, entry: dict) -> bool:
    """Every file as recorded (by its stat, or by its hash where the stat cannot vouch), the same
    language versions and facts. Records the files it had to hash anew."""
    if entry["where"] != _where(project) or entry["versions"] != _versions(project):
        return False
    from .facts import current
    from .inputs import stat_key
    if any(current(project, name) != value for name, value in entry["facts"].items()):
        return False
    now, racy, hashed = time.time_ns(), entry["time"] - RACY, {}
    for path, (recorded, digest) in entry["files"].items():
        if recorded is None:
            if os.path.isfile(path):
                return False
            continue
        if stat_key(path) == recorded and recorded[1] < racy and recorded[3] < racy:
            continue
        if digest is None:                     # a folder or a file of folio's code: its stat only
            return False
        look = _look(path)
        if look is None or look[1] != digest:
            return False
        hashed[path] = look
    if hashed:
        _write(project, key, {**entry, "time": now, "files": {**entry["files"], **hashed}})
    return True


def _read(project) -> dict:
    try:
        data = json.loads((project.out_dir / RECORD).read_bytes())
    except (OSError, ValueError, RecursionError):
        return {}
    entries = data.get("entries") if isinstance(data, dict) and data.get("version") == VERSION else None
    return {k: v for k, v in entries.items() if isinstance(v, dict)} if isinstance(entries, dict) else {}


def _write(project, key: str, entry: dict) -> None:
    from .files import write_atomic
    entries = {k: v for k, v in _read(project).items() if k != key}
    entries = dict(sorted(entries.items(), key=lambda item: item[1].get("time", 0))[-(KEEP - 1):])
    entries[key] = entry
    try:
        write_atomic(project.out_dir / RECORD, json.dumps({"version": VERSION, "entries": entries}).encode())
    except OSError:
        pass                                    # a shortcut only: the next build decides in full
