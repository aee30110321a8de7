"""Is an output stale? Each output's stamp (build/.folio/stamps.json) keeps what the build that
made it read (its read log: every input file with the hash of the bytes read, every optional
input found absent), the hash of the bytes it wrote, and a digest of folio's code, its
libraries' versions and the settings from the environment. The output is current when all of
them still hold.

Builds of one project take a lock (build/.folio/lock), so two of them cannot interleave their
outputs and stamps. Imports nothing heavy: a build with nothing to do answers in a fraction of a
second."""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import time
from functools import lru_cache
from pathlib import Path

from . import facts, versions
from .diagnostics import Kind, Location, Reporter
from .editions import EDITIONS
from .files import write_atomic
from .inputs import ReadLog, digest, stat_key
from .project import Project

STAMPS = ".folio/stamps.json"
LOCK = ".folio/lock"
VERSION = 2
PACKAGE = Path(__file__).resolve().parent
PACKAGE_PREFIX = "folio:"           # a file of folio's own, named relative to the package


def output_paths(project: Project, name: str) -> list[Path]:
    """The main file of each output (what the summary line shows)."""
    return [EDITIONS[name].main_path(project.out_dir, project.name)]


def settings_digest(project: Project, name: str) -> str:
    """Everything besides files that decides an output: folio's code (by content and by path
    inside the package, so `folio` and `invoke` importing two copies of the same code agree),
    the libraries' versions, the source's name, SOURCE_DATE_EPOCH and the edition's own
    environment variables."""
    settings = {"code": _code()[0], "libraries": _versions(EDITIONS[name].libraries), "format": name,
                "source": project.source.name, "epoch": os.environ.get("SOURCE_DATE_EPOCH", "")}
    if project.overrides:       # only when set: an ordinary build's stamps stay as they were
        settings["overrides"] = [list(pair) for pair in project.overrides]
    chosen = {var: os.environ[var] for var in EDITIONS[name].environment if os.environ.get(var)}
    if chosen:                  # only when set, as overrides: a Word file of estimated page
        settings["environment"] = chosen    # numbers is not current when exact ones are asked for
    if name == "html":          # the page links to every language version: a new one makes it stale
        settings["versions"] = [tag for tag, _ in versions.versions(project.original or project.source)]
    return digest(json.dumps(settings, sort_keys=True).encode())


def read_stamps(project: Project, reporter: Reporter) -> dict:
    """{output: stamp}; a damaged record is discarded with a warning (the outputs are rebuilt)."""
    path = project.out_dir / STAMPS
    try:
        data = json.loads(path.read_bytes())
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, RecursionError) as exc:
        return _damaged(project, path, str(exc), reporter)
    if isinstance(data, dict) and data.get("version") != VERSION and "version" not in data:
        return {}                        # an older folio's record: rebuild, nothing to warn about
    if not (isinstance(data, dict) and isinstance(data.get("outputs"), dict)
            and all(_valid(stamp) for stamp in data["outputs"].values())):
        return _damaged(project, path, "not a record folio wrote", reporter)
    return data["outputs"]


def is_current(project: Project, name: str, settings: str, stamps: dict, hashes: dict | None = None) -> bool:
    """Same settings as the build that made the output, every input it read unchanged, and the
    output files still the bytes it wrote. hashes: a cache shared by the outputs of one build."""
    stamp = stamps.get(name)
    if not stamp or stamp["settings"] != settings:
        return False
    hashes = {} if hashes is None else hashes
    files = {**stamp["inputs"], **stamp["outputs"]}
    if any(_current_hash(absolute(project, shown), hashes) != recorded for shown, recorded in files.items()):
        return False
    return all(_fact(project, fact, hashes) == value for fact, value in stamp["facts"].items())


def record(project: Project, name: str, settings: str, log: ReadLog, paths: list[Path],
           reporter: Reporter) -> None:
    """Called after the output was renamed into place, with the hashes of the bytes this build
    wrote (not of whatever is on disk now: an overlapping build may have replaced it)."""
    stamps = read_stamps(project, Reporter())
    written = {_shown(project, p): log.written.get(str(p.resolve())) for p in paths}
    stamps[name] = {"settings": settings, "inputs": {_shown(project, Path(p)): h for p, h in log.read.items()},
                    "outputs": written, "facts": dict(log.facts)}
    data = json.dumps({"version": VERSION, "outputs": stamps}, indent=1, sort_keys=True).encode()
    try:
        write_atomic(project.out_dir / STAMPS, data)
    except OSError as exc:               # a full disk, a read-only or damaged build/.folio
        reporter.error(Location(project.shown(project.out_dir / STAMPS)),
                       f"cannot write the build record: {exc.strerror or exc}", Kind.FILE)


