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
from conftest import REPORT, ROOT, SHOWCASE, build_into, make_project, need
from lxml import html
from PIL import Image
from seed_text import normalise

MM = 72 / 25.4
TERMS = yaml.safe_load((ROOT / "folio" / "i18n" / "locales" / "en.yaml").read_text(encoding="utf-8"))
FRONT = yaml.safe_load(REPORT.read_text(encoding="utf-8").split("---")[1])


@pytest.fixture(scope="module")
def editions(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("editions")
    build_into(REPORT, out, ["html", "pdf"])
    return out


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
        image = Image.open(png).convert("RGB")
        if any(max(px) - min(px) > 24 for px in image.getdata()):
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
        return [(page.crop((0, 0, page.width, 60)).extract_text() or "").strip() for page in doc.pages]


def test_running_heads_on_body_pages_but_not_where_a_part_opens_the_page(editions):
    """The short title over left-hand pages, the chapter over right-hand ones, and no head on a
    page whose first line is a chapter's heading (the report's first page among them)."""
    pdf = editions / "report.pdf"
    heads = _heads(pdf)
    with pdfplumber.open(pdf) as doc:
        firsts = [(page.crop((0, 66, page.width, page.height - 80)).extract_text() or "").strip().split("\n")[0]
                  for page in doc.pages]
    pages = pages_text(pdf)
    body = next(i for i, t in enumerate(pages) if _opens_with(t, "REPORT OF THE ANNUAL"))
    opening = re.compile(r"^(?:[IVXLC]+\.\s*\S|REPORT OF THE ANNUAL|\[…\])")
    shown = 0
    for index in range(body, len(pages) - 1):
        if not pages[index].strip() or pages[index].strip().startswith("This page"):
            continue
        if opening.match(firsts[index]):
            assert heads[index] == "", f"page {index + 1} opens with {firsts[index]!r} under {heads[index]!r}"
            continue
        assert heads[index], f"page {index + 1} has no running head"
        if (index + 1) % 2 == 0:
            assert normalise(heads[index]) == normalise(FRONT["short-title"])
        else:
            assert re.match(r"^(?:[IVXLC]+\. |Report of)", heads[index]), heads[index]
        shown += 1
    assert heads[body] == "" and shown >= 3


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
