"""The Word edition, read back: python-docx, the package's XML, and LibreOffice's rendering."""
from __future__ import annotations

import posixpath
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import REPORT, ROOT, SHOWCASE, build_into, need
from lxml import etree
from seed_text import headings, normalise, seed_paragraphs

from folio import model as m
from folio.build import build, load
from folio.diagnostics import Kind, Reporter
from folio.model.walk import document_inline_lists, iter_inlines
from folio.project import Project

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"w": W, "r": R}


def q(tag: str) -> str:
    return f"{{{W}}}{tag}"


class Package:
    """A built .docx opened as XML parts."""

    def __init__(self, path: Path):
        self.path = path
        self.zip = zipfile.ZipFile(path)
        self.document = self.xml("word/document.xml")
        self.styles = self.xml("word/styles.xml")
        self.style_names = {s.get(q("styleId")): s.find("w:name", NS).get(q("val"))
                            for s in self.styles.iterfind("w:style", NS)}

    def xml(self, name: str):
        return etree.fromstring(self.zip.read(name))

    def part_for(self, reltype_suffix: str):
        rels = self.xml("word/_rels/document.xml.rels")
        for rel in rels:
            if rel.get("Type").endswith("/" + reltype_suffix):
                return self.xml("word/" + rel.get("Target"))
        return None

    def style_of(self, p) -> str:
        node = p.find("w:pPr/w:pStyle", NS)
        return self.style_names.get(node.get(q("val")), "") if node is not None else ""

    def paragraphs(self, root=None):
        return (root if root is not None else self.document).iter(q("p"))

    def bookmarks(self) -> dict[str, etree._Element]:
        found = {}
        for part in [self.document, self.part_for("footnotes")]:
            for b in part.iter(q("bookmarkStart")):
                found[b.get(q("name"))] = b
        return found


def text(node) -> str:
    """Visible text: w:t, tabs as spaces; field instructions are not text."""
    out = []
    for el in node.iter(q("t"), q("tab"), q("br")):
        out.append(el.text or "" if el.tag == q("t") else " ")
    return "".join(out)


def fields(root):
    """(instruction, result text) of every complex field closed inside root, in order."""
    found, stack = [], []
    for r in root.iter(q("r")):
        char = r.find("w:fldChar", NS)
        if char is not None:
            kind = char.get(q("fldCharType"))
            if kind == "begin":
                stack.append({"instr": "", "result": "", "sep": False})
            elif kind == "separate" and stack:
                stack[-1]["sep"] = True
            elif kind == "end" and stack:          # a field may span paragraphs (the TOC)
                f = stack.pop()
                found.append((" ".join(f["instr"].split()), f["result"]))
            continue
        if stack:
            instr = r.find("w:instrText", NS)
            if instr is not None and not stack[-1]["sep"]:
                stack[-1]["instr"] += instr.text or ""
            elif stack[-1]["sep"]:
                for f in stack:
                    if f["sep"]:
                        f["result"] += text(r)
    return found


def bookmark_text(root, name: str) -> str:
    """The text between a bookmark's start and its end."""
    start = next(b for b in root.iter(q("bookmarkStart")) if b.get(q("name")) == name)
    ident, out, inside = start.get(q("id")), [], False
    for el in root.iter():
        if el is start:
            inside = True
        elif el.tag == q("bookmarkEnd") and el.get(q("id")) == ident:
            break
        elif inside and el.tag == q("t"):
            out.append(el.text or "")
    return "".join(out)


@pytest.fixture(scope="module")
def report_docx(tmp_path_factory) -> Package:
    out = tmp_path_factory.mktemp("report-docx")
    build_into(REPORT, out, ["docx"])
    return Package(out / "report.docx")


@pytest.fixture(scope="module")
def showcase_docx(tmp_path_factory) -> Package:
    out = tmp_path_factory.mktemp("showcase-docx")
    build_into(SHOWCASE, out, ["docx"])
    return Package(out / "showcase.docx")


@pytest.fixture(scope="module")
def showcase_doc():
    return load(Project.for_source(SHOWCASE, root=ROOT), Reporter())


# ---- the report's text and structure ----------------------------------------------------

