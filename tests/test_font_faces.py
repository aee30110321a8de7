"""The print stylesheets lose the @font-face rules of scripts a document does not use (issue 22:
WeasyPrint loads every face it reads, for every layout), and keep every face the text needs."""
from __future__ import annotations

import re

from conftest import ROOT

from folio.writers.font_faces import text_of, without_unused_faces

PRINT = ROOT / "styles" / "print.css"
URL = PRINT.as_uri()


def _families(css: str) -> list[str]:
    return sorted({m.group(1) for m in re.finditer(r'@font-face\s*\{\s*font-family:\s*"([^"]+)"', css)})


def test_an_english_report_loads_only_its_own_faces():
    css = PRINT.read_text(encoding="utf-8")
    assert len(_families(css)) == 5                               # the sheet as shipped
    lean = without_unused_faces(css, URL, text_of("<p>The Committee met on 3 May – “as agreed”.</p>"))
    assert _families(lean) == ["Liberation Serif"]
    assert lean.count("@font-face") == 4                          # its four styles
    assert lean[lean.index(":root"):] == css[css.index(":root"):]  # nothing else touched


def test_a_script_in_the_text_keeps_its_face_and_only_it():
    css = PRINT.read_text(encoding="utf-8")
    page = "<p>The delegation of India (भारत) and of Karnataka (&#x0C95;&#x0CA8;&#x0CCD;) spoke.</p>"
    assert _families(without_unused_faces(css, URL, text_of(page))) == [
        "Liberation Serif", "Noto Serif Devanagari", "Noto Serif Kannada"]   # an entity counts too
    arabic = without_unused_faces(css, URL, text_of("<p dir=rtl>الأمم المتحدة</p>"))
    assert _families(arabic) == ["Liberation Serif", "Noto Naskh Arabic"]


def test_a_face_named_first_anywhere_is_kept_though_latin_only():
    """A project's own heading face draws only Latin letters, all of which the body face has:
    it is no fallback, and stays."""
    fonts = (ROOT / "styles" / "fonts").as_uri()
    css = (f'@font-face {{ font-family: "Liberation Serif"; src: url({fonts}/LiberationSerif-Regular.ttf); }}\n'
           f'@font-face {{ font-family: "Heading Face"; src: url({fonts}/LiberationSerif-Bold.ttf); }}\n'
           f'@font-face {{ font-family: "Noto Serif Kannada"; src: url({fonts}/NotoSerifKannada-Regular.ttf); }}\n'
           'body { font-family: "Liberation Serif", "Noto Serif Kannada"; }\n')
    others = '<style>h1 { font-family: "Heading Face", serif }</style>'
    lean = without_unused_faces(css, URL, text_of("<h1>Annual report</h1>"), others)
    assert _families(lean) == ["Heading Face", "Liberation Serif"]
    assert _families(without_unused_faces(css, URL, text_of("<h1>Annual report</h1>"))) == ["Liberation Serif"]
