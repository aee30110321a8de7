"""Images a document uses, wherever they appear (footnotes too): files inside the project whose
content is an image (folio.images), each problem a located error."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

from .. import model as m
from ..controls import CONTROL
from ..diagnostics import Kind, Reporter
from ..files import is_inside
from ..images import ImageFacts, inspect_image
from ..model.walk import inline_lists, iter_blocks, iter_inlines
from ..project import Project


def image_sources(doc: m.Document):
    """(src, location) of every image and figure, in reading order: the body, then the notes."""
    notes = [block for note in doc.footnotes.values() for block in iter_blocks(note.blocks)]
    for block in [*iter_blocks(doc.blocks), *notes]:
        if isinstance(block, m.Figure):
            yield block.src, block.loc
        for nodes in inline_lists(block):
            for node in iter_inlines(nodes):
                if isinstance(node, m.Image):
                    yield node.src, block.loc


def resolve_images(doc: m.Document, project: Project, reporter: Reporter) -> dict[str, ImageFacts]:
    """src → facts of every image; a remote, missing, outside, damaged or non-image file is a
    located error."""
    found: dict[str, ImageFacts] = {}
    checked: set[str] = set()
    base = Path(doc.base_dir or project.source.parent)
    for src, loc in image_sources(doc):
        if src in checked:
            continue
        checked.add(src)
        facts = _resolve(src, base, project)
        if isinstance(facts, str):
            reporter.error(loc, f"image '{src}' {facts}", Kind.FILE)
        else:
            found[src] = facts
    return found


def _resolve(src: str, base: Path, project: Project) -> ImageFacts | str:
    parsed = urlparse(src)
    if parsed.scheme or parsed.netloc:
        return "is not a file in the project; folio fetches nothing from the network"
    name = unquote(parsed.path)
    if not name or CONTROL.search(name) or any(ord(c) < 32 or ord(c) == 127 for c in name):
        return "is not a usable file name (it is empty or holds a control character such as %00)"
    try:
        path = (base / name).resolve()
        found = path.exists()
    except (OSError, ValueError, RuntimeError) as exc:   # a symlink loop, a name too long
        return f"cannot be found ({getattr(exc, 'strerror', None) or exc})"
    if not is_inside(path, project.root):
        return f"lies outside the project; copy it under {project.shown(base)}"
    if not found:
        return "not found"
    facts = inspect_image(path)
    if isinstance(facts, ImageFacts) and facts.references:
        return (f"refers to '{facts.references[0]}'; folio takes only SVG that is self-contained"
                " (it fetches no other file and nothing from the network)")
    return facts