def test_every_seed_paragraph_is_in_the_docx(report_docx):
    shown = normalise(" ".join(text(p) for p in report_docx.paragraphs()))
    missing = [p[:80] for p in seed_paragraphs() if p not in shown]
    assert not missing, f"{len(missing)} seed paragraphs missing, first: {missing[:3]}"


@pytest.mark.parametrize("which", ["report_docx", "showcase_docx"])
def test_every_paragraph_and_run_has_a_named_style_and_no_direct_formatting(which, request):
    pkg = request.getfixturevalue(which)
    roots = [pkg.document, pkg.part_for("footnotes")]
    for root in roots:
        for p in pkg.paragraphs(root):
            if p.getparent().tag == q("footnote") and p.getparent().get(q("type")):
                continue                                    # Word's separators
            assert pkg.style_of(p), etree.tostring(p)[:200]
            ppr = p.find("w:pPr", NS)
            assert p[0] is ppr, "pPr must come first"
            extra = {c.tag.split("}")[1] for c in ppr} - {"pStyle", "sectPr", "jc"}
            assert not extra, extra
        for rpr in root.iter(q("rPr")):
            if rpr.getparent().tag == q("r"):
                assert [c.tag for c in rpr] == [q("rStyle")], etree.tostring(rpr)
                assert rpr[0].get(q("val")) in pkg.style_names


def test_styles_follow_print_css(report_docx):
    styles = {s.find("w:name", NS).get(q("val")).casefold(): s for s in report_docx.styles.iterfind("w:style", NS)}

    def size(name):
        return int(styles[name].find("w:rPr/w:sz", NS).get(q("val"))) / 2
    assert size("heading 1") == 14 and size("heading 2") == 12 and size("heading 3") == 10
    assert styles["heading 1"].find("w:rPr/w:caps", NS) is not None
    defaults = report_docx.styles.find("w:docDefaults/w:rPrDefault/w:rPr", NS)
    assert defaults.find("w:rFonts", NS).get(q("ascii")) == "Times New Roman"
    assert defaults.find("w:sz", NS).get(q("val")) == "20"
    assert defaults.find("w:lang", NS).get(q("val")) == "en-GB"
    gap = styles["editorial gap"]
    assert gap.get(q("type")) == "character"
    assert gap.find("w:rPr/w:color", NS).get(q("val")) == "8A5A00"
    assert gap.find("w:rPr/w:shd", NS).get(q("fill")) == "FFF4D6"


def test_gaps_are_runs_in_the_editorial_gap_style(report_docx):
    gap_id = next(i for i, n in report_docx.style_names.items() if n == "Editorial Gap")
    runs = [r for r in report_docx.document.iter(q("r")) if text(r) == "[…]"]
    assert len(runs) >= 10
    assert all(r.find("w:rPr/w:rStyle", NS).get(q("val")) == gap_id for r in runs)


def test_headings_use_heading_styles_with_their_un_numbers(report_docx):
    shown = {normalise(text(p)).upper(): report_docx.style_of(p) for p in report_docx.paragraphs()}
    for number, title in headings():
        expected = normalise(f"{number}. {title}" if number else title)
        assert shown.get(expected, "").casefold() == "heading 1", expected
    assert {"II", "V", "VI", "VIII", "XI"} <= {n for n, _ in headings()}


def test_cover_and_title_page_come_from_the_templates(report_docx):
    paragraphs = list(report_docx.paragraphs())
    styles = [report_docx.style_of(p) for p in paragraphs[:10]]
    assert styles[:3] == ["Cover Banner", "Cover Title", "Cover Meeting"]
    assert "Title Page Title" in styles and "Title Page Publisher" in styles
    footers = [report_docx.xml(n) for n in report_docx.zip.namelist() if re.match(r"word/footer\d+\.xml", n)]
    assert any("Population Division" in text(f) for f in footers)     # the cover's foot


