"""The HTML edition: build/html/index.html with its stylesheet and images beside it."""
from __future__ import annotations

import hashlib
from pathlib import Path

from .. import model as m
from ..diagnostics import FolioError, Reporter
from ..files import write_atomic
from ..images import ImageFacts
from ..inputs import read_input
from ..project import Project
from .assets import resolve_images
from .pages import render_page


def write_html(doc: m.Document, project: Project, reporter: Reporter) -> list[Path]:
    out = project.out_dir / "html"
    images = resolve_images(doc, project, reporter)
    if reporter.errors:                 # a missing or damaged image: no page with a hole in it
        raise FolioError("images")
    names = {src: _asset_name(facts) for src, facts in images.items()}
    page = render_page(doc, project, "web.html", print_mode=False,
                       image_url=lambda src: "images/" + names.get(src, ""), reporter=reporter)
    written = []
    for src, facts in images.items():
        target = out / "images" / names[src]
        write_atomic(target, facts.data)
        written.append(target)
    css = out / "web.css"
    write_atomic(css, read_input(project.styles / "web.css"))
    index = out / "index.html"
    write_atomic(index, page.encode("utf-8"))
    return [index, css, *written]


def _asset_name(facts: ImageFacts) -> str:
    """Content-addressed, so two images called chart.png in different folders never clash; the
    suffix is the format's, whatever the file was called."""
    digest = hashlib.sha256(facts.data).hexdigest()[:10]
    return f"{facts.path.stem}-{digest}.{SUFFIX[facts.format]}"


SUFFIX = {"png": "png", "jpeg": "jpg", "gif": "gif", "svg": "svg"}
