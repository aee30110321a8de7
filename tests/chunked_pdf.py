"""What the chunked-layout tests share (test_chunked*.py): throwaway projects built by the
command line, the route's record of a build, and a PDF read back (text, labels, outline,
links, pixels, fonts, the structure tree)."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from conftest import REPORT, ROOT, SHOWCASE, need, pdf_outline, run_folio
from PIL import Image
from pypdf import PdfReader
from runon_text import runon

sys.path.insert(0, str(ROOT / "bench"))
from make_source import scaled  # noqa: E402

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


def copied(source: Path, where: Path) -> Path:
    """A copy of a built project (its build folder and chunk cache too) at where."""
    shutil.copytree(source.parent.parent, where, symlinks=True)
    return where / "source" / source.name


# ---- builds from nothing, shared by the files that read them -------------------------------------

# The run-on report at 4×: 40 pages, eleven chunks and three cuts where its pages begin blocks;
# long enough for `auto` to choose chunks (its print HTML is over CHUNKED_FROM).
TIMES = 4

SOURCES = {
    "report-4x": lambda: (scaled(REPORT.read_text(encoding="utf-8"), TIMES), None),
    # chapters that open on new pages: the chunked route cuts there (the others run on)
    "report-pages": lambda: (on_new_pages(REPORT.read_text(encoding="utf-8")), None),
    "showcase": lambda: (SHOWCASE.read_text(encoding="utf-8"), SHOWCASE.parent / "images"),
}


def clean(built_once, name: str, layout: str) -> Path:
    """The source of a project of SOURCES[name] with `pdf-layout: layout`, built from nothing
    once for the whole run (conftest: built_once) for every file that reads it: a test that
    changes it works on a copy (copied())."""
    def make(where: Path) -> None:
        text, images = SOURCES[name]()
        build(project(where, with_layout(text, layout), images))
    return built_once(f"chunked-{name}-{layout}", make) / "source" / "doc.md"


# The run-on document of test_chunked_runon.py and test_chunked_fix.py: four chapters of six
# paragraphs (14 pages), three chunks of body text and two cuts where its pages begin blocks.
RUNON = (4, 6)

# What the run-on builds are made with: reproducible bytes, and more cuts than a real report's
# (a short document).
RUNON_ENV = {"SOURCE_DATE_EPOCH": "1700000000", "FOLIO_CUT_SHARE": "0.7"}


def runon_clean(built_once, chapters: int, paragraphs: int) -> Path:
    """The source of a project of runon(chapters, paragraphs), built from nothing once for the
    run with RUNON_ENV (test_chunked_runon.py and test_chunked_fix.py correct copies of it)."""
    def make(where: Path) -> None:
        with pytest.MonkeyPatch.context() as patch:
            for key, value in RUNON_ENV.items():
                patch.setenv(key, value)
            build(project(where, runon(chapters, paragraphs)))
    return built_once(f"runon-{chapters}x{paragraphs}", make) / "source" / "doc.md"


def stats(source: Path) -> dict:
    return json.loads((source.parent.parent / "build" / STATS).read_text(encoding="utf-8"))


def pdf_of(source: Path) -> Path:
    return source.parent.parent / "build" / "doc.pdf"


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


def correct(source: Path, old: str, new: str, last: bool = True) -> None:
    text = source.read_text(encoding="utf-8")
    at = text.rindex(old) if last else text.index(old)
    source.write_text(text[:at] + new + text[at + len(old):], encoding="utf-8")


def clean_build(source: Path, where: Path) -> Path:
    copy = project(where, source.read_text(encoding="utf-8"))
    build(copy)
    return pdf_of(copy)


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