def test_contents_is_a_filled_toc_field_linking_to_bookmarks(report_docx):
    pkg = report_docx
    doc = load(Project.for_source(REPORT, root=ROOT), Reporter())
    instr = [f for f in fields(pkg.document) if f[0].startswith("TOC")]
    assert len(instr) == 1 and re.match(r'TOC \\o "1-\d" \\h \\z \\u', instr[0][0])
    entries = [p for p in pkg.paragraphs() if pkg.style_of(p).casefold().startswith("toc ")
               and pkg.style_of(p) != "TOC Heading"]
    expected = [normalise(f"{e.number}. {e.title}" if e.number else e.title) for e in doc.contents]
    shown = [normalise(re.sub(r"\s+\S+$", "", text(p))) for p in entries]
    assert shown == expected
    marks = pkg.bookmarks()
    for p in entries:
        link = p.find("w:hyperlink", NS)
        assert link.get(q("anchor")) in marks
        (instr, result), = fields(p)
        assert instr == f"PAGEREF {link.get(q('anchor'))} \\h" and result
    assert pkg.xml("word/settings.xml").find("w:updateFields", NS) is None


def test_sections_number_front_matter_in_roman_and_the_report_from_1(report_docx):
    sects = list(report_docx.document.iter(q("sectPr")))
    formats = [(s.find("w:pgNumType", NS).get(q("fmt")), s.find("w:pgNumType", NS).get(q("start")))
               for s in sects]
    assert formats[0] == ("lowerRoman", "1")
    assert all(f == ("lowerRoman", None) for f in formats[1:-1])
    assert formats[-1] == ("decimal", "1")
    assert sects[-1].getparent().tag == q("body")
    starts = [s.find("w:type", NS).get(q("val")) for s in sects[2:]]
    assert starts and set(starts) == {"oddPage"}
    footer = report_docx.xml("word/" + _target(report_docx, sects[2].find("w:footerReference", NS)))
    assert [f[0] for f in fields(footer)] == ["PAGE"]
    header = report_docx.xml("word/" + _target(report_docx, sects[-1].find("w:headerReference", NS)))
    assert "Fifteenth Coordination Meeting on International Migration" in text(header)


def _target(pkg: Package, ref) -> str:
    rels = pkg.xml("word/_rels/document.xml.rels")
    return next(r.get("Target") for r in rels if r.get("Id") == ref.get(f"{{{R}}}id"))


def test_abbreviation_table_is_a_word_table(report_docx):
    doc = load(Project.for_source(REPORT, root=ROOT), Reporter())
    tables = list(report_docx.document.iter(q("tbl")))
    rows = [[normalise(text(tc)) for tc in tr.iter(q("tc"))] for tr in tables[0].iter(q("tr"))]
    assert rows == [[a.abbr, a.expansion] for a in doc.abbreviation_table]
    style = tables[0].find("w:tblPr/w:tblStyle", NS).get(q("val"))
    assert report_docx.style_names[style] == "Abbreviation Table"


