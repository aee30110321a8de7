"""`folio new DIR`: a minimal report project; `folio defaults`: the files a project may override."""
from __future__ import annotations

import errno
import shutil
from pathlib import Path

from .diagnostics import FolioError, Kind, Location, Reporter
from .project import DEFAULTS, OVERRIDABLE

SKELETON = Path(__file__).resolve().parent / "skeleton"
# skeleton file → where it goes in the new project
LAYOUT = {"report.md": "source/report.md", "tasks.py": "tasks.py", "README.md": "README.md",
          ".gitignore": ".gitignore"}
FOLDERS = ("source", "templates", "styles", "images")


def new_project(folder: Path, reporter: Reporter) -> list[Path]:
    """Write the skeleton into folder (which must not exist, or be empty); the files written."""
    try:
        if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
            what = "the folder exists and is not empty" if folder.is_dir() else "a file is there, not a folder"
            reporter.error(Location(str(folder)), f"{what}; folio new writes only into a new or empty folder",
                           Kind.FILE)
            raise FolioError(str(folder))
        written = []
        for name in FOLDERS:
            (folder / name).mkdir(parents=True, exist_ok=True)
        for name, target in LAYOUT.items():
            shutil.copyfile(SKELETON / name, folder / target)
            written.append(folder / target)
    except OSError as exc:     # under a regular file, a name too long, no permission
        reporter.error(Location(str(folder)), f"cannot write the new project: {_why(exc)}", Kind.FILE)
        raise FolioError(str(folder)) from None
    return written


def _why(exc: OSError) -> str:
    if exc.errno == errno.ENOTDIR:
        return "a file stands where a folder of its path should be"
    return exc.strerror or str(exc)


def default_names() -> list[str]:
    """Every template, style and font a project may override, as 'styles/print.css'."""
    return sorted(shipped(DEFAULTS))


def copy_default(name: str, root: Path, reporter: Reporter) -> Path:
    """Copy folio's default NAME into the project, to change it there; never over a file."""
    files = shipped(DEFAULTS)
    target = root / name
    if name not in files:
        reporter.error(Location(name), f"folio has no default '{name}' (`folio defaults` lists them)",
                       Kind.FILE)
        raise FolioError(name)
    if target.exists():
        reporter.error(Location(name), "the project has this file already; it is used instead of"
                       " folio's", Kind.FILE)
        raise FolioError(name)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(files[name], target)
    return target


def shipped(base: Path) -> dict[str, Path]:
    """relative name → file, for every template, style and font folio ships under base."""
    found = {}
    for folder in OVERRIDABLE:
        for path in sorted((base / folder).rglob("*")):
            name = path.relative_to(base).as_posix()
            if path.is_file() and "__pycache__" not in name and name != "styles/reference.docx":
                found[name] = path
    return found
