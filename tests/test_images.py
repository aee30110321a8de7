"""Files from outside and files that lie: images are images by their content, wherever they are
(footnotes too), SVG reaches Word as Word expects it, a reference document gives only its styles,
and links in the PDF name no folder of the build machine."""
from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import zipfile

import pytest
from conftest import ROOT, build_here, make_project, need

# Lays out PDFs, starts LibreOffice, Chromium or builds whole reports: the slow tier
pytestmark = pytest.mark.slow

CHART = ROOT / "tests" / "showcase" / "images" / "chart.png"
ATTACHED_TEMPLATE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"
SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60" viewBox="0 0 120 60">'
       '<rect width="120" height="60" fill="#00ff00"/></svg>')


def _folio(*args) -> subprocess.CompletedProcess:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1487289600"}
    return subprocess.run([sys.executable, "-m", "folio", *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def _errors(source, formats: str) -> str:
    """The error lines of a build of source that must fail, as `folio build` prints them. Built in
    this process (a library exception fails the test as a traceback would): a new process for
    each of these cases cost more than the build, which stops before any layout."""
    return "\n".join(map(str, build_here(source, formats, ok=False).reporter.errors))


def _project(tmp_path, text: str, images: dict):
    source = make_project(tmp_path, text)
    (source.parent / "images").mkdir()
    for name, data in images.items():
        (source.parent / "images" / name).write_bytes(data if isinstance(data, bytes) else data.encode())
    return source


def _bomb() -> bytes:
    from PIL import Image
    buffer = io.BytesIO()
    Image.new("1", (9000, 9000)).save(buffer, "PNG")       # 81 megapixels in a few kilobytes
    return buffer.getvalue()


# ---- images in footnotes ------------------------------------------------------------------

def test_an_image_in_a_footnote_is_in_every_edition(tmp_path):
    source = _project(tmp_path, "# Chapter\n\nText.[^n]\n\n[^n]: See the chart ![Chart](images/chart.png).\n",
                      {"chart.png": CHART.read_bytes()})
    run = _folio("build", source, "-f", "html,pdf,docx")
    assert run.returncode == 0, run.stderr
    build = tmp_path / "build"

    import lxml.html
    page = lxml.html.parse(str(build / "html" / "index.html")).getroot()
    [img] = page.xpath("//*[@id='fn-n']//img")
    assert (build / "html" / img.get("src")).read_bytes() == CHART.read_bytes()

    import pdfplumber
    with pdfplumber.open(build / "report.pdf") as pdf:
        [page] = [p for p in pdf.pages if "See the chart" in (p.extract_text() or "")]
        assert page.images, "the note's image is on the page of the note"

    with zipfile.ZipFile(build / "report.docx") as docx_zip:
        notes = docx_zip.read("word/footnotes.xml").decode()
        rels = docx_zip.read("word/_rels/footnotes.xml.rels").decode()
        [rid] = re.findall(r'<a:blip r:embed="(rId\d+)"', notes)
        [target] = re.findall(rf'Id="{rid}" Type="[^"]+/image" Target="([^"]+)"', rels)
        assert docx_zip.read("word/" + target) == CHART.read_bytes()


# ---- damaged, hostile and not-images ------------------------------------------------------

@pytest.mark.parametrize("fmt", ["html", "pdf", "docx"])
@pytest.mark.parametrize("name, data, says", [
    ("corrupt.png", CHART.read_bytes()[:3000], "is a damaged PNG file"),
    ("bomb.png", None, "pixels; folio takes images of up to 50,000,000 pixels"),
    ("secret.png", "API_KEY=123\n", "is not an image: its content is not PNG, JPEG, GIF or SVG"),
    ("entities.svg", '<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>',
     "declares entities"),
    ("fetching.svg", '<svg xmlns="http://www.w3.org/2000/svg"><image href="http://127.0.0.1:9/x.png"/></svg>',
     "refers to 'http://127.0.0.1:9/x.png'; folio takes only SVG that is self-contained"),
])
def test_a_bad_image_is_a_located_error_in_every_format(tmp_path, fmt, name, data, says):
    source = _project(tmp_path, f"# Chapter\n\nText.\n\n![Figure](images/{name})\n",
                      {name: _bomb() if data is None else data})
    errors = _errors(source, fmt)
    assert re.search(rf"source/report.md:5: error: image 'images/{re.escape(name)}' [^\n]*{re.escape(says)}",
                     errors), errors
    assert not (tmp_path / "build" / "html" / "images").exists()
    assert not (tmp_path / "build" / "report.pdf").exists() and not (tmp_path / "build" / "report.docx").exists()


def test_a_truncated_image_is_refused_even_once_weasyprint_is_imported(tmp_path):
    """WeasyPrint sets Pillow's process-wide LOAD_TRUNCATED_IMAGES when imported; the check
    must not inherit it (the PDF writer's process imports WeasyPrint before it checks images)."""
    import weasyprint  # noqa: F401
    from PIL import ImageFile

    from folio.images import inspect_image
    assert ImageFile.LOAD_TRUNCATED_IMAGES                       # what WeasyPrint did
    cut = tmp_path / "cut.png"
    cut.write_bytes(CHART.read_bytes()[:3000])
    assert inspect_image(cut) == "is a damaged PNG file (image file is truncated)"
    assert ImageFile.LOAD_TRUNCATED_IMAGES                       # and left as WeasyPrint wants it


@pytest.mark.parametrize("src", ["../.env", "../.git/config", "%2e%2e/.env"])
def test_a_file_of_the_project_that_is_no_image_is_not_copied(tmp_path, src):
    source = make_project(tmp_path, f"# Chapter\n\n![x]({src})\n")
    (tmp_path / ".env").write_text("SECRET=1\n")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text("[remote]\nurl = https://token@example.org\n")
    assert f"error: image '{src}' is not an image" in _errors(source, "html,pdf,docx")
    copies = list((tmp_path / "build").rglob("*"))
    assert not [p for p in copies if p.is_file() and b"SECRET" in p.read_bytes()]


@pytest.mark.parametrize("src, says", [
    ("images/%00.png", "is not a usable file name"),
    ("images/a%0Ab.png", "is not a usable file name"),
    ("images/" + "x" * 300 + ".png", "cannot be found (File name too long)"),
    ("/etc/passwd", "lies outside the project"),
    ("images", "is not a regular file"),
])
def test_odd_image_paths_are_located_errors(tmp_path, src, says):
    source = _project(tmp_path, f"# Chapter\n\n![x]({src})\n", {"chart.png": CHART.read_bytes()})
    assert f"source/report.md:3: error: image '{src}' {says}" in _errors(source, "html,docx")


# ---- SVG ---------------------------------------------------------------------------------

def test_an_svg_reaches_word_as_word_inserts_one(tmp_path):
    """The picture's blip is a PNG (what older readers show) and names the SVG part in the
    Office 2016 svgBlip extension (what Word shows); LibreOffice draws it."""
    source = _project(tmp_path, "# Chapter\n\n![Green](images/green.svg){#fig-g}\n", {"green.svg": SVG})
    run = _folio("build", source, "-f", "html,pdf,docx")
    assert run.returncode == 0, run.stderr
    docx_path = tmp_path / "build" / "report.docx"
    with zipfile.ZipFile(docx_path) as package:
        body = package.read("word/document.xml").decode()
        rels = package.read("word/_rels/document.xml.rels").decode()
        types = package.read("[Content_Types].xml").decode()
        png_rid, svg_rid = re.search(r'<a:blip r:embed="(rId\d+)"><a:extLst><a:ext uri="\{96DAC541-7B7A-43D3-8B79-'
                                     r'37D633B846F1\}"><asvg:svgBlip [^>]*r:embed="(rId\d+)"', body).groups()
        png = package.read("word/" + re.search(rf'Id="{png_rid}"[^>]*Target="([^"]+)"', rels).group(1))
        svg = package.read("word/" + re.search(rf'Id="{svg_rid}"[^>]*Target="([^"]+)"', rels).group(1))
    assert svg.decode() == SVG
    assert re.search(r'Extension="svg" ContentType="image/svg\+xml"|PartName="/word/media/[^"]+\.svg" '
                     r'ContentType="image/svg\+xml"', types)
    from PIL import Image
    fallback = Image.open(io.BytesIO(png)).convert("RGBA")
    assert fallback.size == (240, 120)                           # twice the SVG's size
    assert fallback.getpixel((120, 60)) == (0, 255, 0, 255)
    assert re.search(r'<wp:extent cx="1143000" cy="571500"/>', body)  # shown at the SVG's own size

    import docx
    assert len(docx.Document(str(docx_path)).inline_shapes) == 1
    soffice = need("soffice")
    out = tmp_path / "lo"
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "pdf", "--outdir", str(out), str(docx_path)],
                   capture_output=True, timeout=180, check=True)
    pdftoppm = need("pdftoppm")
    subprocess.run([pdftoppm, "-png", "-r", "40", str(out / "report.pdf"), str(out / "page")], check=True)
    greens = [p for p in sorted(out.glob("page*.png")) if _has_green(p)]
    assert greens, "LibreOffice shows the picture"


