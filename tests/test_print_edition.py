"""The two PDF editions read back as a print shop and a reader would: page sequence and sides,
imprint, bleed, output intent, colour, padding, running heads, the editorial note, the line."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
import yaml
from conftest import REPORT, ROOT, SHOWCASE, colour_spread, make_project, need
from lxml import html
from PIL import Image
from seed_text import normalise

# Lays out PDFs, starts LibreOffice, Chromium or builds whole reports: the slow tier
pytestmark = pytest.mark.slow

MM = 72 / 25.4
TERMS = yaml.safe_load((ROOT / "folio" / "i18n" / "locales" / "en.yaml").read_text(encoding="utf-8"))
FRONT = yaml.safe_load(REPORT.read_text(encoding="utf-8").split("---")[1])


@pytest.fixture(scope="module")
def editions(report_editions) -> Path:
    return report_editions       # the session's build of the report (conftest)


def pages_text(pdf: Path) -> list[str]:
    run = subprocess.run([need("pdftotext"), "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    return run.stdout.split("\f")[:-1]


# ---- the page sequence --------------------------------------------------------------------


def test_title_page_on_a_right_hand_page_and_the_imprint_behind_it(editions):
    pages = pages_text(editions / "report-print.pdf")
    title = normalise(FRONT["title"]).upper()
    at = next(i for i, t in enumerate(pages) if i > 0 and title in normalise(t).upper())
    assert (at + 1) % 2 == 1 and at == 2                      # page 3: cover, its inside, title page
    assert not pages[1].strip()                               # the inside of the cover is blank
    imprint = normalise(pages[at + 1])
    assert normalise(FRONT["disclaimer"]) in imprint
    assert FRONT["symbol"] in imprint and f"United Nations, {FRONT['year']}" in imprint
    assert "Working Paper No. ESA/P/WP/249" in imprint       # the suggested citation


@pytest.mark.slow
def test_imprint_at_the_foot_of_its_page_with_the_cited_title_in_italics(editions):
    """The imprint stands at the foot of the text area (it floated mid-page); the citation sets
    the title in italics and names the symbol as UN DESA's working papers do ("… Working Paper
    No. ESA/P/WP/248." in its 2017 papers); the symbol is printed on the cover and in the
    citation, not on the title page and again on a line of its own (four times in four pages)."""
    with pdfplumber.open(editions / "report.pdf") as pdf:      # the same layout, cut to the trim
        imprint = pdf.pages[3]
        words = imprint.extract_words(extra_attrs=["fontname"])
        lowest = max(w["bottom"] for w in words)
        assert 792 - 72 - 14 <= lowest <= 792 - 72           # the last line on the text area's foot
        title = FRONT["title"].split()
        cited = [w for w in words if w["text"].strip(".") in title and w["top"] > words[0]["top"] + 40]
        assert cited and all("Italic" in w["fontname"] for w in cited)
        assert not any("Italic" in w["fontname"] for w in words if w["text"] in ("Working", "Paper", "Suggested"))
        first_four = [page.extract_text() or "" for page in pdf.pages[:4]]
    assert sum(t.count(FRONT["symbol"]) for t in first_four) == 2
    assert FRONT["symbol"] in first_four[0] and FRONT["symbol"] not in first_four[2]


def test_parts_open_on_right_hand_pages_and_the_back_cover_is_last(editions):
    with pikepdf.open(editions / "report-print.pdf") as pdf:
        count = len(pdf.pages)
    assert count % FRONT.get("print-pages-multiple", 4) == 0
    pages = pages_text(editions / "report-print.pdf")
    for heading in ("PREFACE", "CONTENTS", "EXPLANATORY NOTES", TERMS["editorial-note"].upper(),
                    "REPORT OF THE ANNUAL COORDINATION MEETING"):
        at = next(i for i, t in enumerate(pages) if _opens_with(t, heading))
        assert (at + 1) % 2 == 1, f"{heading} opens on page {at + 1}"
    assert FRONT["symbol"] in pages[-1] and FRONT["banner"].upper().replace(" ", "") in \
        pages[-1].upper().replace(" ", "")                   # the back cover


def _opens_with(text: str, heading: str) -> bool:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return bool(lines) and lines[0].upper().startswith(heading)


# ---- print-ready ------------------------------------------------------------------------------


def test_print_edition_has_trim_and_bleed_boxes_and_a_pdfx_output_intent(editions):
    with pikepdf.open(editions / "report-print.pdf") as pdf:
        for page in pdf.pages:
            trim = [float(v) for v in page.obj.TrimBox]
            bleed = [float(v) for v in page.obj.BleedBox]
            assert trim == [0, 0, 612, 792]                   # US Letter, the paper of the report
            assert [round(b - t, 2) for b, t in zip(bleed, trim, strict=True)] == \
                [round(-3 * MM, 2), round(-3 * MM, 2), round(3 * MM, 2), round(3 * MM, 2)]
            assert "/Annots" not in page.obj                   # nothing interactive in a print file
        [intent] = pdf.Root.OutputIntents
        assert intent.S == pikepdf.Name.GTS_PDFX and int(intent.DestOutputProfile.N) == 4
        profile = intent.DestOutputProfile.read_bytes()
        assert profile[12:16] == b"prtr" and profile[16:20] == b"CMYK"
        with pdf.open_metadata() as meta:
            assert meta.get("pdfxid:GTS_PDFXVersion") == "PDF/X-4"
        assert str(pdf.docinfo.get("/Trapped")) == "/False"


def test_screen_edition_is_cut_to_the_trim_and_keeps_tags_and_links(editions):
    with pikepdf.open(editions / "report.pdf") as pdf:
        assert all([float(v) for v in p.obj.MediaBox] == [0, 0, 612, 792] for p in pdf.pages)
        assert "/StructTreeRoot" in pdf.Root and "/OutputIntents" not in pdf.Root
        assert sum(len(p.obj.get("/Annots", [])) for p in pdf.pages) > 10


def coloured_pages(pdf: Path, tmp: Path) -> list[int]:
    """1-based pages of a 50-dpi rendering with any pixel that is not grey."""
    subprocess.run([need("pdftoppm"), "-png", "-r", "50", str(pdf), str(tmp / "p")], check=True)
    found = []
    for png in sorted(tmp.glob("p-*.png")):
        if colour_spread(Image.open(png).convert("RGB")).getextrema()[1] > 24:
            found.append(int(png.stem.split("-")[1]))
    return found



@pytest.mark.parametrize("edition", ["report-print.pdf", "report.pdf"])
def test_no_colour_on_the_pages_between_the_covers(editions, tmp_path, edition):
    with pikepdf.open(editions / edition) as pdf:
        last = len(pdf.pages)
    assert coloured_pages(editions / edition, tmp_path) == [1, last]    # the two covers only


def test_print_colours_are_cmyk(editions):
    with pikepdf.open(editions / "report-print.pdf") as pdf:
        operators = {str(op) for page in pdf.pages for _, op in pikepdf.parse_content_stream(page)}
    assert "k" in operators and not operators & {"rg", "RG"}


def bleed_edges(pdf: Path, tmp: Path, dpi: int = 144) -> dict[int, dict[str, tuple[int, int]]]:
    """Of each page rendered at its BleedBox: per side, how many points along the trim edge
    are inked just inside the trim (1 pt in), and how many of those are white just outside it
    (1.5 mm out, in the bleed). Pages with nothing at the trim are left out."""
    cropped = tmp / "bleed.pdf"
    with pikepdf.open(pdf) as doc:
        boxes = []
        for page in doc.pages:
            page.obj.CropBox = page.obj.BleedBox
            boxes.append(([float(v) for v in page.obj.BleedBox], [float(v) for v in page.obj.TrimBox]))
        doc.save(cropped)
    subprocess.run([need("pdftoppm"), "-png", "-r", str(dpi), "-cropbox", str(cropped), str(tmp / "b")], check=True)
    found = {}
    for index, png in enumerate(sorted(tmp.glob("b-*.png"))):
        image = Image.open(png).convert("L")
        edges = {}
        for side, pairs in _edge_points(*boxes[index], dpi / 72, image.size).items():
            inked = [(a, b) for a, b in pairs if image.getpixel(a) < 230]
            if inked:
                edges[side] = (len(inked), sum(image.getpixel(b) >= 230 for _, b in inked))
        if edges:
            found[index + 1] = edges
    return found


def _edge_points(bleed, trim, scale, size) -> dict[str, list]:
    """Per side, pairs of pixels (1 pt inside the trim, 1.5 mm outside it) every 2 pt along it."""
    (bx0, _, _, by1), (tx0, ty0, tx1, ty1) = bleed, trim

    def at(x: float, y: float) -> tuple[int, int]:
        return (min(size[0] - 1, max(0, round((x - bx0) * scale))),
                min(size[1] - 1, max(0, round((by1 - y) * scale))))

    out = 1.5 * MM
    across, down = _steps(tx0 + 2, tx1 - 2), _steps(ty0 + 2, ty1 - 2)
    return {"left": [(at(tx0 + 1, y), at(tx0 - out, y)) for y in down],
            "right": [(at(tx1 - 1, y), at(tx1 + out, y)) for y in down],
            "top": [(at(x, ty1 - 1), at(x, ty1 + out)) for x in across],
            "bottom": [(at(x, ty0 + 1), at(x, ty0 - out)) for x in across]}


def _steps(start: float, end: float, step: float = 2.0) -> list[float]:
    return [start + i * step for i in range(int((end - start) // step) + 1)]


@pytest.mark.slow
def test_what_touches_the_trim_runs_on_into_the_bleed(editions, tmp_path):
    """The covers' banners touch the trim on three sides: the 3 mm beyond must be as inked as
    the edge inside, or the printer's trim leaves white slivers."""
    edges = bleed_edges(editions / "report-print.pdf", tmp_path)
    with pikepdf.open(editions / "report-print.pdf") as pdf:
        last = len(pdf.pages)
    assert {1, last} <= set(edges)                  # the two covers' banners
    for page, sides in edges.items():
        assert set(sides) >= ({"left", "right", "top"} if page in (1, last) else set())
        for side, (inked, white_beyond) in sides.items():
            assert white_beyond == 0, f"page {page}, {side}: {white_beyond} of {inked} points white in the bleed"


