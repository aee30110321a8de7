"""MyST directives and raw HTML (issue 20, items 3 and 4), read back from every edition of two
documents written for this: a Jupyter-Book-like chapter (tests/documents/myst_html/myst.md:
admonitions in both fence forms, with options, nested, a figure and a code cell) and a GitHub
page with raw HTML (github.md: a table with a head, column and row spans; sup, sub, em,
strong, code, br, a and abbr in a heading and a paragraph). The PDF with pdftotext, the DOCX
with lxml, the HTML with lxml."""
from __future__ import annotations

import re
import subprocess
import zipfile

import lxml.etree
import lxml.html
import pytest
from conftest import ROOT, build_into, need

DOCS = ROOT / "tests" / "documents" / "myst_html"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TITLES = ["Scope of this chapter", "A colon-fenced box", "Provisional figures", "Where they come from",
          "Seasonal gaps"]
RAW = re.compile(r":class:|:name:|\{admonition\}|\{note\}|\{figure\}|```|<su[pb]>|</?(?:em|strong|b|i|code|abbr|"
                 r"table|td|th|tr|span|div|script)\b|javascript:")
# The HTML table, row by row: (text, colspan, rowspan) of each cell, head first
TABLE = [[("Domain", 1, 2), ("Level", 2, 1)], [("Basic", 1, 1), ("Advanced", 1, 1)],
         [("Identity", 1, 2), ("Passwords rotated", 1, 1), ("Hardware keys", 1, 1)],
         [("Single sign-on", 1, 1), ("Just-in-time access", 1, 1)],
         [("Logging", 1, 1), ("Central log store kept one year", 2, 1)]]


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("myst-html")
    return {name: (out / name, build_into(DOCS / f"{name}.md", out / name, ["html", "pdf", "docx"]))
            for name in ("myst", "github")}


def _messages(result) -> list[str]:
    return [re.sub(r"^.*?/myst_html/", "", str(m)) for m in result.reporter.messages]


