"""What an image file is, judged by its content, not its name: the format by its first bytes,
its size in pixels from its header, and a full decode, so that a file that is not an image
(`![](../.env)`), a damaged one or a decompression bomb is a problem in words before any writer
sees it. Knows nothing of the model or the project: a path in, facts or a problem out."""
from __future__ import annotations

import io
import math
import re
import stat
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .inputs import read_input

MAX_BYTES = 50 * 1024 * 1024
MAX_PIXELS = 50_000_000          # ~8,000 × 6,000: more than print needs; a bomb claims far more
SVG_NS = "{http://www.w3.org/2000/svg}svg"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
# Format by the first bytes; the name Pillow gives each, to decode it as that and nothing else.
MAGIC = {b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpeg", b"GIF87a": "gif", b"GIF89a": "gif"}
PILLOW = {"png": "PNG", "jpeg": "JPEG", "gif": "GIF"}
URL = re.compile(r"url\(\s*['\"]?([^'\")]*)|@import\s+['\"]([^'\"]*)", re.I)
LENGTH = re.compile(r"\s*([0-9.]+)\s*(px|pt|pc|mm|cm|in)?\s*")
CSS_PX = {None: 1, "px": 1, "pt": 4 / 3, "pc": 16, "mm": 96 / 25.4, "cm": 96 / 2.54, "in": 96}


@dataclass(frozen=True)
class ImageFacts:
    path: Path
    format: str                   # png, jpeg, gif or svg
    width: int                    # pixels (an SVG: CSS pixels of its intrinsic size)
    height: int
    data: bytes = field(repr=False)
    references: tuple = ()        # an SVG: the files or addresses it names (folio fetches none)
    removed: tuple = ()           # an SVG: what was taken out of the published copy (scripts …)


def inspect_image(path: Path) -> ImageFacts | str:
    """The facts of the image file at path, or what is wrong with it, in words that follow
    "image 'x.png' …" (e.g. "is not an image: its content is not PNG, JPEG, GIF or SVG")."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            return "is not a regular file"
        if info.st_size > MAX_BYTES:
            return f"is {info.st_size / 2**20:.0f} MB; folio takes images of up to {MAX_BYTES // 2**20} MB"
        data = read_input(path)
    except (OSError, ValueError) as exc:
        return f"cannot be read ({getattr(exc, 'strerror', None) or exc})"
    kind = sniff(data)
    if kind is None:
        return "is not an image: its content is not PNG, JPEG, GIF or SVG"
    return _svg(path, data) if kind == "svg" else _raster(path, kind, data)


def sniff(data: bytes) -> str | None:
    for magic, kind in MAGIC.items():
        if data.startswith(magic):
            return kind
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    return "svg" if head.startswith(b"<") and b"<svg" in data[:65536] else None


def _raster(path: Path, kind: str, data: bytes) -> ImageFacts | str:
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings(), _strict_decoding():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # checked below, in words
            with Image.open(io.BytesIO(data), formats=[PILLOW[kind]]) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    return _too_many(width, height)
                image.load()             # decodes every pixel: a truncated or damaged file fails here
    except Image.DecompressionBombError as exc:
        return f"claims too many pixels ({exc}); a decompression bomb?"
    except (OSError, SyntaxError, ValueError, EOFError, UnidentifiedImageError, MemoryError) as exc:
        return f"is a damaged {kind.upper()} file ({exc})"
    return ImageFacts(path, kind, width, height, data)


@contextmanager
def _strict_decoding():
    """Pillow refusing truncated files for the length of the check. WeasyPrint, once imported,
    sets Pillow's process-wide LOAD_TRUNCATED_IMAGES: a half-cut PNG then passed, reached the
    PDF half grey and made python-docx fail (found by the fuzz test)."""
    from PIL import ImageFile
    before = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = before


def _too_many(width: int, height: int) -> str:
    return (f"is {width:,} × {height:,} pixels; folio takes images of up to {MAX_PIXELS:,} pixels"
            " (a decompression bomb is small on disk and huge once decoded)")


def _svg(path: Path, data: bytes) -> ImageFacts | str:
    from lxml import etree

    if b"<!ENTITY" in data:             # entity expansion is the XML form of an alias bomb
        return "is an SVG file that declares entities; folio takes SVG without a DTD"
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        return f"is a damaged SVG file ({exc})"
    if root.tag != SVG_NS:
        return "is not an image: its content is XML, not SVG"
    size = svg_size(root)
    if size is None:
        return ("is an SVG file whose width, height or viewBox is not a size (a number that is"
                " not 'nan' or 'inf')")
    width, height = size
    if width * height > MAX_PIXELS:
        return _too_many(width, height)
    removed = sanitise_svg(root)
    if removed:
        data = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return ImageFacts(path, "svg", width, height, data, tuple(_references(root)), tuple(removed))


# What an SVG may not carry into the web edition and the DOCX, where a browser opens it as a
# page of its own (build/html/images/x.svg): code, and HTML that could hold code. Sanitised,
# not rasterised: the image stays sharp at any size, and the PDF draws the same vectors.
ACTIVE = {"script", "foreignObject", "handler", "listener"}
ANIMATED_LINKS = {"set", "animate"}      # <set attributeName="href" to="javascript:…">


def sanitise_svg(root) -> list[str]:
    """Removes scripts, event attributes (onload=…) and foreignObject from the tree; returns
    what it removed, in words ('<script>', 'onload=')."""
    removed: dict[str, None] = {}
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        local = element.tag.rpartition("}")[2]
        if local in ACTIVE or (local in ANIMATED_LINKS and "href" in (element.get("attributeName") or "")):
            removed[f"<{local}>"] = None
            _drop(element)
            continue
        for name in list(element.attrib):
            if name.rpartition("}")[2].lower().startswith("on"):
                removed[f"{name.rpartition('}')[2]}="] = None
                del element.attrib[name]
    return list(removed)


def _drop(element) -> None:
    """Removes an element, keeping the text that follows it (its tail) in place."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def svg_size(root) -> tuple[int, int] | None:
    """Intrinsic size in CSS pixels: width and height, else the viewBox, else 300 × 150; None
    if one of them is 'nan', 'inf' or too large a number (a traceback here and in the writers)."""
    box = [_number(value) for value in (root.get("viewBox") or "").replace(",", " ").split()]
    sizes = []
    for attr, index, default in (("width", 2, 300), ("height", 3, 150)):
        match = LENGTH.fullmatch(root.get(attr) or "")
        size = _number(match.group(1)) if match else box[index] if index < len(box) else None
        sizes.append(default if size is None else size * CSS_PX[match.group(2) if match else None])
    written = [_number(root.get(attr) or "") for attr in ("width", "height")]   # 'nan', 'inf'
    if not all(math.isfinite(value) and abs(value) < 1e9
               for value in [*sizes, *filter(None, box), *filter(None, written)]):
        return None
    return max(1, round(sizes[0])), max(1, round(sizes[1]))


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _references(root):
    """Every URL the SVG names that is not inside itself (#id) or inside the file (data:)."""
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        values = [element.get(a) for a in ("href", XLINK_HREF, "src") if element.get(a)]
        values += [a or b for value in element.attrib.values() for a, b in URL.findall(value)]
        if element.tag.endswith("}style"):
            values += [a or b for a, b in URL.findall(element.text or "")]
        for value in values:
            if not value.strip().startswith(("#", "data:")):
                yield value.strip()