@pytest.mark.slow
def test_the_inside_covers_carry_no_text(editions):
    """Inside the front cover and inside the back cover: nothing. Padding to a multiple of 4
    goes before the inside of the back cover (the body's last page fell on it)."""
    with pdfplumber.open(editions / "report-print.pdf") as pdf:
        count = len(pdf.pages)
        inside = [pdf.pages[1], pdf.pages[-2]]
        assert all(not page.chars and not page.images for page in inside)
        assert not pdf.pages[-2].rects and not pdf.pages[-2].lines
    assert count % FRONT.get("print-pages-multiple", 4) == 0


@pytest.mark.slow
def test_a_few_lines_are_not_left_alone_on_the_last_page_of_text(editions):
    """The report's last page of text held 3 lines of chapter XI; they are pulled back (the last
    pages set a little tighter), so the text ends on a page of its own and the print file
    needs one padding page, not a sheet of four."""
    with pdfplumber.open(editions / "report-print.pdf") as pdf:
        texts = [page for page in pdf.pages[:-1] if page.chars]
        last = texts[-1]
        lines = (_band(last, 66, 712).extract_text() or "").strip().splitlines()
        empty = len(pdf.pages) - 1 - (pdf.pages.index(last) + 1)
    assert len(lines) > 5, lines
    assert "CLOSING OF THE MEETING" in " ".join(lines)     # the last chapter, whole on its page
    assert 1 <= empty < FRONT.get("print-pages-multiple", 4)


