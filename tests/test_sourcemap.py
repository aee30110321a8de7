"""The source map: spans, stable ids in every edition, `folio where`, writers that only display.

Expectations come from the source text and from the outputs themselves (the PDF's pages and
structure tree, the HTML's ids, the DOCX's bookmarks and custom XML), never from the model's
own numbers."""
from __future__ import annotations

import ast
import re
import subprocess
import zipfile
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner
from conftest import REPORT, ROOT, SHOWCASE, build_into, make_project, need
from lxml import etree, html
from seed_text import normalise

from folio import model as m
from folio.build import build, load
from folio.cli import main
from folio.diagnostics import FolioError, Reporter
from folio.model.text import plain_text
from folio.model.walk import document_blocks, inline_lists, iter_inlines
from folio.project import Project

# Lays out PDFs, starts LibreOffice, Chromium or builds whole reports: the slow tier
pytestmark = pytest.mark.slow

WORD = re.compile(r"[^\W_]+")
QUOTES = str.maketrans({c: "'" for c in "‘’“”\""})


def model_of(source: Path) -> m.Document:
    return load(Project.for_source(source, root=ROOT), Reporter())


# ---- spans ------------------------------------------------------------------------------


@pytest.mark.parametrize("source", [REPORT, SHOWCASE], ids=["report", "showcase"])
def test_every_block_finds_its_words_in_the_lines_its_span_names(source):
    doc = model_of(source)
    lines = source.read_text(encoding="utf-8").splitlines()
    checked = 0
    for block in document_blocks(doc):
        named = " ".join(lines[block.loc.line - 1:block.loc.last_line]).translate(QUOTES)
        said = " ".join(plain_text(nodes) for nodes in inline_lists(block))
        if isinstance(block, m.CodeBlock):
            said = block.text
        words = WORD.findall(said.translate(QUOTES))
        missing = [w for w in words if w not in named]
        assert not missing, f"{block.id} at lines {block.loc.line}-{block.loc.last_line}: {missing[:5]}"
        checked += bool(words)
    assert checked > 20


@pytest.mark.parametrize("source", [REPORT, SHOWCASE], ids=["report", "showcase"])
def test_every_inline_node_spans_the_source_it_came_from(source):
    doc = model_of(source)
    text = source.read_text(encoding="utf-8")
    seen = {}
    for block in document_blocks(doc):
        for nodes in inline_lists(block):
            for node in iter_inlines(nodes):
                loc = node.loc
                assert 0 <= loc.start <= loc.end <= len(text), (node, loc)
                written = text[loc.start:loc.end]
                assert loc.line == text.count("\n", 0, loc.start) + 1, node
                kind = type(node).__name__
                seen[kind] = seen.get(kind, 0) + 1
                if isinstance(node, m.XRef):
                    assert written in (f"@{node.label}", f"[-@{node.label}]", f"[page @{node.label}]"), written
                elif isinstance(node, m.FootnoteRef):
                    assert written == f"[^{node.label}]"
                elif isinstance(node, m.Gap):
                    assert written.startswith("{gap") and written.endswith("}"), written
                elif isinstance(node, (m.Symbol, m.Abbr)):
                    assert written == (node.symbol if isinstance(node, m.Symbol) else node.abbr)
                elif isinstance(node, m.Text) and node.text.strip():
                    assert written.translate(QUOTES) == node.text.translate(QUOTES), (written, node.text)
                elif isinstance(node, (m.Emph, m.Strong)):
                    assert written[:1] in "*_" and written[-1:] in "*_", written
    assert seen.get("Text", 0) > 50 and seen.get("Gap", 0) + seen.get("XRef", 0) > 5


def test_messages_name_the_line_of_the_inline_node(tmp_path):
    source = tmp_path / "doc.md"
    source.write_text("# One\n\nA first line\nand a second with @sec-nowhere.\n", encoding="utf-8")
    reporter = Reporter()
    with pytest.raises(FolioError):
        load(Project.for_source(source, root=tmp_path), reporter)
    assert [str(msg.location) for msg in reporter.errors] == [f"{source.name}:4"]


# ---- stable ids in every edition ----------------------------------------------------------


def edition_ids(out: Path) -> dict[str, dict[str, str]]:
    """{edition: {id: the text it carries}} read back from the three outputs."""
    tree = html.parse(str(out / "html" / "index.html"))
    main_el = tree.find(".//main")
    html_ids = {el.get("id"): normalise(el.text_content()) for el in main_el.iterdescendants() if el.get("id")}
    with pikepdf.open(out / "report.pdf") as pdf:
        names = pdf.Root.StructTreeRoot.IDTree.Names
        pdf_ids = {str(names[i]): "" for i in range(0, len(names), 2) if "~" not in str(names[i])}
    smap = docx_map(out / "report.docx")
    docx_ids = {e.block: e.sha256 for e in smap.entries if e.id == e.block}
    return {"html": html_ids, "pdf": pdf_ids, "docx": docx_ids}