@contextlib.contextmanager
def project_lock(project: Project, progress=lambda text: None):
    """Held for a whole build: a second build of the same project waits for the first."""
    try:
        import fcntl
    except ImportError:                   # not on POSIX: no lock, as before
        yield
        return
    path = project.out_dir / LOCK
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            progress("waiting for another build of this project to finish")
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _valid(stamp) -> bool:
    return (isinstance(stamp, dict) and isinstance(stamp.get("settings"), str)
            and all(isinstance(stamp.get(k), dict) for k in ("inputs", "outputs", "facts")))


def _damaged(project: Project, path: Path, why: str, reporter: Reporter) -> dict:
    reporter.warning(Location(project.shown(path)), f"the build record is damaged ({why}); it is"
                     " discarded and the outputs are rebuilt", Kind.FILE)
    return {}


def _fact(project: Project, name: str, cache: dict):
    """A fact's value now, computed once per build (the commit time is a git call)."""
    if ("fact", name) not in cache:
        cache[("fact", name)] = facts.current(project, name)
    return cache[("fact", name)]


def _current_hash(path: Path, hashes: dict) -> str | None:
    if path not in hashes:
        try:
            hashes[path] = digest(path.read_bytes()) if path.is_file() else None
        except OSError:
            hashes[path] = "unreadable"
    return hashes[path]


def _shown(project: Project, path: Path) -> str:
    """A path as the stamp keeps it: relative to the project, to folio's package, or absolute."""
    resolved = path.resolve()
    for base, prefix in ((project.root, ""), (PACKAGE, PACKAGE_PREFIX)):
        try:
            return prefix + resolved.relative_to(base).as_posix()
        except ValueError:
            continue
    return str(resolved)


def absolute(project: Project, shown: str) -> Path:
    if shown.startswith(PACKAGE_PREFIX):
        return PACKAGE / shown[len(PACKAGE_PREFIX):]
    return project.root / shown


def environment() -> tuple[int, dict]:
    """What the settings digest rests on besides the source's name and the environment: each
    file and folder of folio's code and each folder of sys.path (where a library's install or
    upgrade shows), as stat_key() saw them just before they were read, and the time (ns) before
    the first of those looks. folio.noop keeps them to answer a build with nothing to do
    without reading them."""
    return min(_code()[2], _library_folders()[0]), {**_code()[1], **_library_folders()[1]}


@lru_cache(maxsize=1)
def _code() -> tuple[str, dict, int]:
    """(digest, stat keys) of folio's code and its own data (the locales' words): not templates
    or styles, which builds read through their logs. Each file's stat is taken before its read,
    so that an edit during the build shows as a change to folio.noop."""
    hasher, seen, started = hashlib.sha256(), {}, time.time_ns()
    for path in sorted([*PACKAGE.rglob("*.py"), *PACKAGE.rglob("*.yaml")]):
        if "__pycache__" not in path.parts and "defaults" not in path.relative_to(PACKAGE).parts:
            seen[str(path)] = stat_key(path)
            hasher.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
    for folder, subfolders, _ in os.walk(PACKAGE):      # a new module shows in its folder's times
        subfolders[:] = [f for f in subfolders if f not in ("__pycache__", "defaults")]
        seen[folder] = stat_key(folder)
    return hasher.hexdigest(), seen, started


@lru_cache(maxsize=1)
def _library_folders() -> tuple[int, dict]:
    """Installing, removing or upgrading a library adds or removes entries in its sys.path
    folder, which changes the folder's times: taken before the versions are looked up."""
    started = time.time_ns()
    return started, {folder: stat_key(folder) for folder in sys.path if folder and os.path.isdir(folder)}


@lru_cache(maxsize=8)
def _versions(names: tuple) -> dict:
    from importlib import metadata
    _library_folders()
    found = {}
    for name in names:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = ""
    return found
