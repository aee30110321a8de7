"""Chinese in WordprocessingML, where python-docx has no word for it.

python-docx cannot name an East Asian font (w:rFonts/@w:eastAsia) nor language
(w:lang/@w:eastAsia): Word then draws Han characters in whatever font it falls back to and
takes the ambiguous marks (“ ” … —) for Latin ones, set half width. A Chinese document gets
them here, on the finished XML, as bidi.py gives an Arabic one its right-to-left properties:
the East Asian font and language in the defaults, and w:hint="eastAsia" on every run holding
Han text (what Word writes itself: the marks in it are drawn full width by the Chinese font).

Han text has no italic: Word slants the upright face for w:i (a fake italic). A Chinese
document's styles lose their italic, and emphasis and headings take the sans face (黑体), as
the PDF does (styles/print-zh.css)."""
from __future__ import annotations

import re

from .names import q, run_properties

# The scripts (a locale's `script`) written with East Asian fonts, and the language Word is told.
SCRIPTS = ("Han",)
LANGUAGES = {"zh": "zh-CN", "ja": "ja-JP", "ko": "ko-KR"}
# Han, its punctuation, full-width forms: a run holding one is East Asian text.
EAST_ASIAN = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
# The styles set in the sans face: the headings (the others are based on these) and emphasis.
SANS = ("Heading1", "Heading2", "Emphasis", "StrongEmphasis", "LostReason")


def language(tag: str) -> str:
    """The East Asian language Word is told: the tag with its region (zh → zh-CN)."""
    return tag if "-" in tag else LANGUAGES.get(tag, tag)


def east_asian(parts: list, styles, font: str, sans: str, tag: str) -> None:
    """The East Asian font and language of the whole document, the hint on its Han runs, no
    italic, and the sans face for headings and emphasis. parts: the roots of the body, notes,
    headers and footers."""
    defaults = styles.find(f"{q('docDefaults')}/{q('rPrDefault')}/{q('rPr')}")
    if defaults is not None:
        if font:
            _fonts(defaults).set(q("eastAsia"), font)
        lang = defaults.find(q("lang"))
        if lang is not None:
            lang.set(q("eastAsia"), language(tag))
    for props in styles.iter(q("rPr")):     # every style's, table styles' parts included
        for italic in props.findall(q("i")):
            props.remove(italic)
        fonts = props.find(q("rFonts"))
        if fonts is not None:        # the template's theme fonts would win over the defaults
            fonts.attrib.pop(q("eastAsiaTheme"), None)
    for style in styles.iter(q("style")):
        if not sans or style.get(q("styleId")) not in SANS:
            continue
        props = style.find(q("rPr"))
        if props is None:
            props = style.makeelement(q("rPr"), {})
            style.append(props)
        _fonts(props).set(q("eastAsia"), sans)
    for root in parts:
        for run in root.iter(q("r")):
            if EAST_ASIAN.search("".join(t.text or "" for t in run.iter(q("t")))):
                _hint(run)


def _fonts(props):
    """The w:rFonts of a run's properties, made first (after w:rStyle) if it has none."""
    fonts = props.find(q("rFonts"))
    if fonts is None:
        fonts = props.makeelement(q("rFonts"), {})
        style = props.find(q("rStyle"))
        props.insert(0 if style is None else 1, fonts)
    return fonts


def _hint(run) -> None:
    _fonts(run_properties(run)).set(q("hint"), "eastAsia")
