"""The print edition, read back from the PDF as a printer and a PDF reader see it.

Every expectation comes from the seed, the Markdown source or the PDF's own structure
(its contents page, page labels, outline, annotations); nothing here is copied from a
run of the code under test."""
from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pdfplumber
import pytest
import yaml
from conftest import REPORT, ROOT, SHOWCASE, need, pdf_outline, run_folio, source_headings
from pypdf import PdfReader
from seed_text import headings, normalise, seed_paragraphs

from folio.build import build, load
from folio.diagnostics import Reporter
from folio.project import Project

# Lays out PDFs, starts LibreOffice, Chromium or builds whole reports: the slow tier
pytestmark = pytest.mark.slow

BLANK = "This page is intentionally left blank"
# Words folio writes (the covers' page labels, the word over the contents' page numbers), as
# its English terms write them.
TERMS = yaml.safe_load((ROOT / "folio" / "i18n" / "locales" / "en.yaml").read_text(encoding="utf-8"))
PAGE_COLUMN = TERMS["page"]
MARGIN = 68  # pt: the page margins are 1in (72 pt); running header and page number sit outside
CONTENTS_ENTRY = re.compile(r"^(?P<title>.*?)\s*(?:\.\s?){3,}\s*(?P<page>\d+|[ivxlcdm]+)$")


# ---- reading a PDF back ------------------------------------------------------------------

@dataclass
class Run:
    """Consecutive superscript characters (a footnote call or a footnote marker)."""
    text: str
    before: str      # the characters drawn just before it, spaces dropped
    after: str       # the characters drawn just after it, spaces dropped
    call: bool       # attached to the word on its left (a call), not opening a line (a marker)


@dataclass
class Printed:
    path: Path
    reader: PdfReader
    labels: list[str]
    full: list[str]                 # pdftotext of each page: everything printed on it
    body: list[str]                 # text inside the margins (no running header, no number)
    bold: list[str]                 # bold text inside the margins: headings
    footer: list[str]               # text in the bottom margin: the printed page number
    sizes: list[tuple[float, float]]
    supers: list[list[Run]] = field(default_factory=list)

    @property
    def contents_pages(self) -> list[int]:
        first = next(i for i, t in enumerate(self.full) if t.strip().startswith("CONTENTS"))
        pages = [first]
        # a long contents runs on: following pages made only of entries belong to it
        while pages[-1] + 1 < len(self.body):
            lines = [ln for ln in self.body[pages[-1] + 1].splitlines() if ln.strip()]
            if not lines or not all(CONTENTS_ENTRY.match(ln.strip()) for ln in lines):
                break
            pages.append(pages[-1] + 1)
        return pages

    def contents(self) -> list[tuple[str, str]]:
        """(title as printed, page number as printed) of every contents entry."""
        entries, pending = [], ""
        for index in self.contents_pages:
            for line in self.body[index].splitlines():
                line = line.strip()
                if not line or (index == self.contents_pages[0] and line in ("CONTENTS", PAGE_COLUMN)
                                and not entries and not pending):
                    continue
                pending = f"{pending} {line}".strip()  # an entry may wrap onto a second line
                match = CONTENTS_ENTRY.match(pending)
                if match:
                    entries.append((normalise(match["title"]), match["page"]))
                    pending = ""
        assert not pending, f"unparsed contents line: {pending!r}"
        return entries

    def heading_pages(self, text: str) -> list[int]:
        """Pages (0-based, contents excluded) whose headings include text, case-insensitively."""
        wanted = squash(text)

        def opens_a_heading(bold: str) -> bool:   # at the start of a bold line ("I. […]" is not
            lines = bold.splitlines()             # "VII. […]"), a heading wrapping over three
            starts = [squash(" ".join(lines[i:i + 3])) for i in range(len(lines))]
            bare = not wanted.startswith("[")           # a lost part's "[…]" has no number
            return any(c.startswith(wanted) or bare and re.sub(r"^(?:[ivxlcdm]+|[a-z]|\d+)\.\s*", "", c)
                       .startswith(wanted) for c in starts)
        return [i for i, bold in enumerate(self.bold) if i not in self.contents_pages and opens_a_heading(bold)]

    def heading_page(self, text: str) -> int:
        found = self.heading_pages(text)
        assert len(found) == 1, f"heading {text!r} found on pages {[i + 1 for i in found]}"
        return found[0]

    def is_blank(self, index: int) -> bool:
        return self.full[index].strip() == BLANK


