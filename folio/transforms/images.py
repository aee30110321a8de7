"""Images the document uses, found and checked once for every edition: a missing, remote or
outside file is a located error here, so that `folio check` reports what `folio build`
would, and no writer resolves a path on its own. An image is judged by its content
(folio.images): a file that is not an image, a damaged one or a bomb is refused here."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

from .. import model as m
from ..controls import CONTROL
from ..diagnostics import Kind, Reporter
from ..files import is_inside
from ..images import ImageFacts, inspect_image
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
    checked: set[str] = set()
    for src, loc in image_sources(doc):
        if src in checked:
            continue
        checked.add(src)
        facts = _resolve(src, base, root)
        if isinstance(facts, str):
            reporter.error(loc, f"image '{src}' {facts}", Kind.FILE)
        else:
            if facts.removed:
                reporter.warning(loc, f"image '{src}': {', '.join(facts.removed)} removed from the published"
                                 " copy (an SVG may hold no code: it runs when a reader opens the image)", Kind.FILE)
            found[src] = m.ImageFile(src, facts.path, loc, facts)
    doc.images = found


def _resolve(src: str, base: Path, root: Path) -> ImageFacts | str:
    """The facts of the image src names, or what is wrong, in words that follow "image 'x' "."""
    parsed = urlparse(src)
    if parsed.scheme or parsed.netloc:
        return "is not a file in the project; folio fetches nothing from the network"
    name = unquote(parsed.path)
    if not name or CONTROL.search(name) or any(ord(c) < 32 or ord(c) == 127 for c in name):
        return "is not a usable file name (it is empty or holds a control character such as %00)"
    try:
        path = (base / name).resolve()
        exists = path.exists()
    except (OSError, ValueError, RuntimeError) as exc:   # a symlink loop, a name too long
        return f"cannot be found ({getattr(exc, 'strerror', None) or exc})"
    if not is_inside(path, root):
        return f"lies outside the project; copy it under {_shown(base, root)}"
    if not exists:
        return f"not found (looked for {_shown(path, root)})"
    facts = inspect_image(path)
    if isinstance(facts, ImageFacts) and facts.references:
        return (f"refers to '{facts.references[0]}'; folio takes only SVG that is self-contained"
                " (it fetches no other file and nothing from the network)")
    return facts


def _shown(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve())) or "."
    except (ValueError, OSError, RuntimeError):
        return str(path)
