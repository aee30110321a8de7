"""The three editions of a Chinese document, read back (issue 23), with fonts-noto-cjk installed
(.ci/run installs it; without it the PDF is one error: tests/test_cjk_font.py).

PDF: every character drawn in a font that has it, the CJK faces embedded (Simplified forms, not
the Japanese ones fontconfig falls back to); no line starting with 。，、；：？！）」 or ending with
（「 (pdfplumber's character positions); nothing hyphenated; emphasis in the sans face (黑体),
upright, never a sheared serif. Word: the East Asian font and language (w:eastAsia), no italic
anywhere, emphasis and headings in the sans face; LibreOffice opens it and its contents give
LibreOffice's own page numbers."""
from __future__ import annotations

import re
import shutil
import subprocess
import zipfile

import pytest
from conftest import ROOT, make_project, need, run_folio
from lxml import etree
from pdf_glyphs import missing_glyphs, pdf_fonts
from typeset import page_lines

pytestmark = pytest.mark.slow

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CHINESE = ROOT / "tests" / "documents" / "languages" / "zh.md"
CLOSING, OPENING = "。，、；：？！）」", "（「"
EMPHASIS, STRONG = "各国政府", "移民人数"
# Our own text: emphasis, strong emphasis, and sentences dense with the marks of the line rules.
MORE = (f"根据*{EMPHASIS}*提交的资料，**{STRONG}**在过去十年中持续增加。委员会建议各方加强合作，"
        "确保数据的可比性、完整性和及时性；同时，应当注意保护个人信息（包括姓名、出生日期和住址），"
        "并向公众说明「数据来源」与「统计方法」。各国是否已经建立了定期更新的登记制度？"
        "委员会认为：没有可靠的数据，就无法制定有效的政策！")
WORDS = "国际移民组织编制了本报告所列数据按区域列出各政府和民间社会都参与"
STRAIN = "".join(WORDS[:n % len(WORDS) + 1] + CLOSING[n % len(CLOSING)] for n in range(1, 40)) + "".join(
    f"见{OPENING[n % 2]}第{n}段{'）' if n % 2 == 0 else '」'}" for n in range(30))


def q(name: str) -> str:
    return f"{{{W}}}{name}"


@pytest.fixture(scope="module")
def chinese(tmp_path_factory):
    if not shutil.which("fc-list") or not subprocess.run(["fc-list", ":lang=zh"], capture_output=True,
                                                          text=True).stdout.strip():
        need("a CJK font (fonts-noto-cjk)")       # fails in CI, which installs it; skips elsewhere
    where = tmp_path_factory.mktemp("zh")
    source = make_project(where, CHINESE.read_text(encoding="utf-8") + f"\n\n{MORE}\n\n{STRAIN}\n")
    done = run_folio("build", source, cwd=where)
    assert done.returncode == 0, done.stderr
    assert "warning" not in done.stderr, done.stderr
    return where / "build"


def _lines(pdf_path) -> list[str]:
    import pdfplumber
    with pdfplumber.open(pdf_path) as pdf:
        return ["".join(c["text"] for c in line) for page in pdf.pages for line in page_lines(page)]


def test_every_character_has_its_glyph_and_the_cjk_faces_are_embedded(chinese):
    pdf = chinese / "report.pdf"
    assert missing_glyphs(pdf) == []
    fonts = pdf_fonts(pdf)
    assert all(fonts.values()), fonts                       # every font embedded
    assert {"Noto-Serif-CJK-SC", "Noto-Sans-CJK-SC"} <= set(fonts), fonts
    # Simplified forms only: no Japanese (or other) CJK face, no slanted face
    assert not [f for f in fonts if "CJK" in f and "-SC" not in f], fonts
    assert not [f for f in fonts if re.search("Italic|Oblique", f)], fonts


def test_no_line_starts_with_a_closing_mark_or_ends_with_an_opening_one(chinese):
    lines = _lines(chinese / "report.pdf")
    body = [line for line in lines if any(c in line for c in WORDS)]
    joined = "".join(body)
    assert "委员会认为：没有可靠的数据，就无法制定有效的政策！" in joined      # the text read back whole
    assert len(body) > 15, lines                                            # over many lines
    assert [line for line in body if line[0] in CLOSING or line[-1] in OPENING] == [], body


def test_lines_are_justified_between_characters(chinese):
    """Chinese has no word spaces to stretch: every line of a paragraph but its last still ends
    at the right margin (WeasyPrint left them ragged)."""
    import pdfplumber
    ours = (MORE + STRAIN).replace("*", "")
    with pdfplumber.open(chinese / "report.pdf") as pdf:      # the lines of paragraphs 3 and 4
        lines = [line for page in pdf.pages for line in page_lines(page)
                 if re.sub(r"^\d+\.\s*", "", "".join(c["text"] for c in line)).strip() in ours]
    paragraphs: list[list] = []
    for line in lines:
        if re.match(r"\d+\.", "".join(c["text"] for c in line[:3])):
            paragraphs.append([])
        if paragraphs:
            paragraphs[-1].append(line)
    right = max(line[-1]["x1"] for line in lines)
    full = [line for para in paragraphs for line in para[:-1]]
    assert len(paragraphs) == 2 and len(full) > 15, paragraphs
    ragged = ["".join(c["text"] for c in line) for line in full if right - line[-1]["x1"] > 1]
    assert ragged == []


