"""The chunked PDF layout (folio/writers/chunked/), read back against the single pass.

Every expectation comes from a single-pass build of the same source (WeasyPrint laying out
the whole print HTML at once, `pdf-layout: single`) or from the PDF's own structure; the
chunked file must read the same: pages, the text on each, labels, outline, link targets,
pixels; and be sound on its own: qpdf, fonts, the structure tree, metadata."""
from __future__ import annotations

import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pikepdf
import pytest
from conftest import REPORT, ROOT, SHOWCASE, need, pdf_outline, run_folio
from PIL import Image, ImageChops
from pypdf import PdfReader

sys.path.insert(0, str(ROOT / "bench"))
from make_source import scaled  # noqa: E402

from folio.writers.chunked import cache as caching  # noqa: E402
from folio.writers.chunked import plan  # noqa: E402

# Lays out PDFs, starts LibreOffice, Chromium or builds whole reports: the slow tier
pytestmark = pytest.mark.slow

STATS = Path(".folio") / "chunks" / "last-run.json"


# ---- projects and builds --------------------------------------------------------------------

def on_new_pages(text: str) -> str:
    return re.sub(r"(?m)^chapter-opening:.*$", "chapter-opening: page", text, count=1)


def with_layout(text: str, layout: str) -> str:
    return text.replace("---\n", f"---\npdf-layout: {layout}\n", 1)


def project(where: Path, text: str, images: Path | None = None) -> Path:
    for folder in ("templates", "styles"):
        shutil.copytree(ROOT / folder, where / folder)
    (where / "source").mkdir()
    if images:
        shutil.copytree(images, where / "source" / "images")
    source = where / "source" / "doc.md"
    source.write_text(text, encoding="utf-8")
    return source


def build(source: Path, *extra) -> subprocess.CompletedProcess:
    run = run_folio("build", source, "-f", "pdf", *extra)
    assert run.returncode == 0, run.stderr
    assert "[layout]" not in run.stderr, run.stderr    # the chunked route settled, no fallback
    return run


def stats(source: Path) -> dict:
    return json.loads((source.parent.parent / "build" / STATS).read_text(encoding="utf-8"))


def pdf_of(source: Path) -> Path:
    return source.parent.parent / "build" / "doc.pdf"


SOURCES = {
    "report-1x": lambda: (REPORT.read_text(encoding="utf-8"), None),
    "report-10x": lambda: (scaled(REPORT.read_text(encoding="utf-8"), 10), None),
    # chapters that open on new pages: the chunked route cuts there (the others run on)
    "report-pages": lambda: (on_new_pages(REPORT.read_text(encoding="utf-8")), None),
    "showcase": lambda: (SHOWCASE.read_text(encoding="utf-8"), SHOWCASE.parent / "images"),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """built(name, layout): the source of a project of SOURCES[name], built once for the module
    (tests that change a project work on a copy: copied())."""
    done: dict = {}

    def get(name: str, layout: str) -> Path:
        if (name, layout) not in done:
            text, images = SOURCES[name]()
            source = project(tmp_path_factory.mktemp(f"{name}-{layout}"), with_layout(text, layout), images)
            build(source)
            done[name, layout] = source
        return done[name, layout]
    return get


def copied(source: Path, where: Path) -> Path:
    """A copy of a built project (its build folder and chunk cache too) at where."""
    shutil.copytree(source.parent.parent, where, symlinks=True)
    return where / "source" / source.name


@pytest.fixture(scope="module", params=list(SOURCES))
def pair(request, built) -> tuple[Path, Path]:
    """(single-pass PDF, chunked PDF) of one source."""
    return tuple(pdf_of(built(request.param, layout)) for layout in ("single", "chunked"))


# ---- reading a PDF back -------------------------------------------------------------------------

def read(path: Path) -> dict:
    need("pdftotext")
    reader = PdfReader(path)
    count = len(reader.pages)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout.split("\f")[:count]
    named = reader.named_destinations
    links = []
    for index, page in enumerate(reader.pages):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") == "/Link":
                dest = annotation.get("/Dest") or (annotation.get("/A") or {}).get("/URI")
                rect = [round(float(v)) for v in annotation["/Rect"]]
                target = reader.get_destination_page_number(named[dest]) if dest in named else None
                links.append((index, str(dest), target, rect))
    return {"pages": count, "text": [" ".join(t.split()) for t in text], "labels": list(reader.page_labels),
            "outline": pdf_outline(reader), "links": links,
            "destinations": {name: reader.get_destination_page_number(d) for name, d in named.items()}}




def pixels(path: Path, where: Path) -> list:
    need("pdftoppm")
    where.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "36", "-gray", str(path), str(where / "p")], check=True)
    return [Image.open(p) for p in sorted(where.glob("p-*.pgm"))]


