"""Manuscripts written for other tools (issue 20): a GitHub README-style paper, a bookdown
chapter and a kramdown-rfc draft (tests/manuscripts/), read back from every edition: no other
tool's syntax printed raw outside code, every image inside its page or column, the author's
figure numbers kept, a link with no text showing its address, no publisher invented for a
document that names none. And the messages: a kind's warnings grouped, silenced per project."""
from __future__ import annotations

import re
import subprocess
import zipfile

import lxml.etree
import lxml.html
import pdfplumber
import pytest
from browser import WIDTHS, chromium, open_page
from conftest import ROOT, build_into, need, run_folio
from pypdf import PdfReader

from folio import model as m
from folio.diagnostics import Kind, Location, Message, grouped
from folio.i18n import numerals
from folio.model.walk import iter_blocks

MANUSCRIPTS = ROOT / "tests" / "manuscripts"
NAMES = ("github", "bookdown", "kramdown")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
RAW = re.compile(r"\{-\}|\{::|\{:|\{\{")      # other tools' markers that must not be printed
# print.css's @page margins: 1in top and bottom, 1.45in and 1.6in at the sides (alternating)
MARGIN_TOP, MARGIN_SIDE = 72, 1.45 * 72


def words(text: str) -> str:
    return " ".join(text.split())


# ---- the model: figure numbers, fast --------------------------------------------------------

def figures(text: str) -> tuple[list, list[str]]:
    from folio.diagnostics import Reporter
    from folio.readers.markdown import parse_text
    from folio.transforms import run_transforms
    reporter = Reporter()
    doc = parse_text(text, "t.md", reporter)
    run_transforms(doc, reporter)
    shown = [(numerals.full(f.number), "".join(c.text for c in f.caption))
             for f in iter_blocks(doc.blocks) if isinstance(f, m.Figure)]
    return shown, [str(msg) for msg in reporter.messages]


def test_a_figure_number_the_author_wrote_is_the_figures_number():
    shown, messages = figures("# One\n\n![Figure 1](a.png) and its caption\n_Figure 1_\n\n"
                              "![Figure 2](b.png)\n\n![Stocks by region](c.png)\n\n"
                              "![Fig. 5a — Flows](d.png)\n\n![Figure 2010 census](e.png)\n\n"
                              "![Figure A.1: Annex](f.png)\n")
    # The first image shares its paragraph: not a figure. "Figure 2" is not "Figure 1. Figure 2".
    assert shown == [("2", ""), ("3", "Stocks by region"), ("5a", "Flows"), ("4", "Figure 2010 census"),
                     ("A.1", "Annex")]
    assert messages == []


def test_a_figure_number_that_repeats_or_goes_back_is_shown_as_written_and_warned():
    shown, messages = figures("# One\n\n![Figure 3: Stocks](a.png)\n\n![Figure 2: Flows](b.png)\n\n"
                              "![Rates](c.png)\n")
    assert shown == [("3", "Stocks"), ("2", "Flows"), ("3", "Rates")]
    assert messages == ["t.md:5: warning: the caption numbers this figure 2, but figure 3 comes before it:"
                        " the number is shown as written [figure-number]"]


# ---- messages: grouped, silenced -----------------------------------------------------------

def test_warnings_of_one_kind_are_grouped_after_the_first_few_and_errors_never():
    many = [Message(Location("r.md", n), "warning", f"'W{n}' looks like an abbreviation", Kind.ABBR_UNDEFINED)
            for n in range(1, 81)]
    errors = [Message(Location("r.md", n), "error", "unknown cross-reference", Kind.XREF_UNKNOWN)
              for n in range(1, 9)]
    six = [Message(Location("r.md", n), "warning", "a link with no text", Kind.LINK_EMPTY) for n in range(6)]
    lines = grouped(many + errors + six)
    assert lines[:5] == [str(msg) for msg in many[:5]]
    assert lines[5:13] == [str(msg) for msg in errors]            # every error
    assert lines[13:19] == [str(msg) for msg in six]              # a count of one would save nothing
    assert lines[19:] == ["r.md: warning: … and 75 more like these ('folio check' lists every one;"
                          " 'ignore: [abbr-undefined]' in the front matter silences the kind) [abbr-undefined]"]