def test_which_parts_are_set_tighter_to_pull_a_carry_over_back(tmp_path):
    """From the page facts both routes have: a last page of text holding a few lines of a
    paragraph begun before it makes the parts on the last pages tighter; a last page that opens
    a paragraph, or holds more lines, makes nothing tighter."""
    from folio.build import load
    from folio.diagnostics import Reporter
    from folio.layout import carry
    from folio.project import Project

    source = tmp_path / "doc.md"
    source.write_text("---\ntitle: T\nchapter-opening: continue\n---\n\n# One\n\nFirst.\n\n# Two\n\n"
                      "Second.\n\nThird.\n", encoding="utf-8")
    doc = load(Project.for_source(source, root=ROOT), Reporter())
    one, two = (r for r in doc.composition if r.part is not None)
    first, second, third = (b.id for r in (one, two) for b in r.part.blocks)
    cover, back = (0, {}), (0, {})
    pages = [cover, (40, {one.part.heading.id: [1, 1], first: [2, 30], two.part.heading.id: [31, 31],
                          second: [32, 40]}), (3, {second: [1, 3]}), back]
    assert carry.tight_regions(doc, pages) == {doc.composition.index(one), doc.composition.index(two)}
    assert carry.text_end(pages) == 2
    pages[2] = (3, {third: [1, 3]})                       # the last page opens a paragraph
    assert carry.tight_regions(doc, pages) == frozenset()
    pages[2] = (9, {second: [1, 9]})                      # more than a few lines
    assert carry.tight_regions(doc, pages) == frozenset()


