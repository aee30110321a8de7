"""A source revision as the DOCX folio built from it shows it (spans.SourceView): the model read
from the text, with its ids, numbers and words, laid out paragraph by paragraph as the DOCX
writer writes them (model_view)."""
from __future__ import annotations

from ...diagnostics import FolioError, Kind, Reporter
from ...writers.docx.names import sanitise
from .records import WordDocument
from .spans import SourceView


def source_view(text: str, shown: str, word: WordDocument, reporter: Reporter) -> SourceView:
    """The paragraphs of the DOCX folio writes for this source text, with their spans."""
    from ...i18n.terms import load as load_terms
    from ...transforms import run_transforms
    from ..markdown import parse_text
    from .model_view import source_view as view

    own = Reporter()   # the source's own warnings are `folio check`'s business, not the import's
    doc = parse_text(text, shown, own)
    doc.terms = load_terms(doc.meta.get("language", "en"))
    run_transforms(doc, own)
    if own.errors:
        first = own.errors[0]
        reporter.error(first.location, f"the source has errors, so corrections cannot be placed in it: {first.text}"
                       " (run folio check)", Kind.DOCX)
        raise FolioError(shown)
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
