"""Images a document uses: found under the project, refused outside it."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

from .. import model as m
from ..diagnostics import Kind, Reporter
from ..files import is_inside
from ..model.walk import inline_lists, iter_blocks, iter_inlines
from ..project import Project


def image_sources(doc: m.Document):
    """(src, location) of every image and figure, in reading order."""
    for block in iter_blocks(doc.blocks):
        if isinstance(block, m.Figure):
            yield block.src, block.loc
        for nodes in inline_lists(block):
            for node in iter_inlines(nodes):
                if isinstance(node, m.Image):
                    yield node.src, block.loc


def resolve_images(doc: m.Document, project: Project, reporter: Reporter) -> dict[str, Path]:
    """src → file for every image; a remote, missing or outside file is a located error."""
    found: dict[str, Path] = {}
    base = Path(doc.base_dir or project.source.parent)
    for src, loc in image_sources(doc):
        if src in found:
            continue
        parsed = urlparse(src)
        if parsed.scheme or parsed.netloc:
            reporter.error(loc, f"image '{src}' is not a file in the project; folio fetches nothing"
                           " from the network", Kind.FILE)
            continue
        path = (base / unquote(parsed.path)).resolve()
        if not is_inside(path, project.root):
            reporter.error(loc, f"image '{src}' lies outside the project; copy it under"
                           f" {project.shown(base)}", Kind.FILE)
        elif not path.is_file():
            reporter.error(loc, f"image '{src}' not found: there is no {project.shown(path)}"
                           f" (images are looked for from {project.shown(base)}/, the source's folder)",
                           Kind.FILE)
        else:
            found[src] = path
    return found
