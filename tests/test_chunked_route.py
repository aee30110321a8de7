"""The chunked PDF layout's route (folio/layout/chunked/): chunks laid out on their own side,
the fallback to a single pass, the hooks that run in the layout workers, the split of the print
HTML, and numbers that cross chunks (notes, page references, tables, right-hand breaks); each
read back against a single pass of the same source."""
from __future__ import annotations

import io
import re
import sys

import pikepdf
import pytest
from chunked_pdf import build, many_chapters, on_new_pages, pdf_of, pixels, project, read, stats, with_layout
from conftest import REPORT, ROOT, SHOWCASE
from PIL import ImageChops

sys.path.insert(0, str(ROOT / "bench"))
from make_source import scaled  # noqa: E402

from folio.layout.chunked import plan  # noqa: E402

# Lays out PDFs, starts LibreOffice, Chromium or builds whole reports: the slow tier
pytestmark = pytest.mark.slow

# ---- sides, workers, the fallback, the page-map hook -----------------------------------------------

@pytest.mark.parametrize("chapters", ["on new pages", "run on"])
def test_pages_whose_sides_differ_are_laid_out_on_their_own_side(tmp_path, monkeypatch, chapters):
    """With a narrower left-hand page, a chunk's lines depend on its first page's side: such a
    chunk is laid out again on its own side, and the file still reads as the single pass."""
    # (the report at 1× has no soft cut that begins a left-hand page: at 2×, one does)
    text = scaled(REPORT.read_text(encoding="utf-8"), 1 if chapters == "on new pages" else 2)
    if chapters == "on new pages":
        text = on_new_pages(text)        # some chapters, and so chunks, begin on a left-hand page
    else:
        monkeypatch.setenv("FOLIO_CUT_SHARE", "0.9")   # soft cuts enough for one to begin a left page
    out = []
    for layout in ("single", "chunked"):
        source = project(tmp_path / layout, with_layout(text, layout))
        sheet = source.parent.parent / "styles" / "print.css"
        css, found = re.subn(r"@page :left\s*\{[^}]*\}", "@page :left { margin-left: 1.9in; margin-right: 1.6in; }",
                             sheet.read_text(encoding="utf-8"))
        assert found == 1, "print.css has no left-hand page rule to narrow"   # else the sides agree
        sheet.write_text(css, encoding="utf-8")
        build(source)
        out.append(pdf_of(source))
    run = stats(source)
    assert run["own side"], "no chunk was laid out on its own side"
    # each first as if it began on a right-hand page, then again on its own (left) side
    assert all(run["laid out names"].count(name) >= 2 for name in run["own side"]), run
    assert len(run["laid out"]) > len(set(run["laid out"])), "no chunk was laid out again"
    assert read(out[0]) == read(out[1])


def test_a_layout_that_does_not_settle_falls_back_to_a_single_pass(tmp_path, monkeypatch):
    from folio.build import build as build_in_process
    from folio.diagnostics import Reporter
    from folio.layout.chunked import route
    from folio.project import Project

    def refuse(self):
        raise route.Unsettled("for the test")

    monkeypatch.setattr(route.Route, "run", refuse)
    source = project(tmp_path, with_layout(SHOWCASE.read_text(encoding="utf-8"), "chunked"),
                     SHOWCASE.parent / "images")
    result = build_in_process(Project.for_source(source), ["pdf"], Reporter())
    assert result.ok
    warnings = [m for m in result.reporter.messages if m.kind.value == "layout"]
    assert len(warnings) == 1 and "one pass" in warnings[0].text
    assert read(pdf_of(source))["pages"] > 5


def test_workers_return_what_a_page_hook_makes_of_each_page(tmp_path):
    from folio.diagnostics import Reporter
    from folio.layout.chunked import route
    from folio.project import Project
    from folio.writers.pdf import single as pdf

    source = project(tmp_path, REPORT.read_text(encoding="utf-8"))
    project_ = Project.for_source(source)
    reporter = Reporter()
    from folio.build import load
    doc = load(project_, reporter)
    options = route.Options(lambda pages: [(i + 1, "decimal") for i in range(len(pages))], pdf.page_label,
                            facts=("folio.layout.chunked.worker:page_text", ()))
    out = route.write(lambda: pdf.print_html(doc, project_, reporter), project_, reporter, options)
    chunk_pages = [p for p in out.pages if p.chunk is not None]
    assert chunk_pages and all(p.chunk.extra == p.chunk.text for p in chunk_pages)
    assert [p.label for p in out.pages] == [str(i + 1) for i in range(len(out.pages))]


# ---- the split ------------------------------------------------------------------------------------