def test_an_svg_in_the_html_and_the_pdf(tmp_path):
    source = _project(tmp_path, "# Chapter\n\n![Green](images/green.svg)\n", {"green.svg": SVG})
    assert _folio("build", source, "-f", "html,pdf").returncode == 0
    html = (tmp_path / "build" / "html" / "index.html").read_text(encoding="utf-8")
    [name] = re.findall(r'src="images/(green-[0-9a-f]{10}\.svg)"', html)
    assert (tmp_path / "build" / "html" / "images" / name).read_text() == SVG
    pdftoppm = need("pdftoppm")
    subprocess.run([pdftoppm, "-png", "-r", "40", str(tmp_path / "build" / "report.pdf"), str(tmp_path / "p")],
                   check=True)
    assert any(_has_green(p) for p in tmp_path.glob("p*.png"))


def _has_green(png) -> bool:
    from PIL import Image
    colors = Image.open(png).convert("RGB").getcolors(1 << 24)
    return any(g > 200 and r < 60 and b < 60 for _, (r, g, b) in colors)


def test_a_refused_fetch_inside_an_svg_is_reported_by_the_pdf_writer(tmp_path):
    """If an SVG ever names a file folio did not check (here: print HTML rendered directly),
    WeasyPrint's fetch of it, made when the page is drawn, not laid out, is refused and
    reported as a located error (it was lost: folio looked for refusals after the layout)."""
    from folio.diagnostics import FolioError, Reporter
    from folio.project import Project
    from folio.writers.pdf import draw, render
    source = make_project(tmp_path, "# C\n\nText.\n")
    svg = tmp_path / "source" / "outside.svg"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
                   '<image href="file:///etc/hostname" width="10" height="10"/></svg>')
    reporter, project = Reporter(), Project.for_source(source)
    document = render(f'<html><body><img src="{svg.as_uri()}"></body></html>', project, reporter)
    assert not reporter.messages                  # laid out: the SVG has fetched nothing yet
    with pytest.raises(FolioError):
        draw(document, project, reporter)
    assert [str(m) for m in reporter.errors] == ["source/report.md: error: refused to fetch 'file:///etc/hostname':"
                                                 " only files inside the project are read [file]"]


