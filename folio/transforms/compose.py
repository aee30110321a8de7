"""The composition of the publication, decided once for every edition: which stretches come
in which order, how each one opens (on a new page, on a right-hand page, or running on) and
how its pages are numbered. The HTML, PDF and Word writers all read doc.composition."""
from __future__ import annotations

from .. import model as m
from ..config import chapter_opening
from ..diagnostics import Reporter


def compose(doc: m.Document, reporter: Reporter) -> None:
    if doc.meta.get("form") == "document":
        doc.composition = _document(doc)
        return
    front = [p for p in doc.parts if p.front]
    before = [p for p in front if "preface" in _classes(p)]
    after = [p for p in front if "preface" not in _classes(p)]
    body = [p for p in doc.parts if not p.front]
    roman = {"numbering": "lower-roman", "front": True}
    # The cover and its blank inside; the title page on a right-hand page, front matter numbered
    # from it (i), and the imprint on its back; each front part on a right-hand page.
    regions = [m.Region("cover", opens="first", front=True),
               m.Region("blank", opens="page", front=True),
               m.Region("title-page", opens="right", restart=True, **roman),
               m.Region("imprint", opens="page", **roman)]
    regions += [m.Region("part", p, opens="right", **roman) for p in before]
    regions.append(m.Region("contents", opens="right", **roman))
    regions += [m.Region("part", p, opens="right", **roman) for p in after]
    if doc.gaps:
        regions.append(m.Region("editorial-note", opens="right", **roman))
    chapters = chapter_opening(doc.meta)
    for index, part in enumerate(body):
        regions.append(m.Region("part", part, opens="right" if index == 0 else chapters,
                                numbering="decimal", restart=index == 0, running_head=True))
    regions.append(m.Region("back-cover", opens="left"))   # the last page of the last sheet
    doc.composition = regions


def _document(doc: m.Document) -> list:
    """A document, not a publication (a corrigendum): its parts alone, run on from page 1."""
    return [m.Region("part", p, opens="first" if i == 0 else "continue", numbering="decimal", restart=i == 0)
            for i, p in enumerate(doc.parts)]


def _classes(part: m.Part) -> list:
    return part.heading.classes if part.heading else []