@pytest.mark.slow
def test_print_edition_claims_pdfx4_and_nothing_it_is_not(editions):
    """PDF/X-4 is PDF 1.6 and its XMP names the file (xmpMM); a file whose tags were taken
    off claims no PDF/UA, while the screen edition, tagged, does."""
    for name, tagged in (("report-print.pdf", False), ("report.pdf", True)):
        path = editions / name
        header = path.read_bytes()[:8].decode("ascii")
        with pikepdf.open(path) as pdf:
            xmp = pdf.Root.Metadata.read_bytes().decode("utf-8")
            assert ("/StructTreeRoot" in pdf.Root) == tagged
            if name == "report-print.pdf":
                assert re.fullmatch(r"%PDF-1\.[0-6]", header), header
                assert pdf.pdf_version <= "1.6"
                with pdf.open_metadata() as meta:
                    assert meta.get("pdfxid:GTS_PDFXVersion") == "PDF/X-4"
                    for key in ("xmpMM:DocumentID", "xmpMM:VersionID", "xmpMM:RenditionClass"):
                        assert meta.get(key), key
                    assert meta.get("xmpMM:DocumentID").startswith("uuid:")
        assert ("pdfuaid:part" in xmp) == tagged and ("pdfuaid" in xmp) == tagged, name


@pytest.mark.slow
def test_no_text_is_set_in_a_tint(editions):
    """In print, text is solid: no character filled with a tint of black (the gap marker's grey
    was 67 % K). White on the covers' blue is paper, not a tint."""
    tinted, gaps = [], 0
    with pdfplumber.open(editions / "report-print.pdf") as pdf:
        for number, page in enumerate(pdf.pages, 1):
            for char in page.chars:
                colour = tuple(char["non_stroking_color"] or ())
                if len(colour) == 4 and not any(colour[:3]) and 0 < colour[3] < 1:
                    tinted.append((number, char["text"], colour))
                gaps += char["text"] == "…" and colour == (0, 0, 0, 1)
    assert not tinted, tinted[:5]
    assert gaps >= 10                               # the gap markers are there, in solid black


def test_padding_and_crop_marks(tmp_path):
    """An odd number of pages is made a multiple of the setting with blank pages before the back
    cover; crop marks sit outside the bleed, in a page box made larger for them."""
    text = SHOWCASE.read_text(encoding="utf-8").replace("year: 2024", "year: 2024\nprint-pages-multiple: 8\n"
                                                        "print-crop-marks: true")
    source = make_project(tmp_path, text)
    (source.parent / "images").mkdir()
    (source.parent / "images" / "chart.png").write_bytes((SHOWCASE.parent / "images" / "chart.png").read_bytes())
    from folio.build import build
    from folio.diagnostics import Reporter
    from folio.project import Project
    result = build(Project.for_source(source, root=tmp_path), ["pdf"], Reporter())
    assert result.ok, result.reporter.messages
    screen, printed = tmp_path / "build" / "report.pdf", tmp_path / "build" / "report-print.pdf"
    with pikepdf.open(screen) as a, pikepdf.open(printed) as b:
        added = len(b.pages) - len(a.pages)
        assert len(b.pages) % 8 == 0 and 0 <= added < 8
        labels = [str(b.Root.PageLabels.Nums[i]) for i in range(0, len(b.Root.PageLabels.Nums), 2)]
        assert labels
        media = [float(v) for v in b.pages[3].obj.MediaBox]
        bleed = [float(v) for v in b.pages[3].obj.BleedBox]
        assert media[0] < bleed[0] - 20 and media[2] > bleed[2] + 20
    texts = pages_text(printed)
    assert all(not t.strip() for t in texts[len(texts) - 1 - added:-1])     # the padding is blank
    assert "A/SHOWCASE/1" in texts[-1]                                      # the back cover last
    with pdfplumber.open(printed) as pdf:
        page = pdf.pages[3]
        corner = [ln for ln in page.lines if ln["x1"] < 0 or ln["top"] < 0]
        assert len(page.lines) >= 8 and corner is not None


# ---- reading order of the page: running heads, the editorial note, the line ---------------------


def _heads(pdf: Path) -> list[str]:
    """The running head of every page: the text above the text area."""
    with pdfplumber.open(pdf) as doc:
        return [(_band(page, 0, 60).extract_text() or "").strip() for page in doc.pages]


