"""Right to left in WordprocessingML, where python-docx has no word for it.

python-docx writes w:bidi on no paragraph, w:bidiVisual on no table and w:bidi in no section,
cannot name a complex-script font or language, and writes bold and italic without w:bCs and
w:iCs, which Word applies to right-to-left text instead of w:b and w:i (pandoc's DOCX loses an
Arabic bold the same way). A right-to-left document gets all of them here, on the finished XML,
each element in the place the schema orders it (Word refuses a w:bCs before w:b)."""
from __future__ import annotations

import re

from .names import q, run_properties

# A letter of a left-to-right script: a run that has one keeps Word's left-to-right order
# (a name, a symbol such as A/RES/70/1, an address); digits and marks alone follow the paragraph.
LEFT_TO_RIGHT = re.compile(r"[A-Za-z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff\u3040-\u9fff]")

# The children that come after each element in its parent's sequence (ECMA-376 Part 1).
AFTER = {
    "bidiVisual": ("tblStyleRowBandSize", "tblStyleColBandSize", "tblW", "jc", "tblCellSpacing", "tblInd",
                   "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription"),
    "bidi": ("rtlGutter", "docGrid", "printerSettings", "sectPrChange"),
    "rtl": ("cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath"),
}


def is_left_to_right(text: str) -> bool:
    return LEFT_TO_RIGHT.search(text) is not None


def right_to_left(parts: list, styles, font: str, language: str) -> None:
    """Tables laid out from the right, sections right to left, every run of text right to left
    but a left-to-right word's, bold and italic for complex-script text, and the complex-script
    font and language of the whole document. parts: the roots of the body, notes, headers …"""
    for root in parts:
        for props in root.iter(q("tblPr")):
            _insert(props, "bidiVisual")
        for section in root.iter(q("sectPr")):
            _insert(section, "bidi")
        for run in root.iter(q("r")):
            _right_to_left_run(run)
    for props in styles.iter(q("rPr")):
        complex_script_emphasis(props)
    defaults = styles.find(f"{q('docDefaults')}/{q('rPrDefault')}/{q('rPr')}")
    if defaults is not None:
        fonts = defaults.find(q("rFonts"))
        if fonts is not None and font:
            fonts.set(q("cs"), font)
        lang = defaults.find(q("lang"))
        if lang is not None:
            lang.set(q("bidi"), language)


def _right_to_left_run(run) -> None:
    """w:rtl on a run of text with no left-to-right letter: Arabic words and the spaces, digits
    and marks between them, generated words and numbers too (a field's code is left alone)."""
    text = "".join(t.text or "" for t in run.iter(q("t")))
    if not text or is_left_to_right(text):
        return
    _insert(run_properties(run), "rtl")


def complex_script_emphasis(props) -> None:
    """w:bCs after every w:b and w:iCs after every w:i, with the same value."""
    for plain, complex_ in (("b", "bCs"), ("i", "iCs")):
        mark = props.find(q(plain))
        if mark is None or props.find(q(complex_)) is not None:
            continue
        twin = mark.makeelement(q(complex_), {k: v for k, v in mark.attrib.items()})
        mark.addnext(twin)


def _insert(parent, name: str) -> None:
    if parent.find(q(name)) is not None:
        return
    element = parent.makeelement(q(name), {})
    later = next((c for c in parent if c.tag in {q(n) for n in AFTER[name]}), None)
    if later is not None:
        later.addprevious(element)
    else:
        parent.append(element)
