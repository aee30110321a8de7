"""The Word edition, read back: python-docx, the package's XML, and LibreOffice's rendering."""
from __future__ import annotations

import posixpath
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
import yaml
from conftest import REPORT, ROOT, SHOWCASE, build_into, need, source_headings
from lxml import etree
from seed_text import headings, normalise, seed_paragraphs

from folio import model as m
from folio.build import build, load
from folio.diagnostics import Kind, Reporter
from folio.model.walk import document_inline_lists, iter_inlines
from folio.project import Project

# Lays out PDFs, starts LibreOffice, Chromium or builds whole reports: the slow tier
pytestmark = pytest.mark.slow

NUMBER = re.compile(r"^(?:[IVXLCDM]+|[A-Z]|\d+)\.\s*")

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
def report_docx(report_editions) -> Package:
    return Package(report_editions / "report.docx")     # the session's build of the report (conftest)


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
            extra = {c.tag.split("}")[1] for c in ppr} - {"pStyle", "sectPr", "jc", "pageBreakBefore"}
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
    assert defaults.find("w:sz", NS).get(q("val")) == "22"      # 11 pt, as print.css's body
    assert defaults.find("w:lang", NS).get(q("val")) == "en-GB"
    gap = styles["editorial gap"]
    assert gap.get(q("type")) == "character"
    grey = gap.find("w:rPr/w:color", NS).get(q("val"))          # grey, as in print: no colour
    assert grey[0:2] == grey[2:4] == grey[4:6] and grey != "000000"
    assert gap.find("w:rPr/w:shd", NS) is None


def test_gaps_are_runs_in_the_editorial_gap_style(report_docx):
    gap_id = next(i for i, n in report_docx.style_names.items() if n == "Editorial Gap")
    runs = [r for r in report_docx.document.iter(q("r")) if text(r) == "[…]"]
    assert len(runs) >= 10
    assert all(r.find("w:rPr/w:rStyle", NS).get(q("val")) == gap_id for r in runs)


def test_headings_use_heading_styles_with_their_un_numbers(report_docx):
    shown = {normalise(text(p)).upper(): report_docx.style_of(p) for p in report_docx.paragraphs()}
    parts = {"PREFACE", "EXPLANATORY NOTES"}   # front-matter parts: centred, as in print
    for number, title in headings():
        expected = normalise(f"{number}. {title}" if number else title)
        # a chapter without a number does not hang after one: a style of its own
        style = "part heading" if expected in parts else "heading 1" if number else "heading 1 unnumbered"
        assert shown.get(expected, "").casefold() == style, expected
    assert {"II", "V", "VI", "VIII", "XI"} <= {n for n, _ in headings()}


def test_cover_and_title_page_come_from_the_templates(report_docx):
    paragraphs = list(report_docx.paragraphs())
    styles = [report_docx.style_of(p) for p in paragraphs[:10]]
    assert styles[:4] == ["Cover Banner", "Cover Symbol", "Cover Title", "Cover Meeting"]
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
    # Titles from the source (a lost part's entry adds why it is lost; the editorial note is
    # folio's, as the report has gaps); the number before each is the one on its heading.
    expected = [title for _, title in source_headings(REPORT, doc.meta["contents-depth"])]
    shown = [normalise(re.sub(r"\s+\S+$", "", text(p))) for p in entries]
    titles = [NUMBER.sub("", s).casefold() for s in shown]
    assert "editorial note" in titles
    titles = [t for t in titles if t != "editorial note"]
    assert titles == [normalise(t).casefold() for t in expected]
    # each entry is its heading's text (a lost part's heading says why, as its entry does)
    shown = [s for s in shown if s.casefold() != "editorial note"]
    headings = {normalise(text(p)).casefold() for p in pkg.paragraphs()
                if pkg.style_of(p).casefold().startswith(("heading", "part heading"))}
    assert all(s.casefold() in headings for s in shown), set(shown) - headings
    marks = pkg.bookmarks()
    for p in entries:
        link = p.find("w:hyperlink", NS)
        assert link.get(q("anchor")) in marks
        (instr, result), = fields(p)
        assert instr == f"PAGEREF {link.get(q('anchor'))} \\h" and result
    assert pkg.xml("word/settings.xml").find("w:updateFields", NS) is None