# ---- the reference document -----------------------------------------------------------------

def _hostile_reference(path) -> None:
    """folio's own DOCX as a reference document, then given what a house template may carry:
    an attached template on a web server, an OLE object linked to a local spreadsheet, custom XML,
    custom properties and a distinctive Normal font."""
    import docx
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    where = path.parent / "made"
    where.mkdir()
    made = make_project(where, "# Chapter\n\nText.\n")
    assert _folio("build", made, "-f", "docx").returncode == 0
    document = docx.Document(str(where / "build" / "report.docx"))
    document.styles["Normal"].font.name = "Garamond"
    settings = document.part._settings_part
    rid = settings.relate_to("http://template.example.org/house.dotm", ATTACHED_TEMPLATE, is_external=True)
    settings.element.append(parse_xml(f'<w:attachedTemplate {nsdecls("w", "r")} r:id="{rid}"/>'))
    ole = document.part.relate_to("file:///C:/Finance/budget.xlsx", RT.OLE_OBJECT, is_external=True)
    document.element.body.append(parse_xml(
        f'<w:p {nsdecls("w", "r")} xmlns:o="urn:schemas-microsoft-com:office:office"><w:r><w:object>'
        f'<o:OLEObject Type="Link" ProgID="Excel.Sheet.12" r:id="{ole}" UpdateMode="Always"/></w:object></w:r></w:p>'))
    package = document.part.package
    custom_xml = Part(PackURI("/customXml/item9.xml"), "application/xml", b"<secret>house data</secret>", package)
    document.part.relate_to(custom_xml, RT.CUSTOM_XML)
    props = Part(PackURI("/docProps/custom.xml"), CT.OFC_CUSTOM_PROPERTIES,
                 b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties">'
                 b'<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Client">'
                 b'<vt:lpwstr xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
                 b'ACME</vt:lpwstr></property></Properties>', package)
    package.relate_to(props, RT.CUSTOM_PROPERTIES)
    document.save(str(path))
    import shutil
    shutil.rmtree(where)