@pytest.fixture(scope="module")
def id_builds(tmp_path_factory, report_editions):
    """The report as it is (the session's build, conftest), with one paragraph edited, and with
    one inserted and one deleted."""
    text = REPORT.read_text(encoding="utf-8")
    edited_para = "The coordination meetings on international migration are convened"
    inserted_after = "Symbols of United Nations documents are composed of capital letters combined with figures."
    deleted = next(p for p in text.split("\n\n") if p.startswith("In the subsequent discussion"))
    versions = {
        "edited": text.replace(edited_para, edited_para.replace("are convened", "were convened")),
        "moved": text.replace(inserted_after, inserted_after + "\n\nA new paragraph, inserted for the test.")
                     .replace(deleted + "\n\n", ""),
    }
    out = {"original": edition_ids(report_editions)}
    for name, version in versions.items():
        where = tmp_path_factory.mktemp(name)
        source = make_project(where, version)
        build_into(source, where / "build", ["html", "pdf", "docx"])
        out[name] = edition_ids(where / "build")
    return out


@pytest.mark.parametrize("edition", ["html", "pdf", "docx"])
def test_editing_one_paragraph_changes_no_other_id(id_builds, edition):
    before, after = id_builds["original"][edition], id_builds["edited"][edition]
    gone, new = set(before) - set(after), set(after) - set(before)
    assert len(gone) <= 1 and len(new) <= 1, (gone, new)     # the edited paragraph alone
    assert len(before) > 30
    if edition == "html":
        changed = [i for i in set(before) & set(after) if before[i] != after[i]]
        assert changed == [], changed                        # every other id carries the same text


@pytest.mark.parametrize("edition", ["html", "pdf", "docx"])
def test_inserting_and_deleting_paragraphs_changes_no_other_id(id_builds, edition):
    before, after = id_builds["original"][edition], id_builds["moved"][edition]
    gone, new = set(before) - set(after), set(after) - set(before)
    assert len(gone) == 1 and len(new) == 1, (gone, new)
    if edition == "docx":
        kept = set(before) & set(after)
        assert all(before[i] == after[i] for i in kept)      # same text under the same id


def test_docx_paragraphs_carry_para_ids_and_hidden_bookmarks(tmp_path):
    out = tmp_path / "build"
    build_into(REPORT, out, ["docx"])
    with zipfile.ZipFile(out / "report.docx") as package:
        body = etree.fromstring(package.read("word/document.xml"))
    smap = docx_map(out / "report.docx")
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    w14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
    marked = [p for p in body.iter(f"{w}p") if any((b.get(f"{w}name") or "").startswith("_F")
                                                   for b in p.iter(f"{w}bookmarkStart"))]
    ids = [p.get(f"{w14}paraId") for p in marked]
    assert len(marked) > 30 and all(ids) and len(set(ids)) == len(ids)
    assert all(int(i, 16) < 0x80000000 for i in ids)
    assert smap.source == REPORT.read_text(encoding="utf-8")   # the revision, for three-way merges
    names = {b.get(f"{w}name") for p in marked for b in p.iter(f"{w}bookmarkStart")}
    assert names >= {e.bookmark for e in smap.entries}


def docx_map(path: Path):
    from folio.ooxml.sourcemap import find_map

    with zipfile.ZipFile(path) as package:
        return find_map({n: etree.fromstring(package.read(n)) for n in package.namelist()
                         if re.fullmatch(r"customXml/item\d+\.xml", n)})


# ---- folio where ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def report_build(report_editions):
    return report_editions       # the session's build of the report (conftest)


def where(*args) -> str:
    result = CliRunner().invoke(main, ["where", *map(str, args)])
    assert result.exit_code == 0, result.output
    return result.output


def test_where_answers_for_every_paragraph_and_its_page_has_the_text(report_build):
    need("pdftotext")
    doc = model_of(REPORT)
    pages = {}
    paragraphs = [b for b in document_blocks(doc) if isinstance(b, m.Paragraph)]
    for block in paragraphs:
        said = where(f"{REPORT}:{block.loc.line}", "--out", report_build)
        sheets = [int(s) for s in re.findall(r"PDF: page \S+ \(sheet (\d+)\)", said)]
        assert sheets, said
        assert re.search(r"DOCX: paragraphs? \d+", said), said
        first = sheets[0]
        if first not in pages:
            pages[first] = normalise(subprocess.run(
                ["pdftotext", "-f", str(first), "-l", str(first), str(report_build / "report.pdf"), "-"],
                capture_output=True, text=True, check=True).stdout)
        opening = " ".join(WORD.findall(plain_text(block.children).translate(QUOTES)))[:30]
        page_words = " ".join(WORD.findall(pages[first].translate(QUOTES)))
        assert opening in page_words, (block.loc.line, opening, first)
    assert len(paragraphs) > 20


