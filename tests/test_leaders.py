"""A contents leader (folio/layout/weasy/leaders.py) puts its dots where WeasyPrint's one box
per dot put them, within a fiftieth of a point, drawn in runs; and the dot WeasyPrint set
against the title ("MIGRANTS. . .", a full stop to the eye) is left out, so that every leader
begins at least a space after its title ("PREFACE ..... iii"). Left to right and right to
left, upright and italic, on one line and on the last of several. Both are laid out here, each
in its own process (the fix is installed per process), and read back from the PDFs."""
from __future__ import annotations

import subprocess
import sys

import pdfplumber
import pikepdf
import pytest

# Lays out PDFs: the slow tier
pytestmark = pytest.mark.slow

ENTRIES = ["Preface", "Explanatory notes", "A title long enough to be set on two lines of the contents, "
           "its leader on the second", "Short", "Implementing the declaration", "Towards next steps",
           "Closing of the meeting", "Tour-de-table", "Report of the meeting", "Annexes"]


def contents(direction: str) -> str:
    items = "".join(f'<li style="font-style: {"italic" if i % 2 else "normal"}">'
                    f'<a href="#e{i}">{title}</a><span class="page-of" data-n="{i + 1}"></span></li>'
                    for i, title in enumerate(ENTRIES))
    heads = "".join(f'<h2 id="e{i}">{title}</h2>' for i, title in enumerate(ENTRIES))
    return f"""<html dir="{direction}"><head><style>
      @page {{ size: A4; margin: 2cm }}
      body {{ font: 10pt "DejaVu Serif" }}
      ol {{ list-style: none; padding: 0; width: 12cm }}
      li {{ position: relative; padding-right: 2.2em; margin: 0 0 6pt }}
      [dir=rtl] li {{ padding-right: 0; padding-left: 2.2em }}
      .page-of::before {{ content: leader(". ") }}
      .page-of::after {{ content: attr(data-n); position: absolute; right: 0; bottom: 0 }}
      [dir=rtl] .page-of::after {{ right: auto; left: 0 }}
    </style></head><body><ol>{items}</ol>{heads}</body></html>"""


def laid_out(tmp_path, direction: str, fixed: bool):
    out = tmp_path / f"{direction}-{'fixed' if fixed else 'plain'}.pdf"
    setup = "from folio.layout.weasy import fixes; fixes(); " if fixed else ""
    code = (f"import sys; {setup}from weasyprint import HTML; "
            "HTML(string=open(sys.argv[1], encoding='utf-8').read()).write_pdf(sys.argv[2])")
    page = tmp_path / f"{direction}.html"
    page.write_text(contents(direction), encoding="utf-8")
    subprocess.run([sys.executable, "-c", code, str(page), str(out)], check=True)
    return out


def lines(pdf_path, rtl: bool) -> list[tuple[list[float], float]]:
    """Of every leader line of the first page, top to bottom: the x of its dots, and the gap
    between its title and the dot nearest to it (the page number stands on the dots' other
    side)."""
    found: dict[float, list] = {}
    with pdfplumber.open(pdf_path) as pdf:
        for char in pdf.pages[0].chars:
            found.setdefault(round(char["top"], 1), []).append(char)
    out = []
    for _, chars in sorted(found.items()):
        dots = sorted(c["x0"] for c in chars if c["text"] == ".")
        if not dots:
            continue
        if rtl:
            title = min(c["x0"] for c in chars if c["text"].strip() and c["x0"] > dots[-1])
            gap = title - max(c["x1"] for c in chars if c["text"] == ".")
        else:
            title = max(c["x1"] for c in chars if c["text"].strip() and c["x1"] < dots[0])
            gap = dots[0] - title
        out.append((dots, gap))
    return out


def step(dots: list[float]) -> float:
    return min(b - a for a, b in zip(dots, dots[1:], strict=False))


def text_objects(pdf_path) -> int:
    """Strings shown (TJ) in the PDF's content streams (WeasyPrint draws a page in a form
    XObject, and joins the text objects that follow each other into one)."""
    with pikepdf.open(pdf_path) as pdf:
        return sum(len(pikepdf.parse_content_stream(obj, "TJ")) for obj in pdf.objects
                   if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") in ("/Form", None)
                   and obj.get("/Type") != "/XRef" and "/Length1" not in obj and "/N" not in obj)


@pytest.mark.parametrize("direction", ["ltr", "rtl"])
def test_the_dots_stand_where_weasyprint_put_them_clear_of_the_title(tmp_path, direction):
    rtl = direction == "rtl"
    plain = lines(laid_out(tmp_path, direction, False), rtl)
    fixed = lines(laid_out(tmp_path, direction, True), rtl)
    assert len(plain) == len(ENTRIES) == len(fixed) and all(len(dots) > 10 for dots, _ in plain)
    half = step(plain[0][0]) / 2
    touching = 0
    for (theirs, their_gap), (ours, our_gap) in zip(plain, fixed, strict=True):
        # every dot of ours stands where WeasyPrint put one
        assert all(min(abs(x - y) for y in theirs) < 0.02 for x in ours), (theirs, ours)
        if their_gap < half:       # WeasyPrint's nearest dot touched the title: left out
            touching += 1
            assert len(ours) == len(theirs) - 1
        else:
            assert len(ours) == len(theirs)
        assert our_gap >= half - 0.02, (our_gap, half)
    assert touching, "no title here met its leader: the document tests nothing of the gap"


def test_a_leader_is_drawn_in_runs(tmp_path):
    plain, fixed = laid_out(tmp_path, "ltr", False), laid_out(tmp_path, "ltr", True)
    counted = sum(len(dots) for dots, _ in lines(plain, rtl=False))
    # WeasyPrint drew each dot apart; with the fix, a run of eight is one (titles and numbers too).
    assert text_objects(plain) >= counted
    assert text_objects(fixed) < counted / 3