def _pdf_text(folder, name: str) -> str:
    need("pdftotext")
    return subprocess.run(["pdftotext", "-layout", str(folder / f"{name}.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout


def _docx(folder, name: str):
    with zipfile.ZipFile(folder / f"{name}.docx") as package:
        body = lxml.etree.fromstring(package.read("word/document.xml"))
        styles = lxml.etree.fromstring(package.read("word/styles.xml"))
    names = {s.get(W + "styleId"): s.find(W + "name").get(W + "val") for s in styles.iter(W + "style")}
    return body, names


def _paragraphs(body, names) -> list[tuple[str, str]]:
    out = []
    for p in body.iter(W + "p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        out.append((names.get(style.get(W + "val")) if style is not None else "Normal",
                    "".join(t.text or "" for t in p.iter(W + "t"))))
    return out


def _html(folder):
    tree = lxml.html.fromstring((folder / "html" / "index.html").read_bytes())
    for link in tree.cssselect("a.permalink"):
        link.drop_tree()
    return tree


def _visible_text(tree) -> str:
    """The page's text outside code, scripts and styles (code may show syntax)."""
    for node in tree.xpath("//pre | //code | //script | //style"):
        node.drop_tree()
    return tree.text_content()


# ---- MyST -----------------------------------------------------------------------------------

@pytest.mark.slow
def test_myst_messages(built):
    assert _messages(built["myst"][1]) == [
        "myst.md:51: warning: a MyST directive ({code-cell}) is not supported: shown as code [unsupported-syntax]"]


@pytest.mark.slow
def test_myst_titles_of_every_admonition_in_every_edition_and_no_raw_syntax(built):
    folder, _ = built["myst"]
    pdf = words(_pdf_text(folder, "myst"))
    body, names = _docx(folder, "myst")
    docx = _paragraphs(body, names)
    html = _html(folder)
    for title in TITLES:
        assert title in pdf
        assert any(style.startswith("Box") and text == title for style, text in docx), title
    assert ("Box Title", "Scope of this chapter") in docx        # a nested box's title is in its parent's style
    box_titles = [words(t.text_content()) for t in html.cssselect(".box-title, .box > :first-child")]
    assert all(any(title in t for t in box_titles) for title in TITLES), box_titles
    # A note with no title keeps its kind's word; the body of the nested hint is in its box
    assert pdf.count("Note") >= 2 and ("Box Title", "Note") in docx
    assert ("Box Tip", "National statistical offices reported them in March.") in docx
    for text in (pdf, " ".join(t for _, t in docx), _visible_text(html)):
        assert not RAW.search(text), RAW.search(text)


@pytest.mark.slow
def test_myst_figure_and_code(built):
    folder, _ = built["myst"]
    pdf = words(_pdf_text(folder, "myst"))
    assert "Figure 1. Basins monitored in the drylands." in pdf
    html = _html(folder)
    assert [words(p.text_content()) for p in html.cssselect("pre")] == [
        "stress = withdrawals / resources", "ratio = 0.4"]
    assert len(html.cssselect("figure img")) == 1
    body, names = _docx(folder, "myst")
    assert ("caption", "Figure 1. Basins monitored in the drylands.") in [(s.lower(), words(t)) for s, t in
                                                                          _paragraphs(body, names)]


# ---- GitHub with raw HTML -------------------------------------------------------------------

@pytest.mark.slow
def test_github_messages(built):
    assert _messages(built["github"][1]) == [
        "github.md:44: warning: HTML markup (<div>, <span>; left out: <script>) is not supported: its text is kept"
        " [unsupported-syntax]",
        "github.md:11: warning: link to 'javascript:alert(1)' uses 'javascript:': an edition links only to"
        " http, https and mailto addresses, places in the document and files in the project: its text is"
        " kept, without the link [link]",
        "github.md:10: warning: first use of 'CISO' is not spelled out (write 'Chief Information Security"
        " Officer (CISO)') [abbr-first-use]"]


@pytest.mark.slow
def test_github_html_table_is_a_table_in_the_html(built):
    html = _html(built["github"][0])
    table = html.cssselect("table")[0]
    rows = [[(words(c.text_content()), int(c.get("colspan", 1)), int(c.get("rowspan", 1)))
             for c in tr.cssselect("th, td")] for tr in table.cssselect("tr")]
    assert rows == TABLE
    assert [tr.getparent().tag for tr in table.cssselect("tr")] == ["thead"] * 2 + ["tbody"] * 3
    assert words(table.cssselect("caption .caption-text")[0].text_content()) == "Controls by domain and level"


@pytest.mark.slow
def test_github_html_table_is_a_table_in_the_docx(built):
    body, _ = _docx(built["github"][0], "github")
    table = body.find(f".//{W}tbl")
    rows = []
    for tr in table.iter(W + "tr"):
        cells = []
        for tc in tr.iter(W + "tc"):
            span = tc.find(f"{W}tcPr/{W}gridSpan")
            merge = tc.find(f"{W}tcPr/{W}vMerge")
            cells.append((words("".join(t.text or "" for t in tc.iter(W + "t"))),
                          int(span.get(W + "val")) if span is not None else 1,
                          None if merge is None else merge.get(W + "val", "continue")))
        rows.append(cells)
    assert rows == [
        [("Domain", 1, "restart"), ("Level", 2, None)],
        [("", 1, "continue"), ("Basic", 1, None), ("Advanced", 1, None)],
        [("Identity", 1, "restart"), ("Passwords rotated", 1, None), ("Hardware keys", 1, None)],
        [("", 1, "continue"), ("Single sign-on", 1, None), ("Just-in-time access", 1, None)],
        [("Logging", 1, None), ("Central log store kept one year", 2, None)]]
    assert len(table.findall(f"{W}tblGrid/{W}gridCol")) == 3


@pytest.mark.slow
def test_github_html_table_cells_in_order_in_the_pdf(built):
    lines = [words(line) for line in _pdf_text(built["github"][0], "github").splitlines() if line.strip()]
    start = lines.index("Controls by domain and level")
    assert lines[start + 1:start + 6] == [
        "Domain Level", "Basic Advanced", "Identity Passwords rotated Hardware keys",
        "Single sign-on Just-in-time access", "Logging Central log store kept one year"]


@pytest.mark.slow
def test_github_inline_html_is_formatting_in_every_edition(built):
    folder, _ = built["github"]
    html = _html(folder)
    chapter = html.cssselect("h2.chapter, h1, h2")
    heading = next(h for h in chapter if "Controls" in h.text_content() and h.cssselect("sup"))
    assert words(heading.cssselect("sup")[0].text_content()) == "(New in v2)" and heading.cssselect("sup em")
    paragraph = next(p for p in html.cssselect("p") if "Every control" in p.text_content())
    assert [s.text_content() for s in paragraph.cssselect("sub")] == ["2"]
    assert [s.text_content() for s in paragraph.cssselect("sup")] == ["2"]
    assert [c.text_content() for c in paragraph.cssselect("code")] == ["audit --all"]
    # the javascript: link is dropped with its text kept, as every edition's link rules say
    assert paragraph.cssselect("br") and [a.get("href") for a in paragraph.cssselect("a")] == [
        "https://example.org/controls"]
    assert "never shown" not in html.text_content() and not RAW.search(_visible_text(html))
    body, names = _docx(folder, "github")
    aligned = [(r.find(f"{W}rPr/{W}vertAlign").get(W + "val"), "".join(t.text for t in r.iter(W + "t")))
               for r in body.iter(W + "r") if r.find(f"{W}rPr/{W}vertAlign") is not None]
    assert ("superscript", "(New in v2)") in aligned and ("subscript", "2") in aligned
    assert ("superscript", "2") in aligned
    docx_text = " ".join(t for _, t in _paragraphs(body, names))
    pdf = words(_pdf_text(folder, "github"))
    for text in (docx_text, pdf):
        assert not RAW.search(text), RAW.search(text)
        assert "never shown" not in text
    assert "Water is H2O, the area is 3 km2;" in pdf and "Run audit --all first, then report" in pdf


# ---- the model's new parts, without a build -------------------------------------------------

def test_every_inline_node_type_has_its_method_in_both_writers():
    """A new inline type (Superscript, Subscript …) must be written by the HTML and Word writers."""
    from folio.model import nodes
    from folio.writers.docx.body import Story
    from folio.writers.html_nodes import HtmlNodes

    source = (ROOT / "folio" / "model" / "nodes.py").read_text(encoding="utf-8")
    inlines = re.findall(r"^class (\w+)", source.split("# ---- inlines")[1].split("# ---- blocks")[0], re.M)
    assert {"Superscript", "Subscript", "Text", "Link"} <= set(inlines)
    for name in inlines:
        assert isinstance(getattr(nodes, name), type)
        assert hasattr(HtmlNodes, "inline_" + name) and hasattr(Story, "inline_" + name), name


def test_cells_spanning_rows_and_columns_take_their_places_on_the_grid():
    from folio import model as m
    from folio.model.grid import layout, width

    def cell(text, cols=1, rows=1):
        return m.TableCell([m.Text(text)], colspan=cols, rowspan=rows)
    rows = [[cell("a", rows=2), cell("b", cols=2)], [cell("c"), cell("d")],
            [cell("e"), cell("f", rows=5), cell("g")], [cell("h"), cell("i")], [cell("j", cols=3)]]
    placed = [[(s.cell.children[0].text, s.column, s.first) for s in row] for row in layout(rows)]
    assert placed == [[("a", 0, True), ("b", 1, True)],
                      [("a", 0, False), ("c", 1, True), ("d", 2, True)],
                      [("e", 0, True), ("f", 1, True), ("g", 2, True)],
                      [("h", 0, True), ("f", 1, False), ("i", 2, True)],
                      [("j", 0, True)]]     # j spans f's place: Word cannot overlap cells, j takes it
    assert width(rows) == 3


@pytest.mark.slow
@pytest.mark.parametrize("name", ["github", "myst"])
def test_a_word_file_built_from_it_imports_with_no_changes(name, tmp_path):
    """The import's view of the source (readers/docx/model_view.py) finds HTML's marks (<a>,
    <br>, <b> …) and skips the cells Word merges down the rows."""
    from conftest import make_project, run_folio
    source = make_project(tmp_path, (DOCS / f"{name}.md").read_text(encoding="utf-8"))
    (source.parent / "images").mkdir()
    (source.parent / "images" / "basins.png").write_bytes((DOCS / "images" / "basins.png").read_bytes())
    result = run_folio("build", source, "-f", "docx", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    result = run_folio("import-docx", tmp_path / "build" / "report.docx", source, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "0 changes in 0 paragraphs; 0 comments\n", result.stdout + result.stderr
