"""`folio import MANUSCRIPT.docx DIR` (issue 20): a Word manuscript becomes a project whose build
has the manuscript's text. The measure: the manuscript's words (read from its XML here, not by
folio) found in order in the built HTML's text, as a share of all of them."""
from __future__ import annotations

import base64
import difflib
import io
import re
import subprocess
import zipfile

import docx
import pytest
from click.testing import CliRunner
from conftest import REPORT, need
from docx.oxml import parse_xml
from lxml import etree, html
from PIL import Image

from folio.cli import main

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (60, 30), (0, 120, 200)).save(buf, "PNG")
    return buf.getvalue()


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert isinstance(result.exception, (SystemExit, type(None))), result.exception  # no traceback
    return result


def manuscript_words(path) -> list[str]:
    """The words of a DOCX's body then its footnotes, straight from the XML."""
    return [word for part in manuscript_parts(path) for word in part]


def manuscript_parts(path) -> list[list[str]]:
    """The words of a DOCX's body, then of each footnote: in a PDF a note is at the foot of its
    page, so only the words within each part keep their order."""
    with zipfile.ZipFile(path) as z:
        body = etree.fromstring(z.read("word/document.xml"))
        notes = etree.fromstring(z.read("word/footnotes.xml")) if "word/footnotes.xml" in z.namelist() else None
    def text(el):
        return "\n".join("".join(t.text or "" for t in p.iter(f"{{{W}}}t")) for p in el.iter(f"{{{W}}}p"))
    return [words(text(body))] + ([words(text(n)) for n in notes.iter(f"{{{W}}}footnote")] if notes is not None else [])


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def html_words(path) -> list[str]:
    return words(" ".join(html.parse(str(path)).getroot().find("body").itertext()))


def coverage(expected: list[str], got: list[str]) -> float:
    """Share of expected's words that got has in the same order (a longest matching subsequence)."""
    matcher = difflib.SequenceMatcher(None, expected, got, autojunk=False)
    return sum(b.size for b in matcher.get_matching_blocks()) / max(len(expected), 1)


def part_coverage(parts: list[list[str]], got: list[str]) -> float:
    """Each part's words in order in got, as a share of all parts' words."""
    found = sum(coverage(part, got) * len(part) for part in parts)
    return found / max(sum(map(len, parts)), 1)


def import_and_build(manuscript, tmp_path, formats="html"):
    project = tmp_path / "project"
    result = run("import", manuscript, project)
    assert result.exit_code == 0, result.output
    built = run("build", project / "source" / "report.md", "-f", formats)
    assert built.exit_code == 0, built.output
    return project, result.output


# ---- a manuscript built with python-docx (fast) --------------------------------------------

def _python_docx_manuscript(path):
    document = docx.Document()
    document.add_paragraph("Soil and rain", style="Title")
    document.add_heading("I. Soils under pressure", 1)
    p = document.add_paragraph("Farmland loses ")
    p.add_run("topsoil").bold = True
    p.add_run(" faster than ")
    p.add_run("it forms").italic = True
    p.add_run(", said [the survey] with *stars* and # signs.")
    document.add_heading("A. Counting the losses", 2)
    document.add_paragraph("Terraces hold the slope", style="List Bullet")
    document.add_paragraph("Cover crops shade the ground", style="List Bullet")
    document.add_paragraph("Survey the fields", style="List Number")
    document.add_paragraph("Publish the map", style="List Number")
    table = document.add_table(rows=2, cols=2)
    for cell, text in zip(table._cells, ["Basin", "Loss", "Niger", "High"], strict=True):
        cell.text = text
    image = io.BytesIO(_png())
    document.add_picture(image)
    document.add_paragraph("Figure 1. Eroded plots in the valley", style="Caption")
    document.add_heading("II. Remedies", 1)
    document.add_paragraph("Mulch and rotation restore the soil.")
    document.save(path)


def test_python_docx_manuscript(tmp_path):
    manuscript = tmp_path / "soil.docx"
    _python_docx_manuscript(manuscript)
    project, _ = import_and_build(manuscript, tmp_path)
    source = (project / "source" / "report.md").read_text()
    assert 'title: "Soil and rain"' in source
    assert "# Soils under pressure {number=I}" in source
    assert "## Counting the losses\n" in source
    assert "**topsoil**" in source and "*it forms*" in source
    assert r"\[the survey\] with \*stars\*" in source
    assert "- Terraces hold the slope\n- Cover crops" in source
    assert "1. Survey the fields\n1. Publish the map" in source
    assert "| Basin | Loss |\n|---|---|\n| Niger | High |" in source
    images = list((project / "source" / "images").iterdir())
    assert len(images) == 1 and images[0].read_bytes() == _png()
    assert f"![Eroded plots in the valley](images/{images[0].name})" in source and "Figure 1" not in source
    page = html.parse(str(project / "build" / "html" / "index.html")).getroot()
    assert page.xpath("//table//td[normalize-space()='Niger']")
    assert page.xpath("//h2[contains(@class, 'chapter')][contains(., 'Soils under pressure')]")
    assert page.xpath("//strong[normalize-space()='topsoil']") and page.xpath("//em[normalize-space()='it forms']")
    assert page.xpath("//ul/li[normalize-space()='Terraces hold the slope']")
    assert page.xpath("//ol/li[normalize-space()='Publish the map']")
    assert page.xpath("//figure[.//img]//figcaption[contains(., 'Eroded plots in the valley')]")
    got = coverage(manuscript_words(manuscript), html_words(project / "build" / "html" / "index.html"))
    print(f"python-docx manuscript → HTML word coverage: {got:.1%}")
    assert got == 1.0