def fonts(path: Path) -> list[str]:
    need("pdffonts")
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return [line.split()[0] for line in out.splitlines()[2:] if line.strip()]


# ---- the same file ---------------------------------------------------------------------------

def test_chunked_reads_as_the_single_pass(pair):
    single, chunked = read(pair[0]), read(pair[1])
    assert chunked["pages"] == single["pages"]
    assert chunked["labels"] == single["labels"]
    assert chunked["outline"] == single["outline"]
    assert chunked["links"] == single["links"]
    assert chunked["destinations"] == single["destinations"]
    wrong = [i + 1 for i, (a, b) in enumerate(zip(single["text"], chunked["text"], strict=True)) if a != b]
    assert not wrong, f"pages whose text differs: {wrong}"


@pytest.mark.slow
def test_chunked_print_edition_reads_as_the_single_pass(pair):
    """The printer's edition of each: the same pages (the padding before the back cover, the
    empty inside of the back cover), the same text and labels, the same PDF/X claim."""
    single, chunked = (p.with_name("doc-print.pdf") for p in pair)
    a, b = read(single), read(chunked)
    assert (b["pages"], b["labels"], b["text"]) == (a["pages"], a["labels"], a["text"])
    assert not a["text"][-2] and a["pages"] % 4 == 0
    for path in (single, chunked):
        assert path.read_bytes()[:8] == b"%PDF-1.6"
        with pikepdf.open(path) as pdf:
            xmp = pdf.Root.Metadata.read_bytes()
            assert b"xmpMM:DocumentID" in xmp and b"pdfuaid" not in xmp


def test_chunked_page_map_is_the_single_pass_one(pair):
    """build/.folio/pagemap.json: every page's label, line count and text digest (running
    heads and number included), and every block's pages and lines."""
    single, chunked = (json.loads((p.parent / ".folio" / "pagemap.json").read_text(encoding="utf-8"))
                       for p in pair)
    assert chunked["pages"] == single["pages"]
    assert chunked["blocks"] == single["blocks"]    # (the sources differ by their pdf-layout line only)


def test_chunked_pages_look_like_the_single_pass(pair, tmp_path):
    single, chunked = pixels(pair[0], tmp_path / "single"), pixels(pair[1], tmp_path / "chunked")
    assert len(single) == len(chunked)
    differ = [i + 1 for i, (a, b) in enumerate(zip(single, chunked, strict=True))
              if ImageChops.difference(a, b).point(lambda v: 255 if v > 24 else 0).getbbox()]
    assert not differ, f"pages that look different: {differ}"


def test_chunked_file_is_sound(pair):
    need("qpdf")
    check = subprocess.run(["qpdf", "--check", str(pair[1])], capture_output=True, text=True)
    assert check.returncode == 0 and "warning" not in check.stdout.lower(), check.stdout + check.stderr
    faces = [re.sub(r"^[A-Z]{6}\+", "", name) for name in fonts(pair[1])]
    assert sorted(faces) == sorted(re.sub(r"^[A-Z]{6}\+", "", n) for n in fonts(pair[0]))   # one font per face
    assert pair[1].stat().st_size <= 1.2 * pair[0].stat().st_size
    with pikepdf.open(pair[0]) as single, pikepdf.open(pair[1]) as chunked:
        assert str(chunked.Root.Lang) == str(single.Root.Lang)
        assert bool(chunked.Root.MarkInfo.Marked)
        for key in ("/Title", "/Author", "/Subject", "/Keywords", "/CreationDate", "/ModDate", "/Producer"):
            assert str(chunked.docinfo.get(key)) == str(single.docinfo.get(key)), key
        assert chunked.open_metadata().get("dc:title") == single.open_metadata().get("dc:title")
        assert structure_problems(chunked) == []
        assert element_counts(chunked) == element_counts(single)