def test_sections_number_front_matter_in_roman_and_the_report_from_1(report_docx):
    """Cover; title page on a right-hand page, numbered i; the imprint behind it; each front
    part on a right-hand page; the report from 1, its chapters running on; the back cover on a
    left-hand page. Numbered pages print a PAGE field at their foot, the others nothing."""
    sects = list(report_docx.document.iter(q("sectPr")))

    def kind(sect, tag, attr):
        node = sect.find(f"w:{tag}", NS)
        return node.get(q(attr)) if node is not None else None
    formats = [(kind(s, "pgNumType", "fmt"), kind(s, "pgNumType", "start")) for s in sects]
    starts = [kind(s, "type", "val") for s in sects]
    body = [i for i, f in enumerate(formats) if f[0] == "decimal"]
    assert formats[0][1] == "1" and starts[0] is None                      # the cover
    assert starts[1] == "oddPage" and formats[1] == ("lowerRoman", "1")    # the title page: i
    assert starts[2] == "nextPage"                                         # the imprint, behind it
    assert all(f == ("lowerRoman", None) for f in formats[2:body[0]])
    assert set(starts[3:body[0] + 1]) == {"oddPage"}       # front parts and the report on the right
    assert formats[body[0]] == ("decimal", "1") and all(formats[i] == ("decimal", None) for i in body[1:])
    assert set(starts[body[0] + 1:body[-1] + 1]) == {"continuous"}        # chapter-opening: continue
    assert starts[-1] == "evenPage" and sects[-1].getparent().tag == q("body")   # the back cover
    for index, sect in enumerate(sects):
        refs = {r.get(q("type")): r for r in sect.iterfind("w:footerReference", NS)}
        footer = report_docx.xml("word/" + _target(report_docx, refs["default"]))
        numbered = 3 <= index <= body[-1]
        assert ([f[0] for f in fields(footer)] == ["PAGE"]) == numbered, index


def test_running_heads_are_the_pdfs_short_title_left_and_chapter_right(report_docx):
    """Each body section: its chapter over right-hand pages, the short title over left-hand
    ones, nothing on the page where the part opens; Word told to tell left from right."""
    short = yaml.safe_load(REPORT.read_text(encoding="utf-8").split("---")[1])["short-title"]
    settings = report_docx.xml("word/settings.xml")
    assert settings.find("w:evenAndOddHeaders", NS) is not None
    body = report_docx.document.find("w:body", NS)
    headings, sects = [], []
    for element in body.iter(q("p")):
        if report_docx.style_of(element).casefold().startswith("heading 1"):
            headings.append(normalise(text(element)))
        ppr = element.find("w:pPr/w:sectPr", NS)
        if ppr is not None:
            sects.append((len(headings), ppr))
    sects.append((len(headings), body.find("w:sectPr", NS)))
    checked = 0
    for count, sect in sects:
        refs = {r.get(q("type")): r for r in sect.iterfind("w:headerReference", NS)}
        heads = {k: normalise(text(report_docx.xml("word/" + _target(report_docx, r)))) for k, r in refs.items()}
        if not refs or not any(heads.values()):
            continue                                   # no running head: covers, title page, imprint
        assert heads["even"] == short and heads["first"] == ""
        own = headings[count - 1]                 # the section's own chapter; a lost one by its marker alone
        own = own[:own.index("[…]") + 3] if "[…]" in own else own
        assert heads["default"].casefold() == own.casefold()
        checked += 1
    assert checked >= 5


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
        # Word's rules; a leading "_" hides a bookmark (folio's per-paragraph source marks)
        assert re.fullmatch(r"_?[A-Za-z][A-Za-z0-9_]{0,38}", name), name
    core = pkg.xml("docProps/core.xml")
    values = {el.tag.split("}")[1]: el.text for el in core}
    source = REPORT if which == "report_docx" else SHOWCASE
    language = yaml.safe_load(source.read_text(encoding="utf-8").split("---")[1]).get("language", "en")
    assert values["language"] == language and values["creator"]       # the tag of every edition
    app = pkg.xml("docProps/app.xml")
    assert [el.tag.split("}")[1] for el in app if el.tag.endswith("Application")] and \
        next(el.text for el in app if el.tag.endswith("Application")) == "folio"
    assert not [el for el in app if el.tag.split("}")[1] in ("Pages", "Words", "Template")]
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
    # Numbered in the order the source first calls them (read from the source, not the model).
    body = SHOWCASE.read_text(encoding="utf-8")
    called = list(dict.fromkeys(re.findall(r"\[\^([^\]]+)\](?!:)", body)))
    assert [r.get(q("id")) for r in refs] == [str(i) for i in range(1, len(called) + 1)]
    assert [n.label for n in showcase_doc.footnote_order] == called
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
    # Each REF's bookmark sits around the number printed on a target the source names.
    labels = {_word_name(x.label) for x in xrefs} | {_heading_id(p) for p in showcase_docx.paragraphs()
                                                    if showcase_docx.style_of(p).casefold().startswith("heading")}
    for instr, _ in refs:
        if instr.startswith("REF"):
            assert instr.split()[1].removeprefix("n_") in labels, instr
    notes = [r for i, r in refs if i.startswith("NOTEREF")]
    called = list(dict.fromkeys(re.findall(r"\[\^([^\]]+)\](?!:)", SHOWCASE.read_text(encoding="utf-8"))))
    cited = [x.label.removeprefix("fn-") for x in xrefs if x.label.startswith("fn-")]
    assert notes == [str(called.index(label) + 1) for label in cited]
    pagerefs = [r for i, r in refs if i.startswith("PAGEREF")]
    assert len(pagerefs) >= 1 + len(showcase_doc.contents) and all(pagerefs)