def test_the_command_line_groups_a_kinds_warnings_check_lists_them_and_the_front_matter_silences_them(tmp_path):
    terms = ", ".join(f"TERM{chr(65 + n)}" for n in range(12))
    source = tmp_path / "source" / "report.md"
    source.parent.mkdir()
    source.write_text(f"---\ntitle: T\n---\n\n# One\n\nTerms: {terms}.\n", encoding="utf-8")
    built = run_folio("build", source, "-f", "html", "--out", tmp_path / "build")
    lines = [line for line in built.stderr.splitlines() if "[abbr-undefined]" in line]
    assert len(lines) == 6 and "… and 7 more like these" in lines[-1], built.stderr
    checked = run_folio("check", source)
    assert len([line for line in checked.stderr.splitlines() if "[abbr-undefined]" in line]) == 12
    source.write_text(source.read_text(encoding="utf-8").replace("title: T\n", "title: T\nignore: [abbr-undefined]\n"),
                      encoding="utf-8")
    quiet = run_folio("check", source)
    assert quiet.returncode == 0 and "abbr-undefined" not in quiet.stderr, quiet.stderr
    source.write_text(source.read_text(encoding="utf-8").replace("[abbr-undefined]", "[abbreviation-undefined]"),
                      encoding="utf-8")
    wrong = run_folio("check", source)
    assert wrong.returncode == 1 and "report.md:3: error: unknown message kind 'abbreviation-undefined'" in wrong.stderr


def test_front_matter_never_closed_is_one_located_error_and_the_last_outputs_stay(tmp_path):
    source = tmp_path / "source" / "report.md"
    source.parent.mkdir()
    source.write_text("---\ntitle: Good\n---\n\n# One\n\nText.\n", encoding="utf-8")
    assert run_folio("build", source, "-f", "html", "--out", tmp_path / "build").returncode == 0
    page = tmp_path / "build" / "html" / "index.html"
    before = page.read_bytes()
    source.write_text("---\ntitle: Broken\nauthor: Someone\n\n# One\n\nText.\n", encoding="utf-8")
    broken = run_folio("build", source, "-f", "html", "--out", tmp_path / "build", "--force")
    assert broken.returncode == 1 and "Traceback" not in broken.stderr
    errors = [line for line in broken.stderr.splitlines() if "error:" in line]
    assert len(errors) == 1 and errors[0].endswith(
        "report.md:1: error: the front matter opened by '---' on line 1 is never closed:"
        " end it with a line '---' [front-matter]"), broken.stderr
    assert page.read_bytes() == before


# ---- every edition of the three manuscripts -------------------------------------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("manuscripts")
    return {name: build_into(MANUSCRIPTS / f"{name}.md", out / name, ["html", "pdf", "docx"]) and out / name
            for name in NAMES}


def html_of(built, name):
    tree = lxml.html.fromstring((built[name] / "html" / "index.html").read_bytes())
    for link in tree.cssselect("a.permalink"):
        link.drop_tree()
    return tree