@pytest.mark.parametrize("which", ["report_docx", "showcase_docx"])
def test_package_is_well_formed(which, request):
    pkg = request.getfixturevalue(which)
    names = set(pkg.zip.namelist())
    for rels_name in [n for n in names if n.endswith(".rels")]:
        base = posixpath.dirname(posixpath.dirname(rels_name))
        for rel in pkg.xml(rels_name):
            if rel.get("TargetMode") != "External":
                target = posixpath.normpath(posixpath.join(base, rel.get("Target"))).lstrip("/")
                assert target in names, (rels_name, target)
    doc = pkg.document
    assert not list(doc.iterfind(".//w:p//w:tbl", NS))
    for tc in doc.iter(q("tc")):
        assert tc[-1].tag == q("p")
    ids = [b.get(q("id")) for b in doc.iter(q("bookmarkStart"))]
    assert len(ids) == len(set(ids))
    assert sorted(ids) == sorted(b.get(q("id")) for b in doc.iter(q("bookmarkEnd")))
    for name in pkg.bookmarks():
        assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{0,39}", name), name
    core = pkg.xml("docProps/core.xml")
    values = {el.tag.split("}")[1]: el.text for el in core}
    assert values["language"] == "en-GB" and values["creator"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", values["created"])
    assert values["created"] == values["modified"]
    types = pkg.xml("[Content_Types].xml")
    assert any(o.get("PartName") == "/word/footnotes.xml" for o in types)
    docx.Document(str(pkg.path))                      # python-docx re-opens it


# ---- the showcase: footnotes and cross-references -------------------------------------------

def test_footnotes_are_native_word_footnotes(showcase_docx, showcase_doc):
    notes = showcase_docx.part_for("footnotes")
    assert notes is not None
    by_id = {n.get(q("id")): n for n in notes.iterfind("w:footnote", NS)}
    assert by_id["-1"].get(q("type")) == "separator" and by_id["0"].get(q("type")) == "continuationSeparator"
    refs = list(showcase_docx.document.iter(q("footnoteReference")))
    assert [r.get(q("id")) for r in refs] == [str(n.number) for n in showcase_doc.footnote_order]
    for ref, note in zip(refs, showcase_doc.footnote_order, strict=True):
        style = ref.getparent().find("w:rPr/w:rStyle", NS).get(q("val"))
        assert showcase_docx.style_names[style].casefold() == "footnote reference"
        body = by_id[ref.get(q("id"))]
        assert all(showcase_docx.style_of(p).casefold() == "footnote text" for p in body.iter(q("p")))
        assert body.find(".//w:footnoteRef", NS) is not None
        assert normalise(note.blocks[0].children[0].text)[:40] in normalise(text(body))


def test_cross_references_are_fields_with_the_right_results(showcase_docx, showcase_doc):
    doc = showcase_docx.document
    marks = showcase_docx.bookmarks()
    refs = [f for f in fields(doc) if f[0].split()[0] in ("REF", "NOTEREF", "PAGEREF")]
    for instr, result in refs:
        name = instr.split()[1]
        assert name in marks, instr
        if instr.startswith("REF"):
            assert bookmark_text(doc, name) == result, instr      # updating would not change it
    xrefs = [n for _, nodes in document_inline_lists(showcase_doc) for n in iter_inlines(nodes)
             if isinstance(n, m.XRef)]
    expected = [part for x in xrefs if x.mode != "page" and x.kind != "note" for part in x.number.split(".")]
    assert [r for i, r in refs if i.startswith("REF")] == expected
    assert [r for i, r in refs if i.startswith("NOTEREF")] == [x.number for x in xrefs if x.kind == "note"]
    body_text = normalise(text(doc))
    for x in xrefs:
        shown = "page " if x.mode == "page" else x.text
        assert shown in body_text, x
    pagerefs = [r for i, r in refs if i.startswith("PAGEREF")]
    assert len(pagerefs) >= 1 + len(showcase_doc.contents) and all(pagerefs)


def test_a_missing_style_in_a_reference_document_is_a_located_error(tmp_path):
    root = tmp_path / "project"
    shutil.copytree(ROOT / "templates", root / "templates")
    shutil.copytree(ROOT / "styles", root / "styles", ignore=shutil.ignore_patterns("fonts"))
    source = root / "showcase.md"
    shutil.copy(SHOWCASE, source)
    shutil.copytree(SHOWCASE.parent / "images", root / "images")
    docx.Document().save(root / "styles" / "reference.docx")   # no "Editorial Gap", no "TOC 1"...
    reporter = Reporter()
    result = build(Project.for_source(source, root=root, out_dir=tmp_path / "out"), ["docx"], reporter)
    assert not result.ok
    errors = [e for e in reporter.errors if e.kind == Kind.TEMPLATE]
    assert errors and all(e.location.path == "styles/reference.docx" for e in errors)
    assert any("'Editorial Gap'" in e.text for e in errors)
    assert not (tmp_path / "out" / "showcase.docx").exists()


# ---- LibreOffice lays it out ---------------------------------------------------------------

def test_libreoffice_converts_the_docx_to_pdf(report_docx, tmp_path):
    soffice = need("soffice")
    need("pdftotext")
    run = subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                          "--convert-to", "pdf", "--outdir", str(tmp_path), str(report_docx.path)],
                         capture_output=True, text=True, timeout=180)
    pdf = tmp_path / "report.pdf"
    assert run.returncode == 0 and pdf.is_file(), run.stderr
    shown = normalise(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                                     text=True, check=True).stdout).upper()
    for _number, title in headings():
        assert normalise(title) in shown, title
    assert "CONTENTS" in shown