def test_chunks_start_where_pages_break_and_hold_every_element_once():
    from folio.build import load
    from folio.diagnostics import Reporter
    from folio.project import Project
    from folio.writers.pdf import print_html
    project_ = Project.for_source(SHOWCASE, root=ROOT)
    reporter = Reporter()
    html = print_html(load(project_, reporter), project_, reporter)
    laid = plan.split(html, project_.root.as_uri() + "/")
    assert len(laid.chunks) >= 4
    ids = [e.get("id") for e in _tree(html).iter() if isinstance(e.tag, str) and e.get("id")]
    chunked = [e.get("id") for c in laid.chunks for e in c.tree.find("body").iter()
               if isinstance(e.tag, str) and e.get("id")]
    assert chunked == ids                                  # every element once, in order
    for chunk in laid.chunks:
        assert chunk.opens in ("first", "page", "right", "left")
        assert all(u.opens in ("page", None) for u in chunk.units[1:])   # right breaks open chunks


def _tree(html: str):
    from lxml import etree
    return etree.fromstring(html, etree.HTMLParser())



def test_a_tagging_hook_runs_in_the_workers_and_its_id_trees_are_merged(tmp_path):
    from folio.build import load
    from folio.diagnostics import Reporter
    from folio.layout.chunked import route
    from folio.project import Project
    from folio.writers.pdf import single as pdf

    source = project(tmp_path, scaled(REPORT.read_text(encoding="utf-8"), 2))
    project_, reporter = Project.for_source(source), Reporter()
    doc = load(project_, reporter)
    options = route.Options(lambda pages: [(i + 1, "decimal") for i in range(len(pages))], pdf.page_label,
                            tagging="folio.layout.weasy.tags:structure_ids")   # the single pass's own hook
    out = route.write(lambda: pdf.print_html(doc, project_, reporter), project_, reporter, options)
    assert out.stats["chunks"] > 3
    with pikepdf.open(io.BytesIO(out.pdf)) as merged:
        names = list(merged.Root.StructTreeRoot.IDTree.Names)
    keys = [str(k) for k in names[::2]]
    chapters = [p.heading.id for p in doc.parts if p.heading and p.heading.kind == "chapter"]
    assert chapters and keys == sorted(keys, key=lambda k: k.encode()) and set(chapters) <= set(keys)
    elements = dict(zip(keys, names[1::2], strict=True))
    assert all(str(elements[key].ID) == key for key in keys)
    assert all(str(elements[chapter].S) == "/H2" for chapter in chapters)




def test_footnotes_page_references_and_tables_across_many_chunks(tmp_path, monkeypatch):
    from folio.build import build as build_in_process
    from folio.diagnostics import Reporter
    from folio.project import Project

    monkeypatch.setattr(plan, "TARGET_BYTES", 1)       # a chunk for every chapter
    text = many_chapters(5)
    out = []
    for layout in ("single", "chunked"):
        source = project(tmp_path / layout, text.replace("pdf-layout: chunked", f"pdf-layout: {layout}"))
        result = build_in_process(Project.for_source(source), ["pdf"], Reporter())
        assert result.ok and not result.reporter.messages, result.reporter.messages
        out.append(pdf_of(source))
    assert stats(source)["chunks"] >= 7                # the five chapters in chunks of their own
    single, chunked = read(out[0]), read(out[1])
    assert chunked == single
    notes = re.findall(r"\b(\d+) The (?:first|second) note of chapter (\d+)", " ".join(chunked["text"]))
    assert [int(number) for number, _ in notes] == list(range(1, 11))
    images = pixels(out[0], tmp_path / "a"), pixels(out[1], tmp_path / "b")
    assert all(not ImageChops.difference(a, b).point(lambda v: 255 if v > 24 else 0).getbbox()
               for a, b in zip(*images, strict=True))


def test_a_right_hand_break_inside_a_chapter(tmp_path, monkeypatch):
    """A list item that must open on a right-hand page, deep inside a chapter (deeper than the
    split looks): the chunk holds blank pages, is laid out on its own side, and the frames make
    the blank pages' text."""
    from folio.build import build as build_in_process
    from folio.diagnostics import Reporter
    from folio.project import Project

    monkeypatch.setattr(plan, "TARGET_BYTES", 1)
    text = many_chapters(3)
    out = []
    for layout in ("single", "chunked"):
        source = project(tmp_path / layout, text.replace("pdf-layout: chunked", f"pdf-layout: {layout}"))
        sheet = source.parent.parent / "styles" / "print.css"
        sheet.write_text(sheet.read_text(encoding="utf-8") + "\nblockquote li + li { break-before: right; }\n",
                         encoding="utf-8")
        result = build_in_process(Project.for_source(source), ["pdf"], Reporter())
        assert result.ok and not result.reporter.messages, result.reporter.messages
        out.append(pdf_of(source))
    single, chunked = read(out[0]), read(out[1])
    blank = [label for label, t in zip(single["labels"], single["text"], strict=True)
             if t == "This page is intentionally left blank"]
    assert any(label.isdigit() for label in blank), blank     # blank pages inside the report
    assert chunked == single
