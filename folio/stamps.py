"""Is an output stale? A hash of everything that goes into it, kept beside the outputs.

Imports nothing heavy: a build with nothing to do must answer in a fraction of a second."""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from .files import write_atomic
from .project import Project

# What each output is made from, besides the source folder and folio itself.
INPUTS = {
    "html": ["templates/*.html", "styles/web.css", "styles/web-fonts.css", "styles/fonts/*"],
    "pdf": ["templates/*.html", "styles/print.css", "styles/paper-*.css", "styles/fonts/*"],
    "docx": ["templates/_cover.html", "templates/_titlepage.html", "styles/docx-*",
             "styles/*.docx"],    # reference documents live in styles/
}
LIBRARIES = {"html": ["jinja2", "markdown-it-py", "mdit-py-plugins"],
             "pdf": ["weasyprint", "pikepdf", "pydyf"], "docx": ["python-docx", "lxml"]}
STAMPS = ".folio/stamps.json"


def output_paths(project: Project, name: str) -> list[Path]:
    """The file whose presence and content the stamp vouches for."""
    return {"html": [project.out_dir / "html" / "index.html"],
            "pdf": [project.out_dir / f"{project.name}.pdf"],
            "docx": [project.out_dir / f"{project.name}.docx"]}[name]


def input_digests(project: Project, names: list[str]) -> dict[str, str]:
    """{output: hash of its inputs}. Files shared by several outputs (the source folder,
    folio's code, the templates) are read and hashed once."""
    hashes: dict[Path, bytes] = {}

    def file_hash(path: Path) -> bytes:
        if path not in hashes:
            hashes[path] = hashlib.sha256(path.read_bytes()).digest()
        return hashes[path]

    sources = (p for p in _tree(project.source.parent) if not _is_inside(p, project.out_dir))
    shared = set(sources) | set(_tree(Path(__file__).parent, "*.py"))
    digests = {}
    for name in names:
        files = set(shared)
        for pattern in INPUTS[name]:
            files.update(project.resources(pattern))   # the project's file, else folio's default
        digest = hashlib.sha256()
        for path in sorted(files):
            digest.update(str(path.relative_to(path.anchor)).encode() + b"\0")
            digest.update(file_hash(path))
        settings = {"source": project.source.name, "epoch": os.environ.get("SOURCE_DATE_EPOCH", ""),
                    "libraries": _versions(LIBRARIES[name])}
        digest.update(json.dumps(settings, sort_keys=True).encode())
        digests[name] = digest.hexdigest()
    return digests


def output_digest(paths: list[Path]) -> str | None:
    digest = hashlib.sha256()
    for path in paths:
        if not path.is_file():
            return None
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def read_stamps(project: Project) -> dict:
    try:
        return json.loads((project.out_dir / STAMPS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def is_current(project: Project, name: str, digest: str, stamps: dict) -> bool:
    """Same inputs as the last good build, and the outputs still the ones it wrote (the PDF
    writer writes one or two files, as the front matter says: the stamp lists them)."""
    stamp = stamps.get(name) or {}
    files = [project.out_dir / f for f in stamp.get("files", [])] or output_paths(project, name)
    return stamp.get("inputs") == digest and stamp.get("output") == output_digest(files)


def record(project: Project, name: str, inputs: str, written: list[Path] | None = None) -> None:
    """Called only after the output was renamed into place: a crash before leaves it stale."""
    stamps = read_stamps(project)
    files = [p for p in written or [] if p.suffix in (".pdf", ".docx") or p.name == "index.html"] \
        or output_paths(project, name)
    stamps[name] = {"inputs": inputs, "output": output_digest(files),
                    "files": [p.relative_to(project.out_dir).as_posix() for p in files]}
    write_atomic(project.out_dir / STAMPS, json.dumps(stamps, indent=1, sort_keys=True).encode())


def _tree(folder: Path, pattern: str = "*"):
    """Files under folder, leaving out caches and hidden folders (.git, .folio)."""
    return (p for p in folder.rglob(pattern) if p.is_file()
            and not any(part.startswith(".") or part == "__pycache__"
                        for part in p.relative_to(folder).parts))


def _is_inside(path: Path, folder: Path) -> bool:
    return folder == path or folder in path.parents


def _versions(names: list[str]) -> dict:
    from importlib import metadata
    found = {}
    for name in names:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = ""
    return found