def test_a_docx_of_ours_works_as_a_reference_document(showcase_docx, tmp_path):
    """Styles designed in Word: save any folio DOCX as styles/reference.docx and edit it."""
    root = tmp_path / "project"
    shutil.copytree(ROOT / "templates", root / "templates")
    shutil.copytree(ROOT / "styles", root / "styles", ignore=shutil.ignore_patterns("fonts"))
    shutil.copytree(SHOWCASE.parent / "images", root / "images")
    shutil.copy(SHOWCASE, root / "showcase.md")
    shutil.copy(showcase_docx.path, root / "styles" / "reference.docx")
    result = build(Project.for_source(root / "showcase.md", root=root, out_dir=tmp_path / "out"), ["docx"],
                   Reporter())
    assert result.ok, result.reporter.messages
    again = Package(tmp_path / "out" / "showcase.docx")
    assert len(list(again.document.iter(q("sectPr")))) == len(list(showcase_docx.document.iter(q("sectPr"))))
    assert normalise(text(again.document)) == normalise(text(showcase_docx.document))


def test_control_characters_never_reach_the_xml():
    from folio.writers.docx import oxml
    run = oxml.run("a\x01b\x0bc\tz")
    assert text(run) == "abc z"
    (instr, _), = fields(oxml.el("w:p", None, *oxml.field("REF x\x02 \\h", [oxml.run("1")])))
    assert instr == "REF x \\h"


def test_front_matter_names_a_reference_document_whose_styles_the_docx_takes(showcase_docx, tmp_path):
    import docx as python_docx
    root = tmp_path / "project"
    shutil.copytree(ROOT / "templates", root / "templates")
    shutil.copytree(ROOT / "styles", root / "styles", ignore=shutil.ignore_patterns("fonts"))
    shutil.copytree(SHOWCASE.parent / "images", root / "images")
    house = python_docx.Document(str(showcase_docx.path))
    house.styles["Normal"].font.name = "Arial"                 # the house style, edited in Word
    house.save(str(root / "styles" / "house.docx"))
    text = SHOWCASE.read_text(encoding="utf-8")
    for name in ("house.docx", "nope.docx"):
        (root / "showcase.md").write_text(text.replace("---\n", f"---\nreference-doc: {name}\n", 1),
                                          encoding="utf-8")
        result = build(Project.for_source(root / "showcase.md", root=root, out_dir=tmp_path / name),
                       ["docx"], Reporter())
        if name == "house.docx":
            assert result.ok, result.reporter.messages
            made = python_docx.Document(str(tmp_path / name / "showcase.docx"))
            assert made.styles["Normal"].font.name == "Arial"
        else:
            assert not result.ok
            assert ("showcase.md:2: error: reference document 'styles/nope.docx' not found"
                    " (reference-doc names a file in styles/) [file]") in map(str, result.reporter.errors)


def _printed_page_of_headings(pdf: Path, titles: list[str]) -> dict:
    """{title: the page number printed in the footer of the page where that heading stands},
    read from LibreOffice's own rendering (the contents page itself is skipped)."""
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    found = {}
    for page in pages:
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        if not lines or "CONTENTS" in lines[0]:
            continue
        top = " ".join(" ".join(lines[:6]).split()).upper()   # a heading may wrap over two lines
        for title in titles:
            if title not in found and " ".join(title.split()).upper() in top:
                found[title] = lines[-1]
    return found


def test_libreoffice_layout_pass_gives_the_contents_libreoffices_page_numbers(tmp_path):
    """docx-page-numbers: libreoffice — each stored TOC number is the page LibreOffice prints."""
    soffice = need("soffice")
    need("pdftotext")
    from conftest import make_project
    source = make_project(tmp_path)
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("paper: letter\n", "paper: letter\ndocx-page-numbers: libreoffice\n"),
                      encoding="utf-8")
    result = build(Project.for_source(source), ["docx"], Reporter())
    assert result.ok, result.reporter.messages
    made = Package(tmp_path / "build" / "report.docx")
    stored = {instr.split()[1]: result_text for instr, result_text in fields(made.document)
              if instr.startswith("PAGEREF")}
    run = subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                          "--convert-to", "pdf", "--outdir", str(tmp_path), str(made.path)],
                         capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stderr
    doc = load(Project.for_source(source), Reporter())
    body = [e for e in doc.contents if not e.front]
    printed = _printed_page_of_headings(tmp_path / "report.pdf", [e.title for e in body])
    assert len(printed) == len(body)
    from folio.writers.docx.names import sanitise
    for entry in body:
        assert stored[sanitise(entry.target)] == printed[entry.title], entry.title
