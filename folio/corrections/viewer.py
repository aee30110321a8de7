"""A source revision as the DOCX folio built from it shows it (spans.SourceView): the model
loaded from the text as the build loads it, with its ids, numbers and the project's words,
laid out paragraph by paragraph by the DOCX writer's plan (model_view)."""
from __future__ import annotations

from pathlib import Path

from ..diagnostics import FolioError, Kind, Reporter
from ..ooxml.names import sanitise
from ..project import Project
from .records import WordDocument
from .spans import SourceView


def source_view(text: str, shown: str, word: WordDocument, reporter: Reporter,
                project: Project | None = None) -> SourceView:
    """The paragraphs of the DOCX folio writes for this source text, with their spans: the
    model loaded as the build loads it (build.load: the project's words, folders and fonts)."""
    from ..build import load
    from .model_view import source_view as view

    project = project or Project.for_source(Path(shown))
    own = Reporter()   # the source's own warnings are `folio check`'s business, not the import's
    try:
        doc = load(project, own, text, glyphs=False)     # nothing is typeset: the fonts are not read
    except FolioError:
        first = own.errors[0]
        reporter.error(first.location, f"the source has errors, so corrections cannot be placed in it: {first.text}"
                       " (run folio check)", Kind.DOCX)
        raise FolioError(shown) from None
    return view(doc, text, shown, _pages(word, doc))


def _pages(word: WordDocument, doc) -> dict:
    """label -> the page number the DOCX shows for it (a PAGEREF's stored result), so that a
    page reference reads the same on both sides. (SEAM: the model's page map, once it has one.)"""
    shown = {}
    for para in word.paragraphs:
        for seg in para.segments:
            words = seg.instruction.split()
            if seg.generated == "PAGEREF" and len(words) > 1 and not seg.added:
                shown.setdefault(words[1], seg.text)
    labels = set(doc.targets) | {e.target for e in doc.contents}
    return {label: shown[sanitise(label)] for label in labels if sanitise(label) in shown}