def _body_xml(xml: str):
    return parse_xml(f'<w:p xmlns:w="{W}" xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"'
                     ' xmlns:v="urn:schemas-microsoft-com:vml">' + xml + "</w:p>")


def test_unrepresentable_features_are_located_warnings(tmp_path):
    document = docx.Document()
    document.add_heading("Rivers", 1)
    body = document.element.body
    for xml in ['<w:r><w:t>Kept </w:t></w:r><w:ins w:id="1" w:author="A" w:date="2026-01-01T00:00:00Z">'
                '<w:r><w:t>inserted</w:t></w:r></w:ins><w:del w:id="2" w:author="A" w:date="2026-01-01T00:00:00Z">'
                '<w:r><w:delText>gone</w:delText></w:r></w:del>',
                '<m:oMath><m:r><m:t>x=1</m:t></m:r></m:oMath>',
                '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> DATE </w:instrText></w:r>'
                '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1 May</w:t></w:r>'
                '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
                '<w:r><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>Boxed</w:t></w:r></w:p>'
                '</w:txbxContent></v:textbox></v:shape></w:pict></w:r>']:
        body.insert(len(body) - 1, _body_xml(xml))
    remark = document.add_paragraph("Flow data from gauges.")
    document.add_comment(remark.runs, text="Which gauges?", author="Reviewer")
    manuscript = tmp_path / "rivers.docx"
    document.save(manuscript)
    result = run("import", manuscript, tmp_path / "p")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    for n, says in [(2, "a tracked insertion"), (2, "a tracked deletion"), (3, "an equation"), (4, "a DATE field"),
                    (5, "a text box"), (6, "a comment")]:
        assert any(f"rivers.docx: paragraph {n}, under 'Rivers': warning: {says}" in line for line in lines), says
    source = (tmp_path / "p" / "source" / "report.md").read_text()
    assert "Kept inserted" in source and "gone" not in source and "Boxed" not in source and "1 May" in source
    assert "Flow data from gauges." in source and "Which gauges" not in source


@pytest.mark.parametrize("make, says", [
    (lambda p: p.write_text("just text"), "not a Word document"),
    (lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)), "not a Word document"),
    (lambda p: _bomb(p), "zip bomb"),
    (lambda p: _broken(p), "python-docx can open"),
])
def test_bad_manuscript_is_one_located_error(tmp_path, make, says):
    manuscript = tmp_path / "bad.docx"
    make(manuscript)
    result = run("import", manuscript, tmp_path / "p")
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if ": error: " in line]
    assert len(errors) == 1 and errors[0].startswith(f"{manuscript}: error: ") and says in errors[0]
    assert not (tmp_path / "p").exists()


def _broken(path):
    """A manuscript whose document part is not XML."""
    _python_docx_manuscript(path.with_suffix(".ok"))
    with zipfile.ZipFile(path.with_suffix(".ok")) as good, zipfile.ZipFile(path, "w") as bad:
        for name in good.namelist():
            bad.writestr(name, b"<not xml" if name == "word/document.xml" else good.read(name))


def _bomb(path):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"<a>" + b" " * (20 * 2**20) + b"</a>")


def test_folder_not_empty_is_an_error(tmp_path):
    manuscript = tmp_path / "soil.docx"
    _python_docx_manuscript(manuscript)
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "keep.txt").write_text("mine")
    result = run("import", manuscript, tmp_path / "p")
    assert result.exit_code == 1 and "p: error: the folder exists and is not empty" in result.output
    assert [f.name for f in (tmp_path / "p").iterdir()] == ["keep.txt"]


# ---- LibreOffice's manuscript and folio's own DOCX (slow) ----------------------------------

FODT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:automatic-styles>
 <style:style style:name="B" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>
 <style:style style:name="I" style:family="text"><style:text-properties fo:font-style="italic"/></style:style>
 <text:list-style style:name="Num"><text:list-level-style-number text:level="1" style:num-format="1"
  style:num-suffix="."/></text:list-style>
 <text:list-style style:name="Bul"><text:list-level-style-bullet text:level="1" text:bullet-char="•"/>
 </text:list-style>