def test_nothing_is_hyphenated(chinese):
    text = subprocess.run([need("pdftotext"), str(chinese / "report.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "\u2010" not in text and "\u00ad" not in text
    assert [line for line in text.splitlines() if re.search(r"[\u4e00-\u9fff]-$", line)] == []


def test_emphasis_is_the_upright_sans_face(chinese):
    import pdfplumber
    with pdfplumber.open(chinese / "report.pdf") as pdf:
        chars = [c for page in pdf.pages for c in page.chars]
    text = "".join(c["text"] for c in chars)

    def faces(word: str) -> set[str]:
        start = text.index(word)
        return {c["fontname"].split("+")[-1] for c in chars[start:start + len(word)]}

    assert faces(EMPHASIS) == {"Noto-Sans-CJK-SC"}            # 黑体, not bold: the emphasis of a 宋体 text
    assert faces(STRONG) == {"Noto-Serif-CJK-SC-Bold"}
    assert faces("委员会建议") == {"Noto-Serif-CJK-SC"}
    start = text.index(EMPHASIS)
    # upright: no shear in the text matrix (a fake italic is a skewed upright face)
    assert all(abs(c["matrix"][2]) < 1e-6 for c in chars[start:start + len(EMPHASIS)])


def _docx(build) -> dict:
    with zipfile.ZipFile(build / "report.docx") as z:
        return {n: etree.fromstring(z.read(n)) for n in z.namelist()
                if re.match(r"word/(document|footnotes|styles|header\d*|footer\d*)\.xml$", n)}


def _fontconfig_families() -> set[str]:
    listed = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout
    return {name for line in listed.splitlines() for name in line.split(",")}


def test_word_has_the_east_asian_font_and_language(chinese):
    parts = _docx(chinese)
    styles = parts["word/styles.xml"]
    defaults = styles.find(f"{q('docDefaults')}/{q('rPrDefault')}/{q('rPr')}")
    font = defaults.find(q("rFonts")).get(q("eastAsia"))
    assert font == "Noto Serif CJK SC" and font in _fontconfig_families()
    assert defaults.find(q("lang")).get(q("eastAsia")) == "zh-CN"
    # nothing overrides them: no other East Asian language, no theme font that would win
    assert {x.get(q("eastAsia")) for x in styles.iter(q("lang"))} == {"zh-CN"}
    assert [x for x in styles.iter(q("rFonts")) if x.get(q("eastAsiaTheme"))] == []
    han = [r for name, part in parts.items() if name != "word/styles.xml" for r in part.iter(q("r"))
           if re.search(r"[\u4e00-\u9fff]", "".join(t.text or "" for t in r.iter(q("t"))))]
    assert len(han) > 20
    assert all(r.find(f"{q('rPr')}/{q('rFonts')}").get(q("hint")) == "eastAsia" for r in han)


def test_word_sets_no_italic_and_emphasis_in_the_sans_face(chinese):
    parts = _docx(chinese)
    styles = parts["word/styles.xml"]
    italic = [s.get(q("styleId")) for s in styles.iter(q("style"))
              if (i := s.find(f"{q('rPr')}/{q('i')}")) is not None and i.get(q("val")) not in ("0", "false")]
    assert italic == []
    assert not any(r.find(f"{q('rPr')}/{q('i')}") is not None for p in parts.values() for r in p.iter(q("r")))
    by_id = {s.get(q("styleId")): s for s in styles.iter(q("style"))}

    def east_asian_font(style_id: str) -> str | None:
        while style_id:
            style = by_id[style_id]
            fonts = style.find(f"{q('rPr')}/{q('rFonts')}")
            if fonts is not None and fonts.get(q("eastAsia")):
                return fonts.get(q("eastAsia"))
            based = style.find(q("basedOn"))
            style_id = based.get(q("val")) if based is not None else None
        return None

    emphasised = [r for r in parts["word/document.xml"].iter(q("r"))
                  if "".join(t.text or "" for t in r.iter(q("t"))) == EMPHASIS]
    assert len(emphasised) == 1
    style = emphasised[0].find(f"{q('rPr')}/{q('rStyle')}").get(q("val"))
    assert east_asian_font(style) == "Noto Sans CJK SC"
    assert east_asian_font("Heading1") == east_asian_font("Heading2") == "Noto Sans CJK SC"
    assert east_asian_font("Normal") is None                   # the body: the defaults' serif


def test_libreoffice_opens_it_and_the_contents_are_its_own_pages(tmp_path, monkeypatch):
    """Built with LibreOffice's layout pass, the contents' page numbers are those LibreOffice
    writes when it updates the contents itself."""
    from test_docx import _lo_contents, _spaced
    monkeypatch.delenv("FOLIO_DOCX_PAGE_NUMBERS", raising=False)
    source = make_project(tmp_path, CHINESE.read_text(encoding="utf-8") + f"\n\n{MORE}\n\n{STRAIN * 6}\n"
                          + "\n# 结论\n\n委员会将在下届会议上审议本报告。\n")
    done = run_folio("build", source, "-f", "docx", "--ignore", "structure", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    found = _lo_contents(tmp_path / "build" / "report.docx")
    assert len(found["before"]) == 5, found               # abbreviations, two chapters, two sections
    assert _spaced(found["after"]) == _spaced(found["before"]), found
    pages = [entry.rsplit("\t", 1)[-1] for entry in _spaced(found["after"])]
    assert pages[1] == "1" and pages[-1] not in ("1", ""), pages      # the conclusion on a later page

