"""The DOCX paragraph plan: the one description of the Word file's paragraphs that the writer
writes and the import reads back. The import's view of a source must be what the writer wrote
(its list markers at every depth, the project's own words), and the plan must equal the
paragraphs of word/document.xml, read from the file itself, for every document we have."""
from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

import pytest
from conftest import REPORT, ROOT, SHOWCASE, make_project, run_folio
from docx_files import edit_untracked
from lxml import etree

from folio.build import build, load
from folio.diagnostics import Reporter
from folio.project import Project

LISTS = """---
title: Plan test
---

# Findings {#sec-find}

See @sec-find for the words here.

- first level item
  - second level item
    - third level item with words
      - fourth level item

| A | B |
|---|---|
| 1 | 2 |

Table: Stock of migrants {#tbl-stock}

Text after, see @tbl-stock.
"""


def built(where: Path, text: str, locale: str | None = None) -> tuple[Path, Path]:
    source = make_project(where, text)
    if locale is not None:
        (where / "styles" / "locales").mkdir(exist_ok=True)
        (where / "styles" / "locales" / "en.yaml").write_text(locale, encoding="utf-8")
    result = build(Project.for_source(source, root=where), ["docx"], Reporter())
    assert result.ok, [str(m) for m in result.reporter.messages]
    return source, where / "build" / "report.docx"


def imported(where: Path, source: Path, docx: Path):
    run = run_folio("import-docx", docx, source, cwd=where)
    assert run.returncode == 0, run.stderr
    return run


def test_a_change_in_a_third_level_list_item_comes_back(tmp_path):
    source, docx = built(tmp_path, LISTS)
    edited = edit_untracked(docx, tmp_path / "edited.docx", "third level item with words", "third level item, edited")
    run = imported(tmp_path, source, edited)
    assert "list marker" not in run.stderr and "not applied" not in run.stderr, run.stderr
    assert "+    - third level item, edited" in run.stdout, run.stdout
    edited = edit_untracked(docx, tmp_path / "edited4.docx", "fourth level item", "fourth level entry")
    run = imported(tmp_path, source, edited)
    assert "not applied" not in run.stderr and "+      - fourth level entry" in run.stdout, run.stderr


def test_the_projects_own_words_are_the_words_the_import_expects(tmp_path):
    locale = "ref:\n  chapter: Chap.\n  table: tab.\ntable: Tabular\n"
    source, docx = built(tmp_path, LISTS, locale)
    step = edit_untracked(docx, tmp_path / "one.docx", "for the words here", "for the words there")
    step = edit_untracked(step, tmp_path / "two.docx", "Stock of migrants", "Stock of all migrants")
    edited = edit_untracked(step, tmp_path / "three.docx", "Text after, see", "Text after this, see")
    run = imported(tmp_path, source, edited)
    assert "not applied" not in run.stderr, run.stderr
    for line in ("+See @sec-find for the words there.", "+Table: Stock of all migrants {#tbl-stock}",
                 "+Text after this, see @tbl-stock."):
        assert line in run.stdout, run.stdout


# ---- the plan equals what the writer wrote -----------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FM = "{urn:folio:source-map:1}"
GENERATED_STYLES = {"toc 1", "toc 2", "toc 3", "abbreviation entry"}   # Word's own names are lower case
DOCUMENTS = [REPORT, SHOWCASE, *sorted((ROOT / "tests" / "documents").glob("*.md")),
             *sorted((ROOT / "tests" / "documents" / "languages").glob("*.md")),
             *sorted((ROOT / "tests" / "documents" / "versions").glob("*.md"))]
IDS = ["/".join(p.relative_to(p.parents[1]).with_suffix("").parts) for p in DOCUMENTS]