def structure_problems(pdf) -> list[str]:
    """Every marked content id on a page leads, through the parent tree, to an element of that
    page; every link annotation to its element; every element's /P to its parent."""
    root = pdf.Root.StructTreeRoot
    items = list(root.ParentTree.Nums)
    tree = {int(items[i]): items[i + 1] for i in range(0, len(items), 2)}
    problems = []
    for index, page in enumerate(pdf.pages):
        mcids = [int(ops[1].MCID) for ops, op in pikepdf.parse_content_stream(page)
                 if str(op) == "BDC" and isinstance(ops[1], pikepdf.Dictionary) and "/MCID" in ops[1]]
        if mcids and "/StructParents" not in page.obj:
            problems.append(f"page {index + 1}: marked content without /StructParents")
            continue
        for mcid in mcids:
            entry = tree[int(page.obj.StructParents)]
            if mcid >= len(entry) or entry[mcid].Pg.objgen != page.obj.objgen:
                problems.append(f"page {index + 1}: MCID {mcid} is not mapped to an element of the page")
        for annotation in page.obj.get("/Annots", ()):
            if "/StructParent" in annotation and int(annotation.StructParent) not in tree:
                problems.append(f"page {index + 1}: a link without an element")
    document = root.K[0] if isinstance(root.K, pikepdf.Array) else root.K
    problems += [f"/P of a {kid.S}" for kid in document.K if kid.P.objgen != document.objgen]
    return problems


def element_counts(pdf) -> dict:
    counts: dict[str, int] = {}
    stack = [pdf.Root.StructTreeRoot]
    while stack:
        element = stack.pop()
        if element.get("/Type") == "/StructElem":
            counts[str(element.S)] = counts.get(str(element.S), 0) + 1
        kids = element.get("/K")
        stack += [k for k in (kids if isinstance(kids, pikepdf.Array) else [kids])
                  if isinstance(k, pikepdf.Dictionary) and k.get("/Type") != "/OBJR"]
    return counts


# ---- corrections and the cache ----------------------------------------------------------------

@pytest.fixture(scope="module")
def tenfold(tmp_path_factory) -> Path:
    """The report at 10×, built once by the chunked route: its chapters open on new pages (the
    report's own `continue` runs them on, and leaves the body nothing to cut at)."""
    source = project(tmp_path_factory.mktemp("tenfold"), on_new_pages(scaled(REPORT.read_text(encoding="utf-8"), 10)))
    build(source)
    return source


def correct(source: Path, old: str, new: str, last: bool = True) -> None:
    text = source.read_text(encoding="utf-8")
    at = text.rindex(old) if last else text.index(old)
    source.write_text(text[:at] + new + text[at + len(old):], encoding="utf-8")


def clean_build(source: Path, where: Path) -> Path:
    copy = project(where, source.read_text(encoding="utf-8"))
    build(copy)
    return pdf_of(copy)


def test_a_one_word_correction_lays_out_one_chunk(tenfold, tmp_path):
    correct(tenfold, "excellent work", "excellent careful work")
    build(tenfold)
    run = stats(tenfold)
    last_chapter = run["chunks"] - 2           # the last chunk is the back cover
    assert run["laid out"] == [last_chapter], run
    assert run["frames laid out"] == 0 and run["frames from cache"] > 0, run
    assert pdf_of(tenfold).read_bytes() == clean_build(tenfold, tmp_path / "clean").read_bytes()


def test_a_correction_that_adds_pages_lays_out_its_chunk_and_the_frames(tenfold, tmp_path):
    """Chunks do not depend on the number or side of their first page: later chunks are not
    laid out again when an early chapter grows; their frames (numbers, sides) and the
    contents are."""
    before = read(pdf_of(tenfold))
    long = " ".join(["The meeting asked for a longer record of this discussion."] * 400)  # pages more
    correct(tenfold, "\n# Towards 2018: next steps", f"\n{long}\n\n# Towards 2018: next steps", last=False)
    build(tenfold)
    run = stats(tenfold)
    after = read(pdf_of(tenfold))
    assert after["pages"] > before["pages"]
    grown = {c for c in run["laid out"] if c not in run["show numbers"]}
    # The grown chunk, and at most one other: a chunk holding a blank page is laid out on its
    # own side, again when its side changes (the contents are laid out again for their numbers).
    assert 1 <= len(grown) <= 2 and len(grown) < run["chunks"] // 4, run
    assert run["frames laid out"] > 0, run
    single = project(tmp_path / "single", with_layout(tenfold.read_text(encoding="utf-8"), "single"))
    build(single)
    assert read(pdf_of(single)) == after


