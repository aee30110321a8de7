"""An SVG as a PNG, for Word: Word shows the SVG itself (the svgBlip extension) and keeps a PNG
for older readers, as it does when one inserts an SVG. WeasyPrint draws the SVG into a PDF page
of its size, through the same restricted fetcher as the PDF edition; pypdfium2 rasterizes that
page. Imported only when a document has an SVG image: the cost stays off every other build."""
from __future__ import annotations

import io
import math

from ..diagnostics import Reporter
from ..images import ImageFacts
from ..project import Project

DENSITY = 2                  # pixels per CSS pixel: sharp on a high-resolution screen
MAX_PIXELS = 4_000_000       # a fallback needs no more


def svg_to_png(facts: ImageFacts, project: Project, reporter: Reporter) -> bytes:
    """The PNG of an SVG image at twice its intrinsic size (FolioError if WeasyPrint refused
    something it names; the message is in the reporter)."""
    import pypdfium2

    from .pdf import draw, render

    width, height = facts.width, facts.height
    page = (f"<html><head><style>@page {{ size: {width}px {height}px; margin: 0 }}"
            f" html, body {{ margin: 0 }} img {{ display: block; width: {width}px; height: {height}px }}"
            f"</style></head><body><img src=\"{facts.path.as_uri()}\" alt=\"\"></body></html>")
    pdf = draw(render(page, project, reporter), project, reporter)
    points = (width * 0.75) * (height * 0.75)           # the page in PDF points (1 px = 0.75 pt)
    scale = min(DENSITY / 0.75, math.sqrt(MAX_PIXELS / points))
    document = pypdfium2.PdfDocument(pdf)
    try:
        image = document[0].render(scale=scale, fill_color=(255, 255, 255, 0)).to_pil()
    finally:
        document.close()
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()