# Every shape a paragraph takes in the Word file, in one document: a masthead, a lost part,
# lists six deep with continued items, boxes in boxes and in notes, a grid table whose cells
# hold blocks, aligned columns, a figure, a note that calls a guest, notes opening with a
# definition list or a list.
SHAPES = """---
title: Every shape a Word paragraph takes
year: 2026
paragraph-numbers: true
---

*[WHO]: World Health Organization

::::: {.masthead}

::: {.masthead-symbol}
A/80/123
:::

::: {.masthead-issue}
Issue line one
:::

:::::

# Foreword {.unnumbered #foreword}

An opening paragraph that calls a host note.[^host] It names the World Health Organization (WHO).

# Findings {#sec-find}

A paragraph with a {gap: a page torn out} inside, see @para-labelled and @tbl-grid.

{#para-labelled}
A labelled paragraph the text cites.

1. ordered first
2. ordered second

   continued paragraph of the second item

   ```
   code inside an item
   ```
3. ordered third
   - one level in
     - two levels in
       - three levels in
         - four levels in
           - five levels in
             - six levels in

::: {.note}
Box text.

::: {.warning title="Inner box"}
A box inside a box.
:::
:::

::: {.caution}
A box without a title of its own, that calls a note.[^boxed]
:::

Term one
: Definition one.

  - a list in a definition
  - its second item

+---------------+---------------+
| Grid head one | Grid head two |
+===============+===============+
| - item in a   | plain cell    |
| - grid cell   |               |
+---------------+---------------+

Table: A grid table {#tbl-grid}

| Left | Centre | Right |
|:-----|:------:|------:|
| a    | b      | c     |

![A figure with its caption](images/chart.png){#fig-chart}

See @fig-chart on [page @fig-chart].

> A quotation.

---

{gap: a whole paragraph lost}

# {gap: chapter III lost in transmission}

# After the loss

Text after a lost part.[^list]

[^host]: The host note calls a guest.[^guest] And ends.

[^guest]: The guest note, first called from the host.

[^boxed]:
    Term in a note
    : Its definition.

    ::: {.note}
    A box inside a note.
    :::

[^list]:
    - a note opening with a list
    - its second item
"""


