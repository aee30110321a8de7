"""Images the document uses, found and checked once for every edition: a missing, remote or
outside file is a located error here, so that `folio check` reports what `folio build`
would, and no writer resolves a path on its own."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

from .. import model as m
from ..diagnostics import Kind, Reporter
from ..files import is_inside
from ..model.walk import document_blocks, inline_lists, iter_inlines


def image_sources(doc: m.Document):
    """(src, location) of every image and figure, body and footnotes, in source order."""
    for block in document_blocks(doc):
        if isinstance(block, m.Figure):
            yield block.src, block.loc
        for nodes in inline_lists(block):
            for node in iter_inlines(nodes):
                if isinstance(node, m.Image):
                    yield node.src, node.loc if node.loc.line else block.loc


def resolve_images(doc: m.Document, reporter: Reporter) -> None:
    if doc.root is None:        # a document read without a project: nothing to read from
        return
    root, base = Path(doc.root), Path(doc.base_dir or doc.root)
    found: dict[str, m.ImageFile] = {}
    refused: set[str] = set()
    for src, loc in image_sources(doc):
        if src in found or src in refused:
            continue
        parsed = urlparse(src)
        path = (base / unquote(parsed.path)).resolve() if not (parsed.scheme or parsed.netloc) else None
        problem = _problem(src, path, root, base)
        if problem:
            reporter.error(loc, problem, Kind.FILE)
            refused.add(src)
        else:
            found[src] = m.ImageFile(src, path, loc)
    doc.images = found


def _problem(src: str, path: Path | None, root: Path, base: Path) -> str:
    if path is None:
        return f"image '{src}' is not a file in the project; folio fetches nothing from the network"
    if not is_inside(path, root):
        return f"image '{src}' lies outside the project; copy it under {_shown(base, root)}"
    if not path.is_file():
        return f"image '{src}' not found (looked for {_shown(path, root)})"
    return ""


def _shown(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve())) or "."
    except ValueError:
        return str(path)
