"""The HTML edition: build/html/index.html with its stylesheet and images beside it."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path
from urllib.parse import quote

from .. import model as m
from .. import versions
from ..diagnostics import FolioError, Reporter
from ..editions import EDITIONS
from ..files import write_atomic
from ..images import ImageFacts
from ..inputs import read_input
from ..project import Project
from . import edition_links as editions_
from .pages import render_page


def write_html(doc: m.Document, project: Project, reporter: Reporter) -> list[Path]:
    out = project.out_dir / "html"
    images = {src: image.facts for src, image in doc.images.items()}
    if reporter.errors:                 # a missing or damaged image: no page with a hole in it
        raise FolioError("images")
    names = {src: _asset_name(facts) for src, facts in images.items()}
    editions = editions_.current(project)   # the PDF and DOCX beside it, as they are now
    page = render_page(doc, project, "web.html", print_mode=False,
                       image_url=lambda src: "images/" + quote(names.get(src, "")), reporter=reporter,
                       extra={"editions": [_edition(e, doc.meta.get("language", "en")) for e in editions],
                              "languages": versions.web_alternates(project, doc.meta)})
    written = []
    for src, facts in images.items():
        target = out / "images" / names[src]
        write_atomic(target, facts.data)
        written.append(target)
    sheets = []
    for name in ("web.css", "web-fonts.css"):
        sheets.append(out / name)
        write_atomic(out / name, read_input(project.find(f"styles/{name}")))
    written += _copy_fonts(read_input(project.find("styles/web-fonts.css")).decode("utf-8"), project, out)
    index = out / "index.html"
    write_atomic(index, page.encode("utf-8"))
    editions_.publish(project)      # the files the page links to, inside the page's folder
    editions_.shown(project, editions)
    return [index, *sheets, *written]


def _copy_fonts(css: str, project: Project, out: Path) -> list[Path]:
    """The fonts a stylesheet names as url(fonts/…), copied beside it (only those: the PDF's
    fonts folder may hold faces the web edition does not use)."""
    written = []
    for name in dict.fromkeys(re.findall(r"url\(\s*['\"]?fonts/([\w.-]+)['\"]?\s*\)", css)):
        source = project.find(f"styles/fonts/{name}")
        if source.is_file():
            write_atomic(out / "fonts" / name, read_input(source))
            written.append(out / "fonts" / name)
    return written


def _edition(edition: dict, language: str = "en") -> dict:
    """What the page says of one edition: its link, type and size in a reader's words."""
    return {**edition, "size": _size(edition["bytes"], language), "type": EDITIONS[edition["format"]].mime}


def _size(size: int, language: str) -> str:
    """'66 KB' in English (as folio has always written it); in another language the unit and
    the decimal sign as CLDR writes them there ('66 ko', '1,5 Mo', '66 кБ')."""
    megabytes = size >= 1_048_576
    value = round(size / 1_048_576, 1) if megabytes else max(1, round(size / 1024))
    if (language or "en").split("-")[0].lower() != "en":
        from babel.core import UnknownLocaleError
        from babel.units import format_unit
        try:
            return format_unit(value, "digital-megabyte" if megabytes else "digital-kilobyte",
                               length="short", locale=language.replace("-", "_"))
        except (UnknownLocaleError, ValueError):
            pass
    return f"{value:.1f} MB" if megabytes else f"{value} KB"


def _asset_name(facts: ImageFacts) -> str:
    """Content-addressed, so two images called chart.png in different folders never clash; the
    suffix is the format's, whatever the file was called. Any name the file system allows:
    its URL is percent-encoded (fig#1.png, fig?.png, fig%41.png)."""
    digest = hashlib.sha256(facts.data).hexdigest()[:10]
    return f"{facts.path.stem}-{digest}.{SUFFIX[facts.format]}"


SUFFIX = {"png": "png", "jpeg": "jpg", "gif": "gif", "svg": "svg"}
