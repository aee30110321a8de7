"""The HTML edition: build/html/index.html with its stylesheet and images beside it."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

from .. import model as m
from ..diagnostics import Reporter
from ..files import write_atomic
from ..project import Project
from . import edition_links as editions_
from .pages import render_page


def write_html(doc: m.Document, project: Project, reporter: Reporter) -> list[Path]:
    out = project.out_dir / "html"
    images = {src: image.path for src, image in doc.images.items()}
    names = {src: _asset_name(path) for src, path in images.items()}
    editions = editions_.current(project)   # the PDF and DOCX beside it, as they are now
    page = render_page(doc, project, "web.html", print_mode=False,
                       image_url=lambda src: "images/" + names.get(src, ""), reporter=reporter,
                       extra={"editions": [_edition(e) for e in editions]})
    written = []
    for src, path in images.items():
        target = out / "images" / names[src]
        write_atomic(target, path.read_bytes())
        written.append(target)
    sheets = []
    for name in ("web.css", "web-fonts.css"):
        sheets.append(out / name)
        write_atomic(out / name, project.find(f"styles/{name}").read_bytes())
    written += _copy_fonts(project.find("styles/web-fonts.css").read_text(encoding="utf-8"), project, out)
    index = out / "index.html"
    write_atomic(index, page.encode("utf-8"))
    editions_.shown(project, editions)
    return [index, *sheets, *written]


def _copy_fonts(css: str, project: Project, out: Path) -> list[Path]:
    """The fonts a stylesheet names as url(fonts/…), copied beside it (only those: the PDF's
    fonts folder may hold faces the web edition does not use)."""
    written = []
    for name in dict.fromkeys(re.findall(r"url\(\s*['\"]?fonts/([\w.-]+)['\"]?\s*\)", css)):
        source = project.find(f"styles/fonts/{name}")
        if source.is_file():
            write_atomic(out / "fonts" / name, source.read_bytes())
            written.append(out / "fonts" / name)
    return written


def _edition(edition: dict) -> dict:
    """What the page says of one edition: its link, type and size in a reader's words."""
    size = edition["bytes"]
    shown = f"{size / 1_048_576:.1f} MB" if size >= 1_048_576 else f"{max(1, round(size / 1024))} KB"
    return {**edition, "size": shown, "type": MEDIA_TYPES[edition["format"]]}


MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _asset_name(path: Path) -> str:
    """Content-addressed, so two images called chart.png in different folders never clash."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
    return f"{path.stem}-{digest}{path.suffix.lower()}"