def _band(page, top: float, bottom: float):
    """The page from `top` to `bottom` points below the trim's top edge (a print page has 3 mm
    of bleed around its trim), the trim's whole width."""
    x0, y0, x1, _ = page.bbox
    bleed = (page.width - 612) / 2
    return page.crop((x0 + bleed, y0 + bleed + top, x1 - bleed, y0 + bleed + bottom))


@pytest.mark.slow
@pytest.mark.parametrize("edition", ["report.pdf", "report-print.pdf"])
def test_running_heads_on_every_body_page_but_the_first_where_chapters_run_on(editions, edition):
    """The short title over left-hand pages, the chapter over right-hand ones. The report's
    chapters run on (chapter-opening: continue): only its first page opens a part and goes
    without; a page that a chapter's heading happens to start keeps its head (pages 3 and 5
    of the body had none)."""
    pdf = editions / edition
    heads = _heads(pdf)
    with pdfplumber.open(pdf) as doc:
        firsts = [(_band(page, 66, 712).extract_text() or "").strip().split("\n")[0] for page in doc.pages]
    pages = pages_text(pdf)
    body = next(i for i, t in enumerate(pages) if _opens_with(t, "REPORT OF THE ANNUAL"))
    assert FRONT["chapter-opening"] == "continue" and heads[body] == ""
    chapter_first = 0
    for index in range(body + 1, len(pages) - 1):
        if not pages[index].strip() or pages[index].strip().startswith("This page"):
            continue
        assert heads[index], f"page {index + 1} has no running head"
        if (index + 1) % 2 == 0:
            assert normalise(heads[index]) == normalise(FRONT["short-title"])
        else:
            assert re.match(r"^(?:[IVXLC]+\. |Report of|\[…\])", heads[index]), heads[index]  # […]: a lost title
        chapter_first += bool(re.match(r"^(?:[IVXLC]+\.\s*\S|\[…\])", firsts[index]))
    assert chapter_first >= 2       # pages a chapter's heading starts: the case the heads were lost on


def test_editorial_note_lists_each_gap_with_the_page_it_is_on(editions):
    pdf = editions / "report.pdf"
    pages = pages_text(pdf)
    with pikepdf.open(pdf) as p:
        nums = p.Root.PageLabels.Nums
        starts = [(int(nums[i]), nums[i + 1]) for i in range(0, len(nums), 2)]
    labels = []
    for index in range(len(pages)):
        start, entry = max((s for s in starts if s[0] <= index), key=lambda s: s[0])
        if "/P" in entry:
            labels.append(str(entry.P))
        elif entry.S == pikepdf.Name.r:
            labels.append(_roman(index - start + int(entry.get("/St", 1))))
        else:
            labels.append(str(index - start + int(entry.get("/St", 1))))
    note = next(i for i, t in enumerate(pages) if t.strip().startswith(TERMS["editorial-note"].upper()))
    listed = re.findall(r"\[…\] page (\S+?)[,:]", normalise(pages[note] + pages[note + 1]))
    marked = len(re.findall(r"\{gap[:}]", REPORT.read_text(encoding="utf-8")))
    assert len(listed) == marked
    for label in listed:
        assert "[…]" in pages[labels.index(label)], f"no gap marker on page {label}"


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out, n = out + letters, n - value
    return out


def test_a_line_of_running_text_is_60_to_90_characters(editions):
    with pdfplumber.open(editions / "report.pdf") as pdf:
        lengths = []
        for page in pdf.pages[12:-1]:
            lines = (page.crop((0, 70, page.width, page.height - 80)).extract_text() or "").splitlines()
            lengths += [len(line) for line in lines]
    full = sorted(n for n in lengths if n > 40)[len(lengths) // 4:]      # full lines, not last lines
    average = sum(full) / len(full)
    assert 60 <= average <= 90, average


# ---- the web edition shows the title page and the imprint --------------------------------------


def test_web_edition_shows_the_title_page_and_imprint(editions):
    page = html.parse(str(editions / "html" / "index.html")).getroot()
    shown = normalise(" ".join(page.itertext()))
    for fact in (FRONT["symbol"], f"{FRONT['publisher-place']}, {FRONT['year']}", FRONT["organization"],
                 normalise(FRONT["disclaimer"]), f"United Nations, {FRONT['year']}"):
        assert fact in shown, fact
    note = page.cssselect("#editorial-note")
    assert note and len(page.cssselect(".editorial-note .gap-list li")) == \
        len(re.findall(r"\{gap[:}]", REPORT.read_text(encoding="utf-8")))
