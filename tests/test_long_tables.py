"""A long document in pandoc's syntax (tests/documents/long_tables.md): a box longer than the
rest of its page, a glossary of forty terms, and grid, multiline and simple tables that run
over several pages. Every row, term and paragraph comes out once and in order in each edition,
and a table's header comes back at the top of each page it runs onto."""
from __future__ import annotations

import re
import subprocess
import zipfile

import lxml.etree
import lxml.html
import pdfplumber
import pytest
from conftest import need

# Lays out PDFs, starts LibreOffice, Chromium or builds whole reports: the slow tier
pytestmark = pytest.mark.slow

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SEQUENCES = {"Caveat": 12, "Glossary term": 40, "Grid remark": 48, "Multiline note": 36}


@pytest.fixture(scope="module")
def built(documents):
    out, result = documents["long_tables"]
    assert not result.reporter.messages, [str(m) for m in result.reporter.messages]
    return out


def _in_order(text: str, name: str, count: int) -> None:
    """'name 01' … 'name NN' each once, in order."""
    found = re.findall(rf"{name} (\d\d)\b", text)
    assert found == [f"{i:02d}" for i in range(1, count + 1)], (name, found)


def test_pdf_every_row_term_and_paragraph_once_in_order(built):
    text = " ".join(subprocess.run([need("pdftotext"), str(built / "long_tables.pdf"), "-"], capture_output=True,
                                   text=True, check=True).stdout.split())
    text = text.replace("glossary term", "")           # the definitions repeat their term in lower case
    for name, count in SEQUENCES.items():
        _in_order(text, name, count)


# Each long table: a line of its rows, and the first word of its header's second column.
ROWS = {"grid": (re.compile(r"Grid remark \d\d"), "Arrivals"),
        "multiline": (re.compile(r"Multiline note \d\d"), "Net"),
        "simple": (re.compile(r"\d\d \d+ \d+$"), "Households")}


def test_pdf_long_tables_run_over_pages_with_their_header(built):
    with pdfplumber.open(built / "long_tables.pdf") as pdf:
        pages = [(page.extract_text() or "").splitlines() for page in pdf.pages]
    for name, (row, header) in ROWS.items():
        on = [i for i, lines in enumerate(pages) if any(row.search(line) for line in lines)]
        assert len(on) >= (1 if name == "multiline" else 2), (name, on)
        for index in on:
            lines = pages[index]
            first_row = next(k for k, line in enumerate(lines) if row.search(line))
            # the header's lines just above the page's first row
            assert any(header in line.split() for line in lines[max(0, first_row - 3):first_row]), \
                (name, index, lines[:first_row + 1])


def test_pdf_the_long_box_goes_on_over_the_page_framed(built):
    with pdfplumber.open(built / "long_tables.pdf") as pdf:
        on = [(i, page) for i, page in enumerate(pdf.pages) if "Caveat" in (page.extract_text() or "")]
        assert len(on) == 2 and on[1][0] == on[0][0] + 1
        for _, page in on:
            words = [w for w in page.extract_words() if w["text"] == "Caveat"]
            sides = [e for e in page.edges if e["orientation"] == "v" and e["x0"] < words[0]["x0"]
                     and e["top"] <= words[0]["top"] <= e["bottom"]]
            assert sides, "no frame beside the box's text"


def test_html_every_row_and_term(built):
    tree = lxml.html.fromstring((built / "html" / "index.html").read_bytes())
    assert len(tree.cssselect("#box-caveats > p")) == 1 + 13      # the title, then its paragraphs
    assert len(tree.cssselect("dl > dt")) == 40 and len(tree.cssselect("dl > dd > p")) == 16
    rows = {ident: len(tree.cssselect(f"#{ident} tbody tr")) for ident in
            ("tbl-grid-long", "tbl-multi-long", "tbl-simple-long")}
    assert rows == {"tbl-grid-long": 48, "tbl-multi-long": 36, "tbl-simple-long": 48}
    assert [th.text_content().split() for th in tree.cssselect("#tbl-grid-long thead th")][1] == ["Arrivals",
                                                                                                  "(persons)"]


def test_docx_rows_with_a_repeated_header_and_through_libreoffice(built, tmp_path):
    with zipfile.ZipFile(built / "long_tables.docx") as package:
        body = lxml.etree.fromstring(package.read("word/document.xml"))
    tables = list(body.iter(W + "tbl"))
    assert [len(t.findall(W + "tr")) for t in tables] == [49, 37, 49]
    for table in tables:
        assert table.find(f"{W}tr/{W}trPr/{W}tblHeader") is not None       # Word repeats it on each page
    text = " ".join("".join(t.itertext()) for t in body.iter(W + "p")).replace("glossary term", "")
    for name, count in SEQUENCES.items():
        _in_order(text, name, count)
    soffice = need("soffice")
    run = subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                          "--convert-to", "pdf", "--outdir", str(tmp_path), str(built / "long_tables.docx")],
                         capture_output=True, text=True, timeout=240)
    assert run.returncode == 0, run.stderr
    printed = subprocess.run([need("pdftotext"), "-layout", str(tmp_path / "long_tables.pdf"), "-"],
                             capture_output=True, text=True, check=True).stdout
    printed = " ".join(printed.split()).replace("glossary term", "")
    for name, count in SEQUENCES.items():
        _in_order(printed, name, count)
    assert printed.count("Departures") >= 2                            # the header, repeated
