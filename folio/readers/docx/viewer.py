"""SEAM (issue 12): a source revision as the DOCX folio built from it shows it (spans.SourceView).

Today: the model is read again from the text and each paragraph's spans are found by searching
its source lines (interim_view). When the model carries spans and ids, this function reads them
instead; its signature is the interface the import needs and stays as it is.
"""
from __future__ import annotations

from ...diagnostics import FolioError, Kind, Reporter
from ...writers.docx.names import sanitise
from .records import WordDocument
from .spans import SourceView


def source_view(text: str, shown: str, word: WordDocument, reporter: Reporter) -> SourceView:
    """The paragraphs of the DOCX folio writes for this source text, with their spans."""
    from ...transforms import run_transforms
    from ..markdown import parse_text
    from .interim_view import source_view as interim

    own = Reporter()   # the source's own warnings are `folio check`'s business, not the import's
    doc = parse_text(text, shown, own)
    run_transforms(doc, own)
    if own.errors:
        first = own.errors[0]
        reporter.error(first.location, f"the source has errors, so corrections cannot be placed in it: {first.text}"
                       " (run folio check)", Kind.DOCX)
        raise FolioError(shown)
    return interim(doc, text, shown, _pages(word, doc))


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