def test_a_damaged_cache_entry_is_laid_out_again(built, tmp_path):
    source = copied(built("report-1x", "chunked"), tmp_path / "p")    # the report, built chunked
    before = pdf_of(source).read_bytes()
    folder = source.parent.parent / "build" / caching.FOLDER
    # Only the entries a build reads: the folder keeps what earlier rounds (other cuts) laid out.
    build(source, "--force")
    read = set(stats(source)["entries read"])
    entries = sorted((p for p in folder.glob("*.chunk") if p.stem in read), key=lambda p: p.stat().st_size)
    assert stats(source)["laid out"] == [] and stats(source)["frames laid out"] == 0 and len(entries) > 2
    damaged = entries[-1]
    data = bytearray(damaged.read_bytes())
    data[len(data) // 2] ^= 0xFF                      # one flipped byte in the middle of the PDF
    damaged.write_bytes(bytes(data))
    (entries[0]).write_bytes(b"not a cache entry")
    build(source, "--force")
    run = stats(source)
    assert len(run["laid out"]) + run["frames laid out"] == 2, run
    assert pdf_of(source).read_bytes() == before
    assert damaged.read_bytes() != bytes(data)        # replaced by a good entry


def test_the_cache_keeps_what_a_build_used_and_drops_the_oldest_beyond_its_budget(tmp_path, monkeypatch):
    monkeypatch.setattr(caching, "MIN_BUDGET", 3000)
    store = caching.Cache(tmp_path)
    pdf = b"%PDF-1.7\n" + b"x" * 990 + b"\n%%EOF\n"
    for i in range(6):
        store.put(f"e{i}", caching.Rendered(pdf, []))
        os.utime(tmp_path / f"e{i}.chunk", (1000 + i, 1000 + i))
    store.used = {"e0"}                                # the oldest, but this build used it
    store.prune()                                      # budget: 4 × what was used
    assert sorted(p.stem for p in tmp_path.glob("*.chunk")) == ["e0", "e3", "e4", "e5"]
    assert caching.Cache(tmp_path).get("e0").pdf == pdf


def test_a_moved_project_keeps_its_cache(tmp_path):
    source = project(tmp_path / "here", with_layout(REPORT.read_text(encoding="utf-8"), "chunked"))
    build(source)
    shutil.move(tmp_path / "here", tmp_path / "there")
    moved = tmp_path / "there" / "source" / "doc.md"
    build(moved, "--force")
    assert stats(moved)["laid out"] == [] and stats(moved)["frames laid out"] == 0


# ---- sides, workers, the fallback, the page-map hook -----------------------------------------------

@pytest.mark.parametrize("chapters", ["on new pages", "run on"])
def test_pages_whose_sides_differ_are_laid_out_on_their_own_side(tmp_path, monkeypatch, chapters):
    """With a narrower left-hand page, a chunk's lines depend on its first page's side: such a
    chunk is laid out again on its own side, and the file still reads as the single pass."""
    text = scaled(REPORT.read_text(encoding="utf-8"), 2)
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


def test_workers_die_with_the_build(tmp_path):
    source = project(tmp_path, on_new_pages(scaled(REPORT.read_text(encoding="utf-8"), 10)))
    proc = subprocess.Popen([sys.executable, "-m", "folio", "build", str(source), "-f", "pdf"], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    workers: list[int] = []
    deadline = time.monotonic() + 60
    while len(workers) < 2 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.1)
        workers = _children(proc.pid)
    assert workers, "no layout workers were seen"
    proc.send_signal(signal.SIGKILL)                      # the build only, not its process group
    proc.wait()
    deadline = time.monotonic() + 5
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in workers if _alive(pid)]


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_a_layout_that_does_not_settle_falls_back_to_a_single_pass(tmp_path, monkeypatch):
    from folio.build import build as build_in_process
    from folio.diagnostics import Reporter
    from folio.project import Project
    from folio.writers.chunked import route

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
    from folio.project import Project
    from folio.writers import pdf
    from folio.writers.chunked import route

    source = project(tmp_path, REPORT.read_text(encoding="utf-8"))
    project_ = Project.for_source(source)
    reporter = Reporter()
    from folio.build import load
    doc = load(project_, reporter)
    options = route.Options(lambda pages: [(i + 1, "decimal") for i in range(len(pages))], pdf.page_label,
                            facts=("folio.writers.chunked.worker:page_text", ()))
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