</office:automatic-styles>
<office:body><office:text>
<text:p text:style-name="Title">Water for the drylands</text:p>
<text:h text:outline-level="1">I. Why aquifers matter</text:h>
<text:p>Groundwater feeds <text:span text:style-name="B">two billion</text:span> people and
<text:span text:style-name="I">most irrigated farms</text:span> in the drylands.<text:note
text:note-class="footnote"><text:note-body><text:p>Estimate for the year 2021, rounded.</text:p></text:note-body>
</text:note> Wells run deeper each decade.</text:p>
<text:h text:outline-level="2">A. Measuring the decline</text:h>
<text:p>Satellites weigh the water [quietly] with *gravity* and 50% fewer stations.</text:p>
<text:list text:style-name="Bul"><text:list-item><text:p>Gravity surveys from orbit</text:p></text:list-item>
<text:list-item><text:p>Borehole logs kept by farmers</text:p></text:list-item></text:list>
<text:p>Three steps follow.</text:p>
<text:list text:style-name="Num"><text:list-item><text:p>Map the basins</text:p></text:list-item>
<text:list-item><text:p>Price the pumping</text:p></text:list-item></text:list>
<table:table table:name="T1"><table:table-column table:number-columns-repeated="2"/>
<table:table-row><table:table-cell><text:p>Region</text:p></table:table-cell>
<table:table-cell><text:p>Decline</text:p></table:table-cell></table:table-row>
<table:table-row><table:table-cell><text:p>Sahel</text:p></table:table-cell>
<table:table-cell><text:p>Moderate</text:p></table:table-cell></table:table-row>
</table:table>
<text:h text:outline-level="1">II. What cities can do</text:h>
<text:p><draw:frame draw:name="Map" text:anchor-type="as-char" svg:width="3cm" svg:height="1.5cm"><draw:image>
<office:binary-data>PNG</office:binary-data></draw:image></draw:frame></text:p>
<text:p>Recharge basins refill aquifers after storms.<text:note text:note-class="footnote"><text:note-body>
<text:p>Pilot schemes in two coastal cities.</text:p></text:note-body></text:note></text:p>
</office:text></office:body></office:document>"""


def _soffice_docx(tmp_path):
    soffice = need("soffice")
    fodt = tmp_path / "water.fodt"
    fodt.write_text(FODT.replace("PNG", base64.b64encode(_png()).decode()))
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to",
                    "docx", "--outdir", str(tmp_path), str(fodt)], check=True, capture_output=True, timeout=180)
    return tmp_path / "water.docx"


@pytest.mark.slow
def test_libreoffice_manuscript(tmp_path):
    manuscript = _soffice_docx(tmp_path)
    project, _ = import_and_build(manuscript, tmp_path, "html,pdf")
    source = (project / "source" / "report.md").read_text()
    assert "# Why aquifers matter {number=I}" in source and "## Measuring the decline" in source
    assert "[^1]: Estimate for the year 2021, rounded." in source
    assert "- Gravity surveys from orbit" in source and "1. Price the pumping" in source
    assert "| Sahel | Moderate |" in source and "![](images/" in source
    expected = manuscript_words(manuscript)
    got = coverage(expected, html_words(project / "build" / "html" / "index.html"))
    pdf = subprocess.run([need("pdftotext"), "-layout", str(project / "build" / "report.pdf"), "-"],
                         capture_output=True, text=True, check=True).stdout
    in_pdf = part_coverage(manuscript_parts(manuscript), words(pdf))
    print(f"LibreOffice manuscript ({len(expected)} words) → HTML coverage {got:.1%}, PDF coverage {in_pdf:.1%}")
    assert got == 1.0
    assert in_pdf == 1.0


@pytest.mark.slow
def test_folio_docx_round_trip(tmp_path):
    """The seed report's own DOCX imported and rebuilt: the two HTML editions' texts compared."""
    first = tmp_path / "first"
    built = run("build", REPORT, "-f", "docx,html", "--out", first)
    assert built.exit_code == 0, built.output
    project, output = import_and_build(first / "report.docx", tmp_path)
    original = html_words(first / "html" / "index.html")
    again = html_words(project / "build" / "html" / "index.html")
    got = coverage(original, again)
    print(f"seed report HTML ({len(original)} words) → its DOCX → import → HTML: coverage {got:.1%}")
    assert got >= 0.95


def test_headers_that_change_by_section_are_warned(tmp_path):
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Part one"
    document.add_heading("Deltas", 1)
    document.add_paragraph("Silt builds the land.")
    section = document.add_section()
    section.header.is_linked_to_previous = False
    section.header.paragraphs[0].text = "Part two"
    document.add_paragraph("Dams starve the delta.")
    manuscript = tmp_path / "deltas.docx"
    document.save(manuscript)
    result = run("import", manuscript, tmp_path / "p")
    assert result.exit_code == 0
    assert f"{manuscript}: warning: 2 sections with their own headers or footers" in result.output
    source = (tmp_path / "p" / "source" / "report.md").read_text()
    assert "Silt builds the land.\n\nDams starve the delta." in source and "Part two" not in source