def pdf_text(built, name) -> str:
    return subprocess.run([need("pdftotext"), "-layout", str(built[name] / f"{name}.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout


def docx_xml(built, name) -> lxml.etree._Element:
    with zipfile.ZipFile(built[name] / f"{name}.docx") as z:
        return lxml.etree.fromstring(z.read("word/document.xml"))


def body_section(root) -> lxml.etree._Element:
    """The sectPr of the text's pages: the one with margins (the cover's and back cover's have none)."""
    return max(root.iter(f"{W}sectPr"), key=lambda s: int(s.find(f"{W}pgMar").get(f"{W}left")))


def docx_text(root) -> str:
    return "\n".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in root.iter(f"{W}p"))


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_no_other_tools_syntax_is_printed_outside_code(built, name):
    tree = html_of(built, name)
    for code in tree.cssselect("pre, code"):
        code.drop_tree()
    assert not RAW.findall(tree.text_content())
    code = re.findall(r"```.*?```|`[^`\n]+`", (MANUSCRIPTS / f"{name}.md").read_text(), re.S)
    code_lines = len(RAW.findall("".join(code)))
    assert len(RAW.findall(pdf_text(built, name))) == code_lines         # the code block's, no more
    root = docx_xml(built, name)
    assert len(RAW.findall(docx_text(root))) == code_lines


@pytest.mark.slow
def test_unnumbered_headings_have_no_number_and_no_marker_in_text_and_contents(built):
    tree = html_of(built, "bookdown")
    headings = [words(h.text_content()) for h in tree.cssselect("section.part h2, section.part h3")]
    assert headings == ["Preface", "About the data", "I. Registers and censuses", "A. Coverage", "Timeliness",
                        "Appendix: definitions"]
    contents = pdf_text(built, "bookdown").split("CONTENTS")[1].split("\f")[0]
    entries = [words(line.split(" . ")[0]) for line in contents.splitlines() if " . ." in line]
    assert entries == ["PREFACE", "About the data", "I. REGISTERS AND CENSUSES", "A. Coverage", "Timeliness",
                       "APPENDIX: DEFINITIONS"], contents
    assert "Timeliness" in docx_text(docx_xml(built, "bookdown"))


@pytest.mark.slow
def test_the_authors_figure_number_is_the_figures_in_every_edition(built):
    caption = html_of(built, "bookdown").cssselect("figcaption")[0]
    assert words(caption.text_content()) == "Figure 3 Coverage by year"         # "." comes from the CSS
    assert re.search(r"Figure 3\.\s+Coverage by year", pdf_text(built, "bookdown"))
    assert "Figure 3. Coverage by year" in docx_text(docx_xml(built, "bookdown"))
    text = pdf_text(built, "github")
    assert "Figure 1. Figure 2" not in text and re.search(r"Figure 2\.\s*\n", text)


@pytest.mark.slow
def test_a_link_with_no_text_shows_its_address_in_every_edition(built):
    link = html_of(built, "github").cssselect('a[href="mailto:security@example.org"]')[0]
    assert link.text_content() == "security@example.org"
    assert "Questions go to security@example.org," in words(pdf_text(built, "github"))
    assert "Questions go to security@example.org," in docx_text(docx_xml(built, "github"))


@pytest.mark.slow
def test_a_document_that_names_no_publisher_is_given_none(built):
    html = html_of(built, "github")
    assert "United Nations" not in html.text_content()
    assert html.cssselect('meta[name="author"]') == []
    assert words(html.cssselect(".citation")[0].text_content()) == "Keeping shared cloud storage safe. (2026)."
    assert "United Nations" not in pdf_text(built, "github") and "Copyright" not in pdf_text(built, "github")
    info = PdfReader(built["github"] / "github.pdf").metadata
    assert "United Nations" not in str(info.get("/Author", ""))
    with zipfile.ZipFile(built["github"] / "github.docx") as z:
        parts = {name: z.read(name).decode() for name in z.namelist() if name.endswith(".xml")}
    assert not [name for name, xml in parts.items() if "United Nations" in xml]
    # one that names its publisher is credited to it
    assert "© Registers Working Group, 2025" in pdf_text(built, "bookdown")


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_every_image_lies_inside_the_pdfs_text_area(built, name):
    seen = 0
    with pdfplumber.open(built[name] / f"{name}.pdf") as pdf:
        for page in pdf.pages:
            for image in page.images:
                seen += 1
                box = [round(image[k], 1) for k in ("x0", "top", "x1", "bottom")]
                assert box[0] >= MARGIN_SIDE - 1 and box[2] <= page.width - MARGIN_SIDE + 1, box
                assert box[1] >= MARGIN_TOP - 1 and box[3] <= page.height - MARGIN_TOP + 1, box
    assert seen == (MANUSCRIPTS / f"{name}.md").read_text().count("](images/")


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_every_picture_in_the_docx_fits_the_text_area(built, name):
    root = docx_xml(built, name)
    section = body_section(root)
    size, margins = section.find(f"{W}pgSz"), section.find(f"{W}pgMar")
    width = (int(size.get(f"{W}w")) - int(margins.get(f"{W}left")) - int(margins.get(f"{W}right"))) * 635
    height = (int(size.get(f"{W}h")) - int(margins.get(f"{W}top")) - int(margins.get(f"{W}bottom"))) * 635
    extents = [(int(e.get("cx")), int(e.get("cy"))) for e in root.iter(f"{WP}extent")]
    assert len(extents) == (MANUSCRIPTS / f"{name}.md").read_text().count("](images/")
    for cx, cy in extents:
        assert cx <= width and cy <= height, (cx, cy, width, height)


@pytest.mark.slow
def test_every_picture_lies_inside_the_text_area_as_libreoffice_lays_the_docx_out(built, tmp_path):
    need("soffice")
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(built["github"] / "github.docx")],
                   capture_output=True, timeout=240, check=True)
    section = body_section(docx_xml(built, "github"))
    margin = min(int(section.find(f"{W}pgMar").get(f"{W}{side}")) for side in ("left", "right")) / 20
    seen = 0
    with pdfplumber.open(tmp_path / "github.pdf") as pdf:
        for page in pdf.pages:
            for image in page.images:
                seen += 1
                # (margins mirrored on facing pages: the narrower one counts on both sides)
                assert image["x0"] >= margin - 0.5 and image["x1"] <= page.width - margin + 0.5, image
                assert image["bottom"] <= page.height, image["bottom"]
    assert seen == 3


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.mark.slow
@pytest.mark.parametrize("layout", WIDTHS)
@pytest.mark.parametrize("name", NAMES)
def test_every_image_fits_its_column_on_the_web(built, browser, name, layout):
    page = open_page(browser, (built[name] / "html" / "index.html").as_uri(), layout)
    page.wait_for_load_state("load")
    found = page.evaluate("""() => [...document.querySelectorAll('article img')].map(img => {
        const column = img.closest('p, figure, li, td, div').getBoundingClientRect();
        const r = img.getBoundingClientRect();
        return {src: img.getAttribute('src'), width: r.width, left: r.left, right: r.right,
                columnLeft: column.left, columnRight: column.right, loaded: img.naturalWidth > 0}; })""")
    assert len(found) == (MANUSCRIPTS / f"{name}.md").read_text().count("](images/")
    for image in found:
        assert image["loaded"] and image["width"] > 0, image
        assert image["left"] >= image["columnLeft"] - 0.5 and image["right"] <= image["columnRight"] + 0.5, image
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
    page.close()