def test_auto_lays_out_a_short_document_in_one_pass_and_a_long_one_in_chunks(tenfold, tmp_path):
    short = project(tmp_path, REPORT.read_text(encoding="utf-8"))      # pdf-layout: auto (default)
    build(short)
    assert not (short.parent.parent / "build" / STATS).exists()
    assert stats(tenfold)["chunks"] > 5                                   # the 10× report, also auto
    run_on = project(tmp_path / "run-on", scaled(REPORT.read_text(encoding="utf-8"), 10))   # continue
    build(run_on)
    run = stats(run_on)              # no forced break in the body: cut where its pages begin blocks
    assert run["chunks"] > 5 and run["cuts"], run


def test_a_tagging_hook_runs_in_the_workers_and_its_id_trees_are_merged(tmp_path):
    from folio.build import load
    from folio.diagnostics import Reporter
    from folio.project import Project
    from folio.writers import pdf
    from folio.writers.chunked import route

    source = project(tmp_path, scaled(REPORT.read_text(encoding="utf-8"), 2))
    project_, reporter = Project.for_source(source), Reporter()
    doc = load(project_, reporter)
    options = route.Options(lambda pages: [(i + 1, "decimal") for i in range(len(pages))], pdf.page_label,
                            tagging="folio.writers.pdf:_structure_ids")   # the single pass's own hook
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


def many_chapters(count: int) -> str:
    """A report of short chapters, each with footnotes, a table and page references to other
    chapters (before and after it): every number that crosses chunks."""
    parts = ["---\ntitle: Footnotes Across Chunks\nshort-title: Across chunks\npdf-layout: chunked\n---\n\n"
             "# Preface {.front .preface}\n\nA short preface.\n\n# The report {.unnumbered #report}\n\n"
             "The chapters follow.\n"]
    for n in range(1, count + 1):
        other = count + 1 - n
        parts.append(
            f"\n# Chapter about topic {n} {{#sec-topic-{n}}}\n\n"
            f"Topic {n} was discussed at length by the delegations.[^n{n}a] The discussion of topic "
            f"{other} is on [page @sec-topic-{other}], and a second note closes it.[^n{n}b]\n\n"
            f"| Delegation | Statements |\n|---|--:|\n| North {n} | {n * 3} |\n| South {n} | {n * 5} |\n\n"
            f"Table: Statements on topic {n} {{#tbl-topic-{n}}}\n\n"
            f"> - The first point made on topic {n}.\n> - The second point made on topic {n}.\n\n"
            + "The delegations agreed to continue the work in the next session. " * (40 + 30 * (n % 3)) + "\n\n"
            f"[^n{n}a]: The first note of chapter {n}, on its own page.\n"
            f"[^n{n}b]: The second note of chapter {n}.\n")
    return "".join(parts)


def test_footnotes_page_references_and_tables_across_many_chunks(tmp_path, monkeypatch):
    from folio.build import build as build_in_process
    from folio.diagnostics import Reporter
    from folio.project import Project

    monkeypatch.setattr(plan, "TARGET_BYTES", 1)       # a chunk for every chapter
    text = many_chapters(9)
    out = []
    for layout in ("single", "chunked"):
        source = project(tmp_path / layout, text.replace("pdf-layout: chunked", f"pdf-layout: {layout}"))
        result = build_in_process(Project.for_source(source), ["pdf"], Reporter())
        assert result.ok and not result.reporter.messages, result.reporter.messages
        out.append(pdf_of(source))
    assert stats(source)["chunks"] >= 11
    single, chunked = read(out[0]), read(out[1])
    assert chunked == single
    notes = re.findall(r"\b(\d+) The (?:first|second) note of chapter (\d+)", " ".join(chunked["text"]))
    assert [int(number) for number, _ in notes] == list(range(1, 19))
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
    text = many_chapters(5)
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