def _word_name(label: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", label)


def _heading_id(paragraph) -> str:
    """The label a heading's number bookmark carries ('n_sec_x' → 'sec_x')."""
    names = [b.get(q("name")) for b in paragraph.iter(q("bookmarkStart"))]
    return next((n.removeprefix("n_") for n in names if n.startswith("n_")), "")


def test_a_reference_document_lacking_styles_takes_folios_with_one_warning(tmp_path):
    """An agency's own Word template need not hold every style folio uses (issue 10, item 8)."""
    root = tmp_path / "project"
    shutil.copytree(ROOT / "templates", root / "templates")
    shutil.copytree(ROOT / "styles", root / "styles", ignore=shutil.ignore_patterns("fonts"))
    source = root / "showcase.md"
    shutil.copy(SHOWCASE, source)
    shutil.copytree(SHOWCASE.parent / "images", root / "images")
    agency = docx.Document()                                    # no "Editorial Gap", no "TOC 1"...
    agency.styles["Normal"].font.name = "Arial"                 # and a look of the agency's own
    agency.save(root / "styles" / "reference.docx")
    reporter = Reporter()
    result = build(Project.for_source(source, root=root, out_dir=tmp_path / "out"), ["docx"], reporter)
    assert result.ok, "\n".join(map(str, reporter.messages))
    warnings = [w for w in reporter.warnings if w.kind == Kind.TEMPLATE]
    assert len(warnings) == 1 and warnings[0].location.path == "styles/reference.docx"
    assert "'Editorial Gap'" not in warnings[0].text and "Editorial Gap" in warnings[0].text
    written = docx.Document(str(tmp_path / "out" / "showcase.docx"))
    names = {s.name.casefold() for s in written.styles}
    assert {"editorial gap", "toc 1", "footnote text"} <= names
    assert written.styles["Normal"].font.name == "Arial"        # the agency's own styles are kept


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


@pytest.mark.parametrize("which", ["report", "showcase", "report-13x"])
def test_word_contents_numbers_are_the_pages_libreoffice_prints(which, tmp_path, monkeypatch):
    """By default (LibreOffice installed), every page number stored in the Word contents is the
    number LibreOffice prints at the foot of the page where that heading stands."""
    monkeypatch.delenv("FOLIO_DOCX_PAGE_NUMBERS", raising=False)        # folio's default: auto
    soffice = need("soffice")
    need("pdftotext")
    from conftest import make_project
    if which == "showcase":
        project = Project.for_source(SHOWCASE, root=ROOT, out_dir=tmp_path / "build")
    else:
        source_text = REPORT.read_text(encoding="utf-8")
        if which == "report-13x":     # over a hundred pages (128 in LibreOffice): three-digit numbers
            sys.path.insert(0, str(ROOT / "bench"))
            from make_source import scaled
            source_text = scaled(source_text, 13)
        project = Project.for_source(make_project(tmp_path, source_text))
    result = build(project, ["docx"], Reporter())
    assert result.ok, result.reporter.messages
    made = Package(project.out_dir / f"{project.name}.docx")
    stored = {instr.split()[1]: result_text for instr, result_text in fields(made.document)
              if instr.startswith("PAGEREF")}
    run = subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                          "--convert-to", "pdf", "--outdir", str(tmp_path), str(made.path)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    entries = [p for p in made.paragraphs() if made.style_of(p).casefold().startswith("toc ")
               and made.style_of(p) != "TOC Heading"]
    titles, anchors = [], []
    for p in entries:
        anchors.append(p.find("w:hyperlink", NS).get(q("anchor")))
        title = normalise(re.sub(r"\s+\S+$", "", text(p)))             # with its number
        # as the heading prints: a chapter's in capitals (Heading 1's caps), a lost part's reason not
        chapter = made.style_of(p).casefold() == "toc 1" and "[…]" not in title
        titles.append(title.upper() if chapter else title)
    printed = _printed_pages_in_order(tmp_path / made.path.with_suffix(".pdf").name, titles)
    assert len(printed) == len(titles) > 5
    assert [stored[a] for a in anchors] == printed
    shown = subprocess.run(["pdftotext", "-layout", str(tmp_path / made.path.with_suffix(".pdf").name), "-"],
                           capture_output=True, text=True).stdout
    romans = re.findall(r"\.{3,}\s*([ivxlcdmIVXLCDM]+)\s*$", shown, re.M)
    assert romans and all(r == r.lower() for r in romans), romans   # "iii", never "III"
    if which == "report-13x":
        assert len(subprocess.run(["pdftotext", str(tmp_path / made.path.with_suffix(".pdf").name), "-"],
                                  capture_output=True, text=True).stdout.split("\f")) > 100


def _printed_pages_in_order(pdf: Path, titles: list[str]) -> list[str]:
    """For each contents title in turn (with its number), the number printed at the foot of the
    first page, from the previous one on, where a line (or two or three, for a title that
    wraps) holds that heading alone. Spaces are ignored: a long number may touch its title.
    Matched in the case the heading prints in, so a running head in the title's own case, alone
    on its line, is not taken for a chapter heading in capitals."""
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    found, start = [], 0
    for title in titles:
        wanted = re.sub(r"\s+", "", title)
        for index in range(start, len(pages)):
            lines = [line.strip() for line in pages[index].splitlines() if line.strip()]
            if not lines or "CONTENTS" in lines[0]:
                continue
            alone = {re.sub(r"\s+", "", "".join(lines[i:i + n]))
                     for i in range(len(lines) - 1) for n in (1, 2, 3, 4)}
            if wanted in alone:
                found.append(lines[-1])
                start = index
                break
    return found


# ---- the Word file as an editor updates and prints it (issue 19, items 8-10) ------------------

SYSTEM_PYTHON = "/usr/bin/python3"      # Debian's python3-uno lives there, not in the venv

# Chapters on pages of their own: no heading sits at a page's foot, where LibreOffice's
# conversion and its editing view may break a page differently (they do, in the seed report).
UPDATED = """---
title: A report whose contents an editor updates
short-title: Updated contents
symbol: TEST/2026/1
chapter-opening: page
---

# Preface {.front}

The preface says why the report exists.

# Opening of the meeting

The meeting opened with a statement by the Chair.

# Implementing the plan {number=II}

The plan was discussed at length.

## Measuring progress

Indicators were proposed.

# {gap: title and opening of chapter III missing from the source} {number=III}

The rest of chapter III survives.

# Closing of the meeting {number=IV}

The Chair closed the meeting.
"""


def _lo_contents(path: Path) -> dict:
    need("soffice")
    if not Path(SYSTEM_PYTHON).is_file():
        pytest.skip("no system Python with python3-uno")
    run = subprocess.run([SYSTEM_PYTHON, str(ROOT / "tests" / "lo_contents.py"), str(path)],
                         capture_output=True, text=True, timeout=300, cwd=ROOT / "tests")
    assert run.returncode == 0, run.stderr
    import json
    return json.loads(run.stdout)


def _spaced(entries: list[str]) -> list[str]:
    """LibreOffice writes a heading's tab (after its number) into its contents entry as a
    space; Word keeps the tab. The entry is the same text either way."""
    return [re.sub(r"[ \t]+(?=\S+$)", "\t", re.sub(r"[ \t]+", " ", e)) for e in entries]


@pytest.mark.slow
def test_updating_the_word_contents_changes_nothing(tmp_path, monkeypatch):
    """Tools > Update > All in LibreOffice (F9 in Word) rewrites the contents from the headings:
    the stored entries must be what it writes, in text, case and page numbers."""
    monkeypatch.delenv("FOLIO_DOCX_PAGE_NUMBERS", raising=False)   # LibreOffice's own page numbers
    from conftest import make_project
    project = Project.for_source(make_project(tmp_path, UPDATED))
    assert build(project, ["docx"], Reporter()).ok
    found = _lo_contents(project.out_dir / "report.docx")
    assert len(found["before"]) == 7, found        # with the editorial note folio adds for the gap
    assert _spaced(found["after"]) == _spaced(found["before"]), found
    assert "III. […] title and opening of chapter III missing from the source\t3" in _spaced(found["after"])
    assert "Preface\tv" in found["before"] and "Opening of the meeting" in found["before"][2]   # not in capitals


@pytest.mark.slow
def test_updating_the_reports_contents_keeps_its_entries(report_docx):
    """The seed report: the same titles (case included) after an update. Its page numbers are
    compared in the test above only: LibreOffice's editing view sets chapter I, whose heading
    stands at the foot of body page 1 in its PDF conversion, on page 2."""
    found = _lo_contents(report_docx.path)
    titles = [[e.rsplit("\t", 1)[0] for e in _spaced(found[k])] for k in ("before", "after")]
    assert len(titles[0]) >= 13 and titles[0] == titles[1], found
    assert any("[…] end of chapter II, chapter III, and title and opening of chapter IV" in t for t in titles[0])


def test_no_heading_carries_direct_page_or_keep_formatting(report_docx, showcase_docx):
    """A heading's page break and keeps are its style's: direct formatting that cancels them
    makes a heading a translator adds behave unlike its neighbours."""
    for pkg in (report_docx, showcase_docx):
        headings = [p for p in pkg.paragraphs() if pkg.style_of(p).casefold().startswith(("heading", "part heading"))]
        assert len(headings) >= 8
        for p in headings:
            for tag in ("pageBreakBefore", "keepNext", "keepLines"):
                assert p.find(f"w:pPr/w:{tag}", NS) is None, (tag, text(p))
    styles = {s.find("w:name", NS).get(q("val")).casefold(): s for s in report_docx.styles.iterfind("w:style", NS)}
    # the report's chapters run on (chapter-opening: continue): its Heading 1 does not break the page
    flag = styles["heading 1"].find("w:pPr/w:pageBreakBefore", NS)
    assert flag is not None and flag.get(q("val")) in ("0", "false")


def test_word_text_reads_like_the_pdf(report_docx):
    """11 pt on the PDF's measure (print.css: letter, 1.6 in inside, 1.45 in outside), hyphenated."""
    settings = report_docx.xml("word/settings.xml")
    assert settings.find("w:autoHyphenation", NS) is not None
    defaults = report_docx.styles.find("w:docDefaults/w:rPrDefault/w:rPr", NS)
    assert defaults.find("w:sz", NS).get(q("val")) == "22"
    body = next(s for s in report_docx.document.iter(q("sectPr"))
                if s.find("w:pgNumType", NS) is not None and s.find("w:pgNumType", NS).get(q("fmt")) == "decimal")
    size, margins = body.find("w:pgSz", NS), body.find("w:pgMar", NS)
    measure = int(size.get(q("w"))) - int(margins.get(q("left"))) - int(margins.get(q("right")))
    assert measure == round((8.5 - 1.6 - 1.45) * 1440)


def test_an_unnumbered_chapter_heading_does_not_hang(report_docx):
    """The report's opening chapter has no number: its second line starts under its first."""
    styles = {s.get(q("styleId")): s for s in report_docx.styles.iterfind("w:style", NS)}
    heading = next(p for p in report_docx.paragraphs() if text(p).startswith("Report of the annual")
                   and report_docx.style_of(p).casefold().startswith("heading"))
    style = styles[heading.find("w:pPr/w:pStyle", NS).get(q("val"))]
    ind = style.find("w:pPr/w:ind", NS)
    assert ind is not None and ind.get(q("hanging"), "0") == "0" and ind.get(q("left"), "0") == "0"
    numbered = next(p for p in report_docx.paragraphs() if text(p).startswith("II. Implementing")
                    and report_docx.style_of(p).casefold().startswith("heading"))
    assert styles[numbered.find("w:pPr/w:pStyle", NS).get(q("val"))].find("w:pPr/w:ind", NS).get(q("hanging")) != "0"


@pytest.mark.slow
def test_printed_with_blank_pages_the_title_page_and_body_page_1_are_right_hand_pages(report_docx, tmp_path):
    """LibreOffice's PDF export keeping blank pages (as the README says to print the Word file):
    the title page and the report's first page fall on odd physical pages."""
    soffice = need("soffice")
    keep = 'pdf:writer_pdf_Export:{"IsSkipEmptyPages":{"type":"boolean","value":"false"}}'
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                    "--convert-to", keep, "--outdir", str(tmp_path), str(report_docx.path)],
                   check=True, capture_output=True, timeout=300)
    pages = subprocess.run(["pdftotext", str(tmp_path / "report.pdf"), "-"], capture_output=True,
                           text=True, check=True).stdout.split("\f")
    title = next(i for i, p in enumerate(pages) if "United Nations" in p and "New York, 2017" in p)
    body = next(i for i, p in enumerate(pages) if "The Fifteenth Coordination Meeting on International"
                " Migration took" in " ".join(p.split()))
    assert title % 2 == 0 and body % 2 == 0, (title + 1, body + 1)      # 0-based: odd pages
    assert body > title
