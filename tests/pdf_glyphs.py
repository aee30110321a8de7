"""Which font draws each character of a PDF, and whether that font has the character: a
character drawn in a font without it is an empty box (WeasyPrint draws it in the first font of
the list, which has no glyph for it), whatever the PDF's text layer says.

The fonts are found by name among folio's own (styles/fonts/) and those fontconfig lists."""
from __future__ import annotations

import shutil
import subprocess
import unicodedata
from functools import lru_cache
from pathlib import Path

from conftest import ROOT


def pdf_fonts(path: Path) -> dict[str, bool]:
    """{base font name without its subset tag: whether its program is embedded} of every font
    the PDF's pages use."""
    from pypdf import PdfReader

    out: dict[str, bool] = {}
    for page in PdfReader(str(path)).pages:
        resources = page.get("/Resources")
        fonts = resources.get_object().get("/Font") if resources else None
        for ref in (fonts.get_object().values() if fonts else ()):
            font = ref.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants.get_object()[0].get_object() if descendants else font
            descriptor = target.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            out[_name(str(font.get("/BaseFont", "")))] = any(
                key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
    return out


def missing_glyphs(path: Path) -> list[tuple[str, str]]:
    """(character, font name) for every character drawn in a font that has no glyph for it;
    a font found nowhere counts as having none."""
    import pdfplumber

    found = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            for char in page.chars:
                text, font = char["text"], _name(char["fontname"])
                if len(text) != 1 or unicodedata.category(text) in ("Zs", "Cc", "Cf"):
                    continue
                if ord(text) not in _characters(font):
                    found.append((text, font))
    return list(dict.fromkeys(found))


def _name(base: str) -> str:
    """'/ABCDEF+Noto-Serif-CJK-SC-Bold' → 'Noto-Serif-CJK-SC-Bold'."""
    return base.lstrip("/").split("+")[-1]


@lru_cache(maxsize=1)
def _faces() -> dict[str, tuple[str, int]]:
    """{name as WeasyPrint writes it (family and style, spaces as hyphens, no "Regular"): its
    file and index} for folio's fonts and every font fontconfig lists."""
    from fontTools.ttLib import TTFont

    faces = [(str(p), 0) for p in (ROOT / "styles" / "fonts").glob("*.ttf")]
    fc_list = shutil.which("fc-list")
    if fc_list:
        listed = subprocess.run([fc_list, "-f", "%{file}|%{index}\n"], capture_output=True, text=True).stdout
        faces += [(f, int(i or 0)) for f, _, i in (line.partition("|") for line in listed.splitlines())
                  if f.endswith((".ttf", ".otf", ".ttc"))]
    out: dict[str, tuple[str, int]] = {}
    for file, index in faces:
        try:
            names = TTFont(file, fontNumber=index, lazy=True)["name"]
        except Exception:  # noqa: BLE001 (a font fontTools cannot read is one the test cannot vouch for)
            continue
        family = str(names.getDebugName(16) or names.getDebugName(1))
        style = str(names.getDebugName(17) or names.getDebugName(2))
        out.setdefault("-".join([family] + ([style] if style != "Regular" else [])).replace(" ", "-"),
                       (file, index))
    return out


@lru_cache(maxsize=32)
def _characters(font: str) -> frozenset[int]:
    """The characters of the font of that name; none if no font has the name."""
    from fontTools.ttLib import TTFont

    if font not in _faces():
        return frozenset()
    file, index = _faces()[font]
    return frozenset(TTFont(file, fontNumber=index, lazy=True).getBestCmap() or {})
