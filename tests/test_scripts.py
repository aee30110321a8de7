"""Scripts beyond Latin (issue 10, item 4): each line of tests/documents/scripts.md prints in
a font the PDF embeds, without an empty box; the DOCX names a font per script; the HTML loads
the same faces; a character no font has is a located warning."""
from __future__ import annotations

import subprocess
import unicodedata
import zipfile

import lxml.etree
import pdfplumber
import pytest
from conftest import DOCUMENTS, make_project, need, run_folio

# Lays out PDFs, starts LibreOffice, Chromium or builds whole reports: the slow tier
pytestmark = pytest.mark.slow

# script → (a line of the source in it, the font that must draw it in the PDF and the DOCX)
SCRIPTS = {
    "Malayalam": ("മലയാളം ഒരു ദ്രാവിഡ ഭാഷയാണ്", "Noto Serif Malayalam"),
    "Devanagari": ("यह वाक्य फ़ोलियो की जाँच", "Noto Serif Devanagari"),
    "Kannada": ("ಈ ವಾಕ್ಯವನ್ನು ಕನ್ನಡದಲ್ಲಿ", "Noto Serif Kannada"),
    "Arabic": ("هذه الجملة مكتوبة باللغة العربية", "Noto Naskh Arabic"),
    "Greek": ("Αυτή η πρόταση γράφτηκε στα ελληνικά", "Liberation Serif"),
    "Cyrillic": ("Это предложение написано по-русски", "Liberation Serif"),
}
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _letters(text: str) -> set[str]:
    return {c for c in text if unicodedata.category(c)[0] in "LM"}


def test_every_script_is_in_the_pdf_in_its_own_embedded_font(documents):
    out, result = documents["scripts"]
    assert not result.reporter.messages, [str(m) for m in result.reporter.messages]
    with pdfplumber.open(out / "scripts.pdf") as pdf:
        chars = [c for page in pdf.pages for c in page.chars]
    assert not [c for c in chars if c["text"].startswith("(cid:")]       # no glyph without a character
    for script, (line, font) in SCRIPTS.items():
        letters = _letters(line) - _letters("abcdefghijklmnopqrstuvwxyz")
        drawn = [c for c in chars if _letters(c["text"]) & letters]    # a glyph may stand for several
        # Shaping merges some marks into one glyph (a ligature): nearly all letters come back
        assert len(letters & _letters("".join(c["text"] for c in drawn))) >= 0.9 * len(letters), script
        fonts = {c["fontname"].split("+", 1)[-1].replace("-", " ") for c in drawn}
        assert fonts and all(f.startswith(font) for f in fonts), (script, fonts)
    listing = subprocess.run([need("pdffonts"), str(out / "scripts.pdf")], capture_output=True, text=True,
                             check=True).stdout.splitlines()[2:]
    for _, font in SCRIPTS.values():
        rows = [r.split() for r in listing if font.replace(" ", "-") in r]
        assert rows and all(r[-5:-3] == ["yes", "yes"] for r in rows), font   # embedded, subset


def test_greek_and_cyrillic_read_back_word_for_word(documents):
    out, _ = documents["scripts"]
    text = " ".join(subprocess.run([need("pdftotext"), str(out / "scripts.pdf"), "-"], capture_output=True,
                                   text=True, check=True).stdout.split())
    for script in ("Greek", "Cyrillic"):
        assert SCRIPTS[script][0] in text, script
    assert "примечание на русском языке" in text                      # in the note too


def test_the_docx_names_a_font_for_each_complex_script(documents):
    out, _ = documents["scripts"]
    with zipfile.ZipFile(out / "scripts.docx") as package:
        body = lxml.etree.fromstring(package.read("word/document.xml"))
    for script, (line, font) in SCRIPTS.items():
        runs = [r for r in body.iter(W + "r") if line.split()[0] in "".join(r.itertext())]
        assert runs, script
        fonts = {f.get(W + "cs") for r in runs for f in r.iter(W + "rFonts")}
        if font == "Liberation Serif":     # Times New Roman has Greek and Cyrillic: no font named
            assert fonts == set(), script
        else:
            assert fonts == {font}, (script, fonts)
            assert (script == "Arabic") == all(r.find(f"{W}rPr/{W}rtl") is not None for r in runs)


def test_the_html_loads_the_fallback_faces(documents):
    chromium = need("chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    out, _ = documents["scripts"]
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page()
            page.goto((out / "html" / "index.html").as_uri())
            faces = page.evaluate("""async () => { await document.fonts.ready;
                return [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family); }""")
        finally:
            browser.close()
    for script, (_, font) in SCRIPTS.items():
        if font != "Liberation Serif":
            assert font in {f.strip('"') for f in faces}, script


def test_a_character_no_font_has_is_a_located_warning_once_per_line(tmp_path):
    text = ("# Chapter\n\nLatin, ελληνικά, русский: every font has them.\n\n"
            "这句话是用中文写的。这句话是用中文写的。\n\n"
            "A second paragraph with 中文 twice: 中文.\n")
    source = make_project(tmp_path, text)
    run = run_folio("check", source)
    glyph = [line for line in run.stderr.splitlines() if line.endswith("[glyph]")]
    assert len(glyph) == 2, run.stderr
    assert glyph[0].startswith(f"{source}:5: warning: no font of the PDF has '这' U+8FD9") or \
        ":5: warning: no font of the PDF has '这' U+8FD9" in glyph[0]
    assert "(Chinese, Japanese, Korean)" in glyph[0] and glyph[0].count("'中'") == 1
    assert ":7: warning:" in glyph[1] and "'中' U+4E2D, '文' U+6587" in glyph[1]
    assert run.returncode == 0


def test_the_scripts_document_checks_clean(documents):
    assert DOCUMENTS.joinpath("scripts.md").is_file()
    _, result = documents["scripts"]
    assert not [m for m in result.reporter.messages if m.kind.value == "glyph"]