def test_where_page_lists_the_source_lines_printed_there(report_build):
    said = where(REPORT, "--page", "1", "--out", report_build)
    lines = [int(n) for n in re.findall(r"report\.md:(\d+)", said)]
    text = REPORT.read_text(encoding="utf-8").splitlines()
    assert lines and text[lines[0] - 1].startswith("# Report of the annual coordination meeting")


def test_where_on_a_line_between_blocks_says_so(report_build):
    result = CliRunner().invoke(main, ["where", f"{REPORT}:26", "--out", str(report_build)])
    assert result.exit_code == 1 and "no block of the document is on this line" in result.output


# ---- writers only display -------------------------------------------------------------------


def imported_modules(path: Path) -> set[str]:
    """The absolute names of the modules a file imports (relative imports resolved)."""
    package = list(path.relative_to(ROOT).with_suffix("").parts)
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[:-node.level] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            found.add(module)
            found.update(f"{module}.{a.name}" for a in node.names)
    return found


def test_no_writer_imports_the_transforms():
    writers = list((ROOT / "folio" / "writers").rglob("*.py"))
    assert len(writers) > 10
    offenders = {str(p.relative_to(ROOT)): sorted(n for n in imported_modules(p) if n.startswith("folio.transforms"))
                 for p in writers}
    assert not {k: v for k, v in offenders.items() if v}
    assert "folio.model.walk" in imported_modules(ROOT / "folio" / "writers" / "docx" / "estimate.py")


def test_every_word_of_the_outputs_comes_from_the_terms_table(tmp_path):
    """A made-up language whose every term is a marker: no English term is left in any edition."""
    import yaml

    english = yaml.safe_load((ROOT / "folio" / "i18n" / "locales" / "en.yaml").read_text(encoding="utf-8"))
    english.pop("locale")      # the language's scheme (numbering, bullets): not words

    def marked(value, key):
        return {k: marked(v, k) for k, v in value.items()} if isinstance(value, dict) else f"Zq{key}zQ"

    text = SHOWCASE.read_text(encoding="utf-8").replace("year: 2024", "year: 2024\nlanguage: xx")
    source = make_project(tmp_path, text)
    (tmp_path / "source" / "images").mkdir()
    chart = (SHOWCASE.parent / "images" / "chart.png").read_bytes()
    (tmp_path / "source" / "images" / "chart.png").write_bytes(chart)
    (tmp_path / "styles" / "locales").mkdir()
    (tmp_path / "styles" / "locales" / "xx.yaml").write_text(yaml.safe_dump(marked(english, "")), encoding="utf-8")
    result = build(Project.for_source(source, root=tmp_path, out_dir=tmp_path / "build"),
                   ["html", "pdf", "docx"], Reporter())
    assert result.ok, "\n".join(map(str, result.reporter.messages))
    out = tmp_path / "build"
    page = html.parse(str(out / "html" / "index.html")).getroot()
    shown_html = " ".join(page.itertext()) + " " + " ".join(
        v for el in page.iter() for k, v in el.attrib.items() if k in ("title", "aria-label", "alt"))
    need("pdftotext")
    shown_pdf = subprocess.run(["pdftotext", str(out / "report.pdf"), "-"], capture_output=True, text=True).stdout
    with zipfile.ZipFile(out / "report.docx") as package:
        shown_docx = " ".join(etree.fromstring(package.read("word/document.xml")).itertext())
    # The author's own words (no syntax): a term may show as often as the text itself says it,
    # twice over for headings (the contents repeats them), and never more.
    doc = load(Project.for_source(source, root=tmp_path), Reporter())
    said = " ".join(plain_text(nodes) for b in document_blocks(doc) for nodes in inline_lists(b))

    def words(value):
        if isinstance(value, dict):
            for inner in value.values():
                yield from words(inner)
        elif isinstance(value, list):      # a term with several forms
            for inner in value:
                yield from words(inner)
        else:
            yield value

    def count(word, text):
        return len(re.findall(rf"(?<!\w){re.escape(word)}(?!\w)", text))

    for name, shown in (("html", shown_html), ("pdf", shown_pdf), ("docx", shown_docx)):
        left = sorted(w for w in set(words(english)) if count(w, shown) > 2 * count(w, said))
        assert not left, (name, left)
        assert "Zq" in shown, name
