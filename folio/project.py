"""Where things are: the project root and its folders, the source, the outputs, and the
templates, styles and fonts a build reads — the project's own file where it has one, else
folio's default (folio/defaults/, shipped inside the package)."""
from __future__ import annotations

import errno
import os
from dataclasses import dataclass
from pathlib import Path

from . import versions
from .files import is_inside
from .inputs import probe

DEFAULTS = Path(__file__).resolve().parent / "defaults"
# The folders a project may override file by file; nothing else is looked up in DEFAULTS.
OVERRIDABLE = ("templates", "styles")


def default_name(path: Path) -> str | None:
    """'styles/print.css' for a file of folio's defaults, else None. The default folders may
    be links (to the repository's own templates/ and styles/): compared where they lead."""
    try:
        real = path.resolve()
    except OSError:
        return None
    for folder in OVERRIDABLE:
        try:
            return f"{folder}/{real.relative_to((DEFAULTS / folder).resolve()).as_posix()}"
        except ValueError:
            continue
    return None


@dataclass(frozen=True)
class Project:
    root: Path          # everything folio may read lies under here (and folio's defaults)
    source: Path        # the Markdown source
    out_dir: Path       # build/
    named: Path | None = None   # the source as the user named it (absolute, symlinks not followed)
    # Front-matter values a command sets for its build over the source's ((key, value), …):
    # `folio reissue` sets `reissued`. Part of the outputs' settings (stamps.settings_digest).
    overrides: tuple = ()
    version: str = ""           # a language version's tag (report.fr.md: "fr"); "" for an original
    original: Path | None = None    # a language version's original (source/report.md)

    @classmethod
    def for_source(cls, source: str | Path, root: str | Path | None = None,
                   out_dir: str | Path | None = None) -> Project:
        own = find_root(Path(source))
        root_path = Path(root).resolve() if root else own
        # The outputs go to the source's own project: --root says where to read templates and
        # styles, never where to write (it once wrote into another project's build/).
        out = Path(out_dir).resolve() if out_dir else own / "build"
        version = versions.version_of(resolved(Path(source)))
        if version is None:
            return cls(root_path, resolved(Path(source)), out, Path(source).absolute())
        tag, original = version       # built into build/<tag>/, its files named as the original's
        out = out if out_dir else versions.out_dir(out, tag)
        return cls(root_path, resolved(Path(source)), out, Path(source).absolute(), version=tag,
                   original=original)

    @property
    def name(self) -> str:
        """The outputs' name: the source's stem, the original's for a language version."""
        return (self.original or self.source).stem

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def styles(self) -> Path:
        return self.root / "styles"

    @property
    def fonts(self) -> Path:
        return self.styles / "fonts"

    def find(self, relative: str) -> Path:
        """The one place a template, style or font is looked up: 'styles/print.css' → the
        project's own file if it has one, else folio's default; the project's path if neither
        exists (so a message names the file the user would create)."""
        own = self.root / relative
        # probe records the project's file as absent: creating it later makes outputs stale
        if probe(own) or not relative.startswith(OVERRIDABLE):
            if own.exists() and not is_inside(own, self.root) and default_name(own) is None:
                raise PermissionError(errno.EACCES, "it is a link to a file outside the project;"
                                      " folio reads only files inside it", str(own))
            return own
        default = DEFAULTS / relative
        return default if default.is_file() else own

    def resources(self, pattern: str) -> list[Path]:
        """Every file matching a glob such as 'styles/fonts/*', as find() resolves each name."""
        names = {p.relative_to(self.root).as_posix() for p in self.root.glob(pattern) if p.is_file()}
        if pattern.startswith(OVERRIDABLE):
            names |= {p.relative_to(DEFAULTS).as_posix() for p in DEFAULTS.glob(pattern) if p.is_file()}
        return [self.find(name) for name in sorted(names)]

    def relative(self, path: Path) -> str | None:
        """'styles/fonts/x.ttf' for a file of the project or of folio's defaults, else None."""
        name = default_name(path)          # the defaults first: they may lie inside a root
        if name is not None:
            return name
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except (ValueError, OSError):
            return None

    def shown(self, path: Path) -> str:
        """A path as messages show it: relative to the project where possible."""
        try:
            return str(path.resolve().relative_to(self.root))
        except (ValueError, OSError, RuntimeError):  # outside; a name too long; a symlink loop
            pass
        try:                                # a link in the project to a file outside: its own name
            return str(Path(os.path.abspath(path)).relative_to(self.root))
        except ValueError:
            pass
        try:
            name = default_name(path)
            if name is None:
                raise ValueError(path)
            return f"folio/defaults/{name}"
        except (ValueError, OSError, RuntimeError):
            return str(path)


def resolved(path: Path) -> Path:
    """path with links followed, or as it is named if they cannot be (a link that leads to
    itself, a name too long for the system): reading it then says why, in one located line."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return Path(os.path.abspath(path))


def find_root(source: Path) -> Path:
    """The nearest folder above the source that has templates/, styles/ or tasks.py (a project
    made by `folio new` may override nothing); else the source folder's parent if it is called
    source/; else the current folder."""
    source = resolved(source)
    for folder in [source.parent, *source.parents]:
        if (folder / "templates").is_dir() or (folder / "styles").is_dir() or (folder / "tasks.py").is_file():
            return folder
    if source.parent.name == "source":
        return source.parent.parent
    return Path.cwd().resolve()
