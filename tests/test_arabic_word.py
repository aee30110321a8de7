"""Arabic in Word: what python-docx cannot write, read back from the DOCX's XML. Tables laid out
from the right (w:bidiVisual), sections right to left (w:bidi), every run of Arabic text and the
marks between right to left (w:rtl) while a Latin name keeps its order, bold and italic for
complex-script text (w:bCs, w:iCs), the complex-script font and language; headings numbered as
UN Arabic documents number them ("أولاً - مقدمة", "ألف - الولاية")."""
from __future__ import annotations

import re
import zipfile

import pytest
from conftest import run_folio
from lxml import etree
from lxml import html as lhtml
from test_versions import build_version, versions_project

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def q(name: str) -> str:
    return f"{{{W}}}{name}"


@pytest.fixture(scope="module")
def arabic(tmp_path_factory):
    where = tmp_path_factory.mktemp("arabic")
    with zipfile.ZipFile(build_version(where, "ar", "docx,html") / "report.docx") as z:
        parts = {n: etree.fromstring(z.read(n)) for n in z.namelist()
                 if re.match(r"word/(document|footnotes|styles)\.xml$", n)}
    return where, parts


def _text(run) -> str:
    return "".join(t.text or "" for t in run.iter(q("t")))


def test_tables_and_sections_run_right_to_left(arabic):
    _, parts = arabic
    body = parts["word/document.xml"]
    tables = body.findall(".//w:tbl/w:tblPr", NS)
    assert len(tables) == 2                                   # the abbreviations and table 1
    for props in tables:
        names = [etree.QName(c).localname for c in props]
        assert "bidiVisual" in names, names
        assert names.index("bidiVisual") < names.index("tblW")   # the schema's order: Word refuses another
    sections = body.findall(".//w:sectPr", NS)
    assert sections and all(s.find("w:bidi", NS) is not None for s in sections)
    for section in sections:
        names = [etree.QName(c).localname for c in section]
        assert names.index("bidi") < names.index("docGrid"), names


def test_arabic_runs_are_right_to_left_and_a_latin_name_is_not(arabic):
    _, parts = arabic
    runs = [r for name in ("word/document.xml", "word/footnotes.xml") for r in parts[name].iter(q("r"))
            if _text(r).strip()]
    arabic_runs = [r for r in runs if re.search("[\u0600-\u06ff]", _text(r))]
    assert arabic_runs and all(r.find("w:rPr/w:rtl", NS) is not None for r in arabic_runs), \
        [_text(r) for r in arabic_runs if r.find("w:rPr/w:rtl", NS) is None]
    latin = [r for r in runs if _text(r).strip() in ("IOM", "A/TEST/2")]
    assert latin and all(r.find("w:rPr/w:rtl", NS) is None for r in latin)
    note = [r for r in parts["word/footnotes.xml"].iter(q("r")) if "مقرّبة" in _text(r)]
    assert note and note[0].find("w:rPr/w:rtl", NS) is not None


def test_bold_and_italic_reach_complex_script_text(arabic):
    _, parts = arabic
    body, styles = parts["word/document.xml"], parts["word/styles.xml"]
    strong = [r for r in body.iter(q("r")) if "الممرات" in _text(r)]
    emph = [r for r in body.iter(q("r")) if "أساساً" in _text(r)]
    assert strong and emph

    def style_props(run):
        sid = run.find("w:rPr/w:rStyle", NS).get(q("val"))
        return styles.find(f".//w:style[@w:styleId='{sid}']/w:rPr", NS)
    bold, italic = style_props(strong[0]), style_props(emph[0])
    assert bold.find("w:b", NS) is not None and bold.find("w:bCs", NS) is not None
    assert italic.find("w:i", NS) is not None and italic.find("w:iCs", NS) is not None
    for props in styles.iter(q("rPr")):                        # every bold style, the headings' too
        names = [etree.QName(c).localname for c in props]
        if "b" in names:
            assert names.index("bCs") == names.index("b") + 1, names


def test_the_complex_script_font_and_language(arabic):
    _, parts = arabic
    defaults = parts["word/styles.xml"].find("w:docDefaults/w:rPrDefault/w:rPr", NS)
    assert defaults.find("w:rFonts", NS).get(q("cs")) == "Noto Naskh Arabic"
    assert defaults.find("w:lang", NS).get(q("bidi")) == "ar-SA"
    assert parts["word/styles.xml"].find("w:docDefaults/w:pPrDefault/w:pPr/w:bidi", NS) is not None


def test_headings_are_numbered_the_un_arabic_way(arabic):
    where, parts = arabic
    body = parts["word/document.xml"]
    headings = {level: ["".join(t.text or "" for t in p.iter(q("t")))
                        for p in body.xpath(f"//w:p[w:pPr/w:pStyle/@w:val='Heading{level}']", namespaces=NS)]
                for level in (1, 2)}
    assert headings == {1: ["أولاً -مقدمة", "ثانياً -الاستنتاجات"], 2: ["ألف -الولاية", "باء -البيانات"]}, headings
    tabs = body.xpath("//w:p[w:pPr/w:pStyle/@w:val='Heading1']//w:r[w:t='أولاً']/following-sibling::w:r[1]",
                      namespaces=NS)
    assert tabs and tabs[0].find("w:tab", NS) is not None       # "أولاً -" then a tab, then the title
    page = lhtml.parse(str(where / "build" / "ar" / "html" / "index.html")).getroot()
    numbers = [n.text_content() for n in page.xpath("//main//span[@class='number']")]
    assert numbers[:3] == ["أولاً - ", "ألف - ", "باء - "], numbers
    contents = [n.text_content() for n in page.xpath("//nav//span[@class='number']")]
    assert "أولاً - " in contents, contents


def test_an_english_document_has_none_of_it(tmp_path):
    source = versions_project(tmp_path)
    assert run_folio("build", source, "-f", "docx", cwd=tmp_path).returncode == 0
    with zipfile.ZipFile(tmp_path / "build" / "report.docx") as z:
        xml = z.read("word/document.xml") + z.read("word/styles.xml")
    assert b"bidiVisual" not in xml and b"<w:rtl/>" not in xml and b"<w:bidi/>" not in xml


def test_paragraphs_are_numbered_the_un_arabic_way(arabic):
    """UN Arabic documents number paragraphs "1 -", as their headings "أولاً -" (the locale's
    paragraph mark), not "1.": in Word the number, the mark, a tab; on the web the same."""
    where, parts = arabic
    body = parts["word/document.xml"]
    numbered = body.xpath("//w:p[w:pPr/w:pStyle/@w:val='NumberedParagraph']", namespaces=NS)
    leads = ["".join(t.text or "" for t in p.iter(q("t")))[:3] for p in numbered]
    assert leads == ["1 -", "2 -", "3 -", "4 -", "5 -"], leads
    for p in numbered:
        mark = p.xpath(".//w:r[w:t=' -']", namespaces=NS)
        assert mark and mark[0].find("w:tab", NS) is not None, etree.tostring(mark[0]) if mark else p
    page = lhtml.parse(str(where / "build" / "ar" / "html" / "index.html")).getroot()
    numbers = [n.text_content() for n in page.xpath("//main//span[@class='para-number']")]
    assert numbers == ["1 - ", "2 - ", "3 - ", "4 - ", "5 - "], numbers