def squash(text: str) -> str:
    return normalise(text).lower()


def glue(text: str) -> str:
    """Characters only: for comparing character streams where spaces may be missing."""
    return re.sub(r"[\s\u2010\u00ad]", "", normalise(text))


def prose(text: str) -> str:
    """Extracted text as words: a real hyphen at a line end stays and joins the two halves."""
    return normalise(text.replace("-\n", "-"))


def read(path: Path) -> Printed:
    need("pdftotext")
    reader = PdfReader(path)
    count = len(reader.pages)
    full = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout.split("\f")[:count]
    printed = Printed(path, reader, list(reader.page_labels), full, [], [], [], [])
    with pdfplumber.open(path) as pdf:
        all_sizes = Counter(round(c["size"], 1) for page in pdf.pages for c in page.chars)
        body_size = all_sizes.most_common(1)[0][0]
        for page in pdf.pages:
            width, height = float(page.width), float(page.height)
            inside = (0, MARGIN, width, height - MARGIN)
            printed.sizes.append((width, height))
            printed.body.append(page.crop(inside).extract_text())
            bold = page.filter(lambda o: o.get("object_type") != "char" or "Bold" in o["fontname"])
            printed.bold.append(bold.crop(inside).extract_text())
            printed.footer.append(page.crop((0, height - MARGIN, width, height)).extract_text().strip())
            printed.supers.append(_superscripts(page.chars, body_size))
    return printed


def _superscripts(chars: list, body_size: float) -> list[Run]:
    runs, i = [], 0
    while i < len(chars):
        if chars[i]["size"] < 0.8 * body_size and chars[i]["text"].strip():
            j = i
            while j + 1 < len(chars) and chars[j + 1]["size"] < 0.8 * body_size and chars[j + 1]["text"].strip():
                j += 1
            first = chars[i]
            prev = chars[i - 1] if i else None
            # a call hangs on the word to its left, on the same line; a marker opens a note's line
            call = bool(prev and prev["x1"] <= first["x0"] + 1 and prev["top"] < first["bottom"]
                        and first["top"] < prev["bottom"])
            text = lambda cs: glue("".join(c["text"] for c in cs))  # noqa: E731
            runs.append(Run(text(chars[i:j + 1]), text(chars[max(0, i - 60):i]),
                            text(chars[j + 1:j + 80]), call))
            i = j + 1
        else:
            i += 1
    return runs


def roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                           (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out, n = out + letters, n - value
    return out


def front_matter(source: Path) -> dict:
    return yaml.safe_load(source.read_text(encoding="utf-8").split("---\n")[1])


# ---- the showcase's source, read on its own --------------------------------------------

def source_targets(source: Path) -> dict[str, tuple[str, str]]:
    """label → (kind, what the target shows) read from the Markdown source."""
    lines = source.read_text(encoding="utf-8").splitlines()
    found = {}
    for n, line in enumerate(lines):
        if m := re.match(r"^(#{1,6})\s+(.+?)\s*\{([^}]*#([\w-]+)[^}]*)\}\s*$", line):
            kinds = {1: "chapter", 2: "section", 3: "subsection"}
            found[m[4]] = (kinds[len(m[1])], m[2])
        elif m := re.match(r"^\{#(para-[\w-]+)\}$", line):
            found[m[1]] = ("para", " ".join(lines[n + 1].split()[:5]))
        elif m := re.match(r"^Table:\s*(.+?)\s*\{#(tbl-[\w-]+)\}", line):
            found[m[2]] = ("table", m[1])
        elif m := re.match(r"^!\[(.+?)\]\(.+?\)\{#(fig-[\w-]+)\}", line):
            found[m[2]] = ("figure", m[1])
        elif m := re.match(r"^\[\^([\w-]+)\]:\s*(.+)$", line):
            found["fn-" + m[1]] = ("note", m[2])
    return found


def source_refs(source: Path) -> list[str]:
    body = source.read_text(encoding="utf-8").split("---\n", 2)[2]
    return re.findall(r"(?<![\w.])@((?:sec|para|tbl|fig|fn)-[\w-]+)", body)


def source_footnotes(source: Path) -> list[tuple[int, str, str]]:
    """(number, the words the call follows, the note's text), numbered in order of first call."""
    text = source.read_text(encoding="utf-8")
    notes = dict(re.findall(r"^\[\^([\w-]+)\]:\s*(.+)$", text, flags=re.M))
    order, out = [], []
    for m in re.finditer(r"\[\^([\w-]+)\](?!:)", text):
        if m[1] in order:
            continue
        order.append(m[1])
        words = " ".join(text[:m.start()].split()[-2:])
        assert not re.search(r"[@{}\[\]*]", words), f"markup before the call of {m[1]}: {words!r}"
        out.append((len(order), words, notes[m[1]]))
    assert sorted(order) == sorted(notes)
    return out


# ---- fixtures ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def report(report_pdf) -> Printed:
    return read(report_pdf)


@pytest.fixture(scope="module")
def showcase(showcase_build) -> Printed:
    out, _ = showcase_build
    return read(out / "showcase.pdf")


@pytest.fixture(scope="module")
def report_model():
    return load(Project.for_source(REPORT, root=ROOT), Reporter())


@pytest.fixture(params=["report", "showcase"])
def printed(request) -> Printed:
    return request.getfixturevalue(request.param)


def copy_project(where: Path) -> Path:
    for folder in ("templates", "styles"):
        shutil.copytree(ROOT / folder, where / folder)
    return where


# ---- 1. the words --------------------------------------------------------------------------

def test_every_seed_paragraph_is_in_the_pdf(report):
    text = prose("\n".join(report.body))
    missing = [p[:80] for p in seed_paragraphs() if p not in text]
    assert not missing, f"{len(missing)} of {len(seed_paragraphs())} seed paragraphs missing: {missing[:3]}"


def test_seed_headings_are_printed_with_their_numbers(report):
    for number, title in headings():
        expected = f"{number}. {title}" if number else title
        assert report.heading_pages(expected), f"heading {expected!r} is not printed"


# ---- 2. the contents page --------------------------------------------------------------

def heading_of(entry: str) -> str:
    """The bold part of a contents entry's heading: a lost part's heading and entry say why it
    is lost, but the reason is set in italic, not bold."""
    return entry[:entry.index("[…]") + 3] if "[…]" in entry else entry


def test_contents_page_numbers_are_the_pages_of_the_headings(printed):
    entries = printed.contents()
    assert len(entries) >= 3
    wrong, after = [], 0
    for title, page in entries:          # in order: of two lost parts ("[…]"), the next one on
        found = [i for i in printed.heading_pages(heading_of(title)) if i >= after]
        assert found, f"heading of {title!r} not found after page {after + 1}"
        after = found[0]
        if printed.labels[found[0]] != page:
            wrong.append((title, page, printed.labels[found[0]]))
    assert not wrong, f"(entry, printed page, page it is on): {wrong}"


def test_report_contents_lists_every_seed_heading(report):
    """The seed's headings in order; besides them, only the editorial note (the report has
    gaps) and the parts the seed lost, each saying so."""
    shown = [squash(title) for title, _ in report.contents()]
    extra = [s for s in shown if "[…]" in s]
    assert [s for s in shown if "[…]" not in s and s != "editorial note"] == \
        [squash(f"{n}. {t}" if n else t) for n, t in headings()]
    assert "editorial note" in shown and len(extra) == 4
    assert all("missing from the source" in s for s in extra)


# ---- 3. page labels, printed numbers, blank pages ----------------------------------------

def _openings(printed: Printed) -> tuple[list[int], int]:
    """Pages (0-based) where the parts open — front-matter parts, the contents, the report —
    and the first page of the report body, all found from the printed contents."""
    entries = printed.contents()
    front = [printed.heading_page(t) for t, p in entries if not p.isdigit()]
    body_title = next(t for t, p in entries if p.isdigit())
    body = printed.heading_page(body_title)
    assert squash(printed.full[body]).startswith(squash(body_title)), "the body's page begins elsewhere"
    return sorted(front + [printed.contents_pages[0], body]), body


def _title_page(printed: Printed, source) -> int:
    """The title page: after the cover, the first page that prints the title."""
    title = squash(front_matter(source)["title"])
    return next(i for i, text in enumerate(printed.full) if i > 0 and title in squash(text))


def _source_of(printed: Printed):
    return REPORT if printed.path.name == "report.pdf" and "showcase" not in str(printed.path) else SHOWCASE


def test_page_labels_name_the_covers_then_roman_from_the_title_page_then_arabic(printed):
    """Cover and inside cover by name, the front matter in roman from the title page (i), the
    report in arabic from its first page, the back cover by name on the last page."""
    _, body = _openings(printed)
    title = _title_page(printed, _source_of(printed))
    assert title == 2                                # cover, its blank inside, then the title page
    last = len(printed.labels) - 1
    expected = ([TERMS["cover"], TERMS["inside-cover"]] + [roman(i - title + 1) for i in range(title, body)]
                + [str(i - body + 1) for i in range(body, last)] + [TERMS["back-cover"]])
    assert printed.labels == expected


def test_report_body_starts_on_page_1_with_the_report_heading(report):
    _, body = _openings(report)
    first_body_heading = next(t for n, t in headings() if t.startswith("REPORT OF THE ANNUAL"))
    assert squash(report.full[body]).startswith(squash(first_body_heading))
    assert report.labels[body] == "1"


def test_printed_page_numbers_equal_the_labels(printed):
    """Numbered pages print their label at the foot; the covers, the title page, the imprint
    behind it and the blank pages print none."""
    title = _title_page(printed, _source_of(printed))
    unnumbered = {0, 1, title, title + 1, len(printed.labels) - 1}
    for i, label in enumerate(printed.labels):
        if i in unnumbered or printed.is_blank(i):
            assert printed.footer[i] == "", f"page {i + 1} shows {printed.footer[i]!r}"
        else:
            assert printed.footer[i] == label, f"page {i + 1}: printed {printed.footer[i]!r}, label {label!r}"


def test_blank_pages_only_where_a_part_must_open_on_the_right_or_the_back_cover_on_the_left(printed):
    openings, _ = _openings(printed)
    assert len(openings) >= 4  # preface, contents, explanatory notes, report
    last = len(printed.full) - 1
    assert (last + 1) % 2 == 0, "the back cover is not a left-hand page"
    blanks = [i for i in range(len(printed.full)) if printed.is_blank(i)]
    for i in openings:
        assert (i + 1) % 2 == 1, f"a part opens on the left-hand page {i + 1}"
    for i in blanks:
        if i + 1 == last:
            assert (i + 1) % 2 == 1, "the page before the back cover is blank but need not be"
            continue
        assert (i + 1) % 2 == 0, f"blank page {i + 1} is a right-hand page"
        assert i + 1 in openings, f"blank page {i + 1} is not followed by a part opening"
    for i in openings[1:]:  # a blank page exactly where the part would otherwise open on the left
        content = i - 1
        while printed.is_blank(content):
            content -= 1
        wanted = 1 if (content + 1) % 2 == 1 else 0  # after an odd page, the next is a left-hand one
        assert i - content - 1 == wanted, \
            f"part opening on page {i + 1}: {i - content - 1} blank page(s) after page {content + 1}"
    empty = [i + 1 for i, text in enumerate(printed.full) if not text.strip()]
    assert empty == [2], f"empty pages: {empty} (only the inside of the cover is)"


# ---- 4. the outline ------------------------------------------------------------------------



NUMBER = re.compile(r"^(?:[IVXLCDM]+|[A-Z]|\d+)\.\s+")


@pytest.mark.parametrize("which", ["report", "showcase"])
def test_outline_is_the_contents_and_leads_to_the_headings(which, request):
    """Titles from the source; numbers from the page each outline entry leads to."""
    printed = request.getfixturevalue(which)
    source = REPORT if which == "report" else SHOWCASE
    depth = yaml.safe_load(source.read_text(encoding="utf-8").split("---")[1]).get("contents-depth", 2)
    outline = pdf_outline(printed.reader)
    gaps = "{gap" in source.read_text(encoding="utf-8")
    note = TERMS["editorial-note"]
    assert (1, note) in [(d, t) for d, t, _ in outline] if gaps else True
    assert [(d, NUMBER.sub("", t)) for d, t, _ in outline if t != note] == source_headings(source, depth)
    # (the contents' text layer may lose the space after the marker: compared as characters)
    assert [glue(squash(t)) for t, _ in printed.contents()] == [glue(squash(t)) for _, t, _ in outline]
    for _, title, page in outline:
        assert page in printed.heading_pages(heading_of(title)), f"outline entry {title!r} leads to page {page + 1}"


# ---- 5. internal links -------------------------------------------------------------------

def _links(printed: Printed) -> list[tuple[int, str, str, int]]:
    """(page, destination name, text under the link, destination page) of every internal link;
    the pieces of one link (a link broken over two lines) are joined."""
    named = printed.reader.named_destinations
    links = []
    with pdfplumber.open(printed.path) as pdf:
        for index, page in enumerate(printed.reader.pages):
            previous_rect = None
            height = float(pdf.pages[index].height)
            for annot in page.get("/Annots") or []:
                annot = annot.get_object()
                if annot.get("/Subtype") != "/Link":
                    continue
                dest = annot.get("/Dest")
                if dest is None and annot.get("/A") is not None:
                    dest = annot["/A"].get("/D")
                if dest is None:
                    continue
                assert isinstance(dest, str) and dest in named, f"unresolvable destination {dest!r}"
                x0, y0, x1, y1 = (float(v) for v in annot["/Rect"])
                x0, x1, y0, y1 = min(x0, x1), max(x0, x1), min(y0, y1), max(y0, y1)
                text = pdf.pages[index].within_bbox((x0 - 1, height - y1 - 1, x1 + 1, height - y0 + 1)) \
                    .extract_text().strip()
                target = printed.reader.get_destination_page_number(named[dest])
                inside = previous_rect and previous_rect[0] <= x0 and x1 <= previous_rect[2] + 0.01 \
                    and abs(previous_rect[1] - y0) < 0.5
                if links and links[-1][:2] == (index, dest) and inside:
                    pass  # a generated part of the link drawn again inside it ("page 3" and "3")
                elif links and links[-1][:2] == (index, dest):
                    links[-1] = (index, dest, f"{links[-1][2]} {text}", target)
                else:
                    links.append((index, dest, text, target))
                previous_rect = (x0, y0, x1, y1)
    return links


WORDS = {"chapter": {"chapter"}, "section": {"section"}, "subsection": {"section", "subsection"},
         "para": {"para."}, "table": {"table"}, "figure": {"figure"}, "note": {"note"}}


def test_cross_references_land_on_their_targets(showcase):
    targets = source_targets(SHOWCASE)
    note = showcase.heading_page(TERMS["editorial-note"])           # its links lead to the gaps
    links = [link for link in _links(showcase) if link[0] not in showcase.contents_pages and link[0] != note]
    assert Counter(dest for _, dest, _, _ in links) == Counter(source_refs(SHOWCASE))
    for page, dest, text, target in links:
        kind, shown = targets[dest]
        where = f"link {text!r} on page {page + 1} to {dest} (lands on page {target + 1})"
        text = normalise(text)
        if m := re.fullmatch(r"page (\S+)", text):  # a page reference shows the target's page
            assert m[1] == showcase.labels[target], where
            assert target == showcase.heading_page(shown), where
            continue
        words = text.split()
        if len(words) > 1:
            assert words[0] in WORDS[kind], where
        number = words[-1]
        body = prose(showcase.body[target])
        if kind in ("chapter", "section", "subsection"):
            assert squash(f"{number.split('.')[-1]}. {shown}") in squash(showcase.bold[target]), where
        elif kind == "para":
            assert f"{number}. {normalise(shown)}" in body, where
        elif kind == "table":
            assert f"Table {number}" in body and normalise(shown) in body, where
        elif kind == "figure":
            assert f"Figure {number}" in body and normalise(shown) in body, where
        else:
            markers = [r for r in showcase.supers[target] if not r.call and r.text == number]
            assert any(r.after.startswith(glue(shown)[:30]) for r in markers), where


def test_contents_links_lead_to_the_page_printed_beside_them(showcase):
    printed = showcase.contents()
    links = [link for link in _links(showcase) if link[0] in showcase.contents_pages]
    assert len(links) == len(printed)
    for _, dest, text, target in links:
        entry = [page for title, page in printed if squash(text) in squash(title)]   # the link: the title
        assert entry, (dest, text)
        assert showcase.labels[target] == entry[0], (dest, text)


# ---- 6. footnotes ----------------------------------------------------------------------

def test_every_footnote_is_on_the_page_of_its_call(showcase):
    notes = source_footnotes(SHOWCASE)
    assert notes
    for number, words, note in notes:
        calls = [i for i, runs in enumerate(showcase.supers) for r in runs
                 if r.call and r.text == str(number) and r.before.endswith(glue(words))]
        markers = [i for i, runs in enumerate(showcase.supers) for r in runs
                   if not r.call and r.text == str(number) and r.after.startswith(glue(note)[:30])]
        assert len(calls) == 1, f"call {number} after {words!r} on pages {[i + 1 for i in calls]}"
        assert markers == calls, f"note {number} on pages {[i + 1 for i in markers]}, call on page {calls[0] + 1}"
        assert normalise(note) in prose(showcase.body[calls[0]])


# ---- 7. fonts, structure, metadata -------------------------------------------------------

def test_fonts_are_embedded_liberation_serif_subsets(printed):
    need("pdffonts")
    out = subprocess.run(["pdffonts", str(printed.path)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    assert rows
    for row in rows:
        name = row[0]
        emb, sub = row[-5], row[-4]
        assert "dejavu" not in name.lower(), name
        assert re.fullmatch(r"[A-Z]{6}\+Liberation-Serif(-\w+)?", name), name
        assert (emb, sub) == ("yes", "yes"), row


def test_qpdf_finds_nothing_wrong(printed):
    need("qpdf")
    check = subprocess.run(["qpdf", "--check", str(printed.path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "warning" not in (check.stdout + check.stderr).lower()


@pytest.mark.parametrize("which,source", [("report", REPORT), ("showcase", SHOWCASE)])
def test_tagged_pdf_with_language_and_title(which, source, request):
    printed = request.getfixturevalue(which)
    meta = front_matter(source)
    root = printed.reader.trailer["/Root"]
    assert str(root["/Lang"]) == meta.get("language", "en")       # the same tag as the HTML and DOCX
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"] == True  # noqa: E712 (a pypdf BooleanObject)
    assert root["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712
    assert printed.reader.xmp_metadata.dc_title["x-default"] == meta["title"]
    info = printed.reader.metadata
    assert info["/Title"] == meta["title"]
    if "author" in meta:
        assert info["/Author"] == meta["author"]
    else:  # no author: the organization (and department) stand for it, without loose commas
        assert info["/Author"].startswith(meta.get("organization", "United Nations"))
        assert not info["/Author"].rstrip().endswith(","), info["/Author"]


# ---- 8. restricted fetching, failing builds -----------------------------------------------

GOOD = """---
title: A Small Report
paper: letter
---

# Introduction {#sec-intro}

The small report has one chapter, and this paragraph is all it says about {where}.
"""


def test_image_outside_the_project_is_refused(tmp_path):
    project = copy_project(tmp_path / "project")
    (project / "source").mkdir()
    shutil.copy(SHOWCASE.parent / "images" / "chart.png", tmp_path / "outside.png")
    source = project / "source" / "small.md"
    text = GOOD.replace("{where}", "itself") + "\nA chart drawn elsewhere.\n\n![x](../../outside.png)\n"
    source.write_text(text, encoding="utf-8")
    line = text.splitlines().index("![x](../../outside.png)") + 1
    run = run_folio("build", source, "--root", project, "--out", project / "build", "-f", "pdf")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "Traceback" not in run.stderr
    assert re.search(rf"^source/small\.md:{line}: error: .*outside.*\[file\]$", run.stderr, flags=re.M), run.stderr
    assert not list((project / "build").rglob("*.pdf"))


def test_failing_build_leaves_the_previous_pdf_alone(tmp_path):
    project = copy_project(tmp_path / "project")
    source = project / "small.md"
    source.write_text(GOOD.replace("{where}", "itself"), encoding="utf-8")
    args = ("build", source, "--root", project, "--out", project / "build", "-f", "pdf")
    first = run_folio(*args)
    assert first.returncode == 0, first.stderr
    pdf = project / "build" / "small.pdf"
    before = pdf.read_bytes()
    broken = GOOD.replace("{where}", "@sec-nope")
    source.write_text(broken, encoding="utf-8")
    line = next(n for n, text in enumerate(broken.splitlines(), 1) if "@sec-nope" in text)
    second = run_folio(*args)
    assert second.returncode == 1, second.stdout + second.stderr
    assert "Traceback" not in second.stderr
    assert re.search(rf"^small\.md:{line}: error: unknown cross-reference 'sec-nope'", second.stderr,
                     flags=re.M), second.stderr
    assert pdf.read_bytes() == before


# ---- 9. paper --------------------------------------------------------------------------

def test_letter_paper_by_default(showcase):
    assert "paper" not in front_matter(SHOWCASE)
    assert all(abs(w - 612) <= 1 and abs(h - 792) <= 1 for w, h in showcase.sizes), set(showcase.sizes)


def test_a4_paper(tmp_path):
    project = copy_project(tmp_path / "project")
    shutil.copytree(SHOWCASE.parent, project / "showcase")
    source = project / "showcase" / SHOWCASE.name
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("---\n", "---\npaper: a4\n", 1), encoding="utf-8")
    result = build(Project.for_source(source, root=project, out_dir=tmp_path / "out"), ["pdf"], Reporter())
    assert result.ok, "\n".join(map(str, result.reporter.messages))
    reader = PdfReader(tmp_path / "out" / "showcase.pdf")
    sizes = {(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages}
    assert all(abs(w - 595) <= 1 and abs(h - 842) <= 1 for w, h in sizes), sizes


@pytest.mark.slow
def test_a_wrapped_chapter_heading_starts_its_lines_in_one_column(report_pdf):
    """A numbered chapter heading hangs after its number: the title's first line begins where
    its second does (a space after the number's box set the first 3.5 pt to the right)."""
    checked = 0
    with pdfplumber.open(report_pdf) as pdf:
        for page in pdf.pages:
            words = [w for w in page.extract_words(extra_attrs=["size"]) if w["size"] > 13]
            lines: dict[int, list] = {}
            for w in words:
                lines.setdefault(round(w["top"]), []).append(w)
            tops = sorted(lines)
            for first, second in zip(tops, tops[1:], strict=False):
                head = sorted(lines[first], key=lambda w: w["x0"])
                if not re.fullmatch(r"[IVXL]+\.", head[0]["text"]) or second - first > 25:
                    continue
                following = min(w["x0"] for w in lines[second])
                assert abs(head[1]["x0"] - following) < 0.5, (page.page_number, head[1]["text"], following)
                checked += 1
    assert checked >= 4          # II and VI, and the lost parts' headings, wrap


@pytest.mark.slow
def test_a_lost_chapters_running_head_is_its_number_and_marker(tmp_path):
    """A lost part's heading says why it is lost; over its pages the running head stays short."""
    from conftest import make_project
    para = "The delegates discussed the matter at length and agreed on several points of procedure. " * 12
    source = make_project(tmp_path, "---\ntitle: Running heads of a lost chapter\nshort-title: Lost chapter test\n"
                          "symbol: TEST/RH/1\nchapter-opening: continue\n---\n\n# Opening {number=I}\n\n"
                          f"{para}\n\n# {{gap: title and opening of chapter II missing from the source}}"
                          " {number=II}\n\n"
                          + "\n\n".join([para] * 14) + "\n")
    assert build(Project.for_source(source), ["pdf"], Reporter()).ok
    pages = subprocess.run(["pdftotext", "-layout", str(tmp_path / "build" / "report.pdf"), "-"],
                           capture_output=True, text=True, check=True).stdout.split("\f")
    heads = [next((line.strip() for line in p.splitlines() if line.strip()), "") for p in pages]
    assert heads.count("II. […]") >= 2, heads
