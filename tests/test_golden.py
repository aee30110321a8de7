"""Golden files: each writer's output of a small report, kept under tests/golden/<name>/ and
compared after normalising (as pandoc's test/command files are). A difference is shown as a
diff; when it is intended, accept it and review the new files in the commit:

    python -m pytest tests/test_golden.py --accept

What is kept: the web page's <main> (parsed and pretty-printed), the Word file's
word/document.xml (parsed and pretty-printed) and the PDF's text page by page with each
page's label. Builds are reproducible (SOURCE_DATE_EPOCH), so nothing else needs masking."""
from __future__ import annotations

import difflib
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, build_into
from lxml import etree
from lxml import html as lhtml

GOLDEN = ROOT / "tests" / "golden"
DOCUMENTS = sorted(GOLDEN.glob("*.md"))


def _html(out: Path) -> str:
    page = lhtml.parse(str(out / "html" / "index.html"))
    main = page.xpath("//main")[0]
    return etree.tostring(main, pretty_print=True, encoding="unicode", method="xml")


def _document_xml(out: Path, name: str) -> str:
    with zipfile.ZipFile(out / f"{name}.docx") as package:
        root = etree.fromstring(package.read("word/document.xml"), etree.XMLParser(remove_blank_text=True))
    return etree.tostring(root, pretty_print=True, encoding="unicode")


def _pdf_text(out: Path, name: str) -> str:
    import pypdf
    reader = pypdf.PdfReader(out / f"{name}.pdf")
    labels = reader.page_labels
    pages = [f"=== page {i + 1} ({labels[i]}) ===\n{page.extract_text().rstrip()}\n"
             for i, page in enumerate(reader.pages)]
    return "".join(pages)


VIEWS = {"html": ("main.html", lambda out, name: _html(out)),
         "docx": ("document.xml", _document_xml),
         "pdf": ("pdf-text.txt", _pdf_text)}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """name → build folder: every golden document in all three editions, built once."""
    out = tmp_path_factory.mktemp("golden")
    for source in DOCUMENTS:
        build_into(source, out / source.stem, list(VIEWS))
    return out


@pytest.mark.slow
@pytest.mark.parametrize("edition", list(VIEWS))
@pytest.mark.parametrize("source", DOCUMENTS, ids=lambda p: p.stem)
def test_output_matches_its_golden_file(source: Path, edition: str, built, request):
    filename, view = VIEWS[edition]
    actual = view(built / source.stem, source.stem)
    golden = GOLDEN / source.stem / filename
    if request.config.getoption("--accept"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
        return
    assert golden.is_file(), f"no golden file {golden.relative_to(ROOT)}: run with --accept and review it"
    expected = golden.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(list(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                                 str(golden.relative_to(ROOT)), "now"))[:200])
        pytest.fail(f"{edition} of {source.name} differs from its golden file"
                    f" (intended? run with --accept and review):\n{diff}")


def test_every_golden_document_has_its_files():
    """A golden document without its files would pass by accepting whatever it gives."""
    assert DOCUMENTS
    for source in DOCUMENTS:
        for filename, _ in VIEWS.values():
            assert (GOLDEN / source.stem / filename).is_file(), f"{source.stem}/{filename}"