def _word_paragraphs(data: bytes) -> list:
    """(id or "", style name, text) of every paragraph of the body, then the notes, read from
    the XML itself."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        parts = {n: etree.fromstring(zf.read(n)) for n in zf.namelist() if n.endswith(".xml")}
    styles = parts["word/styles.xml"].iter(f"{W}style")
    names = {s.get(f"{W}styleId"): s.find(f"{W}name").get(f"{W}val") for s in styles}
    smap = next(r for r in parts.values() if r.tag == f"{FM}sourcemap")
    ids = {p.get("bookmark"): p.get("id") for p in smap.iter(f"{FM}p")}
    out = []
    for root in (parts["word/document.xml"], parts["word/footnotes.xml"]):
        for p in root.iter(f"{W}p"):
            note = p.getparent().get(f"{W}id", "") if p.getparent().tag == f"{W}footnote" else ""
            if note in ("-1", "0"):
                continue            # the separators
            text = []
            for el in p.iter():
                tag = el.tag.replace(W, "")
                if tag == "t":
                    text.append(el.text or "")
                elif tag == "tab":
                    text.append("\t")
                elif tag == "br":
                    text.append("\n")
                elif tag == "footnoteReference":
                    text.append(el.get(f"{W}id"))
                elif tag == "footnoteRef":
                    text.append(note)
            marks = [ids[b.get(f"{W}name")] for b in p.iter(f"{W}bookmarkStart") if b.get(f"{W}name") in ids]
            style = p.find(f"{W}pPr/{W}pStyle")
            name = names.get(style.get(f"{W}val"), "") if style is not None else "Normal"
            out.append((marks[0] if marks else "", name.lower(), "".join(text)))
    return out


@pytest.mark.parametrize("source", DOCUMENTS, ids=IDS)
def test_the_plan_is_the_paragraphs_the_writer_wrote(source):
    _the_plan_is_what_was_written(source, ROOT)


def test_every_shape_of_paragraph_is_planned_as_written(tmp_path):
    source = make_project(tmp_path, SHAPES)
    (source.parent / "images").mkdir()
    (source.parent / "images" / "chart.png").write_bytes((SHOWCASE.parent / "images" / "chart.png").read_bytes())
    _the_plan_is_what_was_written(source, tmp_path)


def _the_plan_is_what_was_written(source: Path, root: Path) -> None:
    from folio.corrections.model_view import source_view
    from folio.corrections.package import Package
    from folio.corrections.revisions import read_document
    from folio.corrections.viewer import _pages
    from folio.writers.docx import render_docx
    from folio.writers.docx.planner import plan

    project = Project.for_source(source, root=root)
    reporter = Reporter()
    doc = load(project, reporter)
    assert not reporter.messages, [str(m) for m in reporter.messages]
    data, _ = render_docx(doc, project, Reporter())
    written = _word_paragraphs(data)
    with tempfile.NamedTemporaryFile(suffix=".docx") as handle:
        handle.write(data)
        handle.flush()
        with Package(Path(handle.name)) as pkg:
            pages = _pages(read_document(pkg), doc)
    planned = plan(doc, pages)
    view = source_view(doc, doc.text, "source.md", pages).paragraphs
    assert len(view) == len(planned)
    wanted = [(p.id, p.style.lower(), v.text) for p, v in zip(planned, view, strict=True)]
    got = [w for w in written if w[0] or w[1] in GENERATED_STYLES
           or (w[1] == "footnote text" and not w[0] and w[2].strip().isdigit())]
    assert len(wanted) > 5
    for n, (want, have) in enumerate(zip(wanted, got, strict=False)):
        assert want == have, f"paragraph {n}: the plan says {want!r}, the file has {have!r}"
    assert len(wanted) == len(got)


@pytest.mark.parametrize("source", DOCUMENTS, ids=IDS)
def test_an_unedited_file_brings_no_change_and_every_id_holds(source, tmp_path):
    """Every entry of the map describes the paragraph it names (its text hash), so the import
    of the file as written matches everything by its id and changes nothing."""
    from folio.corrections import import_docx
    from folio.writers.docx import render_docx

    project = Project.for_source(source, root=ROOT)
    doc = load(project, Reporter())
    data, _ = render_docx(doc, project, Reporter())
    (tmp_path / "built.docx").write_bytes(data)
    reporter = Reporter()
    outcome = import_docx(tmp_path / "built.docx", doc.text, "report.md", reporter, project=project)
    assert not outcome.changed and not reporter.messages, [str(m) for m in reporter.messages]


# ---- who imports whom --------------------------------------------------------------------

FOLIO = ROOT / "folio"
APART = [("readers", "writers"), ("writers", "readers"), ("readers", "corrections"), ("corrections", "readers"),
         ("writers", "corrections")]


def _imports(path: Path) -> set[str]:
    """The folio modules a file imports, as dotted names (relative imports resolved)."""
    import ast
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    if path.name == "__init__.py":
        package = ".".join(path.relative_to(ROOT).parts[:-1])
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[:len(package.split(".")) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            out |= {module} | {f"{module}.{a.name}" for a in node.names}
    return {name for name in out if name.startswith("folio")}


def test_readers_writers_and_corrections_do_not_import_each_other():
    found = []
    for src, dst in APART:
        for path in (FOLIO / src).rglob("*.py"):
            found += [f"{path.relative_to(ROOT)} imports {name}" for name in _imports(path)
                      if name.startswith(f"folio.{dst}.") or name == f"folio.{dst}"]
    assert not found, "\n".join(found)
    # and the shared layer is what both sides use
    assert any(n.startswith("folio.ooxml") for n in _imports(FOLIO / "writers" / "docx" / "sourcemap.py"))
    assert any(n.startswith("folio.ooxml") for n in _imports(FOLIO / "corrections" / "match.py"))
    assert any(n.startswith("folio.readers") for n in _imports(FOLIO / "build.py"))    # the walk sees imports


# Fields of the model that hold blocks, or the document's lists of them: a module that reads
# one walks the model on its own.
BLOCK_FIELDS = {"blocks", "definitions", "head", "body", "term", "caption", "footnote_order", "composition",
                "contents", "abbreviation_table", "gaps", "parts"}


def test_the_word_writers_body_is_written_from_the_plan_alone():
    """body.py turns planned items into XML: it imports no walk of the model and reads no
    block-holding field of it (an inline's children are the run writer's, and stay)."""
    path = FOLIO / "writers" / "docx" / "body.py"
    assert not [n for n in _imports(path) if n.startswith("folio.model.walk")]
    read = _attributes(path)
    assert not read & BLOCK_FIELDS, sorted(read & BLOCK_FIELDS)
    assert any(n.startswith("folio.writers.docx.plan") for n in _imports(path))


def test_only_the_planner_walks_the_model_in_the_word_writer():
    """The plan is the Word writer's one walk of the model's blocks (planner.py, and
    planner_folio.py for what folio makes from them): no other module of the writer iterates
    blocks or reads a field that holds them."""
    walks = {"iter_blocks", "document_blocks", "note_guests", "inline_lists", "document_inline_lists"}
    found = []
    for path in sorted((FOLIO / "writers" / "docx").glob("*.py")):
        if path.stem.startswith("planner"):
            continue
        found += [f"{path.name} imports {n}" for n in _imports(path) if n.rsplit(".", 1)[-1] in walks]
        found += [f"{path.name} reads .{a}" for a in _attributes(path) & {"blocks", "definitions", "footnote_order"}]
    assert not found, found
    assert "note_guests" in {n.rsplit(".", 1)[-1] for n in _imports(FOLIO / "writers" / "docx" / "planner.py")}


def _attributes(path: Path) -> set[str]:
    import ast
    return {node.attr for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Attribute)}
