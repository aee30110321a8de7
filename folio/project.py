"""Where things are: the project root and its folders, the source, the outputs."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Project:
    root: Path          # everything folio may read lies under here
    source: Path        # the Markdown source
    out_dir: Path       # build/
    named: Path | None = None   # the source as the user named it (absolute, symlinks not followed)

    @classmethod
    def for_source(cls, source: str | Path, root: str | Path | None = None,
                   out_dir: str | Path | None = None) -> Project:
        root_path = Path(root).resolve() if root else find_root(Path(source))
        out = Path(out_dir).resolve() if out_dir else root_path / "build"
        return cls(root_path, Path(source).resolve(), out, Path(source).absolute())

    @property
    def name(self) -> str:
        return self.source.stem

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def styles(self) -> Path:
        return self.root / "styles"

    @property
    def fonts(self) -> Path:
        return self.styles / "fonts"

    def shown(self, path: Path) -> str:
        """A path as messages show it: relative to the project where possible."""
        try:
            return str(path.resolve().relative_to(self.root))
        except (ValueError, OSError, RuntimeError):  # outside; a name too long; a symlink loop
            return str(path)


def find_root(source: Path) -> Path:
    """The nearest folder above the source that has templates/ and styles/."""
    for folder in [source.resolve().parent, *source.resolve().parents]:
        if (folder / "templates").is_dir() and (folder / "styles").is_dir():
            return folder
    return Path.cwd().resolve()