def test_a_reference_document_gives_only_its_styles(tmp_path):
    source = make_project(tmp_path, "---\nreference-doc: house.docx\n---\n\n# Chapter\n\n"
                                    "See [the UN](https://www.un.org/) and A/RES/70/1.\n")
    _hostile_reference(tmp_path / "styles" / "house.docx")
    with zipfile.ZipFile(tmp_path / "styles" / "house.docx") as reference:     # the test's own check
        assert "house.dotm" in reference.read("word/_rels/settings.xml.rels").decode()
    run = _folio("build", source, "-f", "docx")
    assert run.returncode == 0, run.stderr
    with zipfile.ZipFile(tmp_path / "build" / "report.docx") as package:
        names = package.namelist()
        external = []
        for name in [n for n in names if n.endswith(".rels")]:
            rels = package.read(name).decode()
            external += re.findall(r'<Relationship [^>]*TargetMode="External"[^>]*/>', rels)
        settings = package.read("word/settings.xml").decode()
        styles = package.read("word/styles.xml").decode()
        document = package.read("word/document.xml").decode()
        custom = {n: package.read(n) for n in names if n.startswith("customXml/item") and "Props" not in n}
    assert external and all("/relationships/hyperlink" in r for r in external), external
    assert {re.search(r'Target="([^"]+)"', r).group(1) for r in external} == {
        "https://www.un.org/", "https://undocs.org/A/RES/70/1"}
    # The only custom XML is folio's own source map (one item); the reference's is gone.
    assert "docProps/custom.xml" not in names
    assert len(custom) == 1 and all(b"house data" not in blob and b"folio" in blob for blob in custom.values())
    assert "attachedTemplate" not in settings and "OLEObject" not in document
    assert 'w:ascii="Garamond"' in styles                    # the styles themselves did come


@pytest.mark.parametrize("named, says", [
    ("/etc/passwd", "'reference-doc' must name a file in styles/ (no absolute path, no '..')"),
    ("../../../etc/passwd", "'reference-doc' must name a file in styles/ (no absolute path, no '..')"),
    ("link.docx", "reference document 'styles/link.docx' lies outside the project"),
    ("notzip.docx", "reference document 'styles/notzip.docx' is not a Word file"),
    ("missing.docx", "reference document 'styles/missing.docx' not found"),
])
def test_a_reference_document_from_outside_is_refused(tmp_path, named, says):
    source = make_project(tmp_path / "p", f"---\nreference-doc: {named}\n---\n\n# Chapter\n\nText.\n")
    (tmp_path / "outside.docx").write_bytes(b"PK")
    (tmp_path / "p" / "styles" / "link.docx").symlink_to(tmp_path / "outside.docx")
    (tmp_path / "p" / "styles" / "notzip.docx").write_text("not a zip")
    run = _folio("build", source, "-f", "docx")
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert says in run.stderr
    assert re.search(r"source/report.md:\d+: error: ", run.stderr)


# ---- links in the PDF ----------------------------------------------------------------------

def test_links_to_local_files_in_the_pdf_name_no_folder_of_the_build_machine(tmp_path):
    source = make_project(tmp_path, "# Chapter\n\nSee [the annex](annex/tables.pdf#page=2), [the web]"
                                    "(https://www.un.org/) and [a sibling](../other%20report.pdf).\n")
    assert _folio("build", source, "-f", "pdf").returncode == 0
    import pikepdf
    with pikepdf.open(tmp_path / "build" / "report.pdf") as pdf:
        uris = [str(a.A.URI) for page in pdf.pages for a in page.get("/Annots", []) if "/A" in a and "/URI" in a.A]
    assert "annex/tables.pdf#page=2" in uris and "https://www.un.org/" in uris
    assert "../other%20report.pdf" in uris
    assert not [u for u in uris if u.startswith("file:") or str(tmp_path) in u]
