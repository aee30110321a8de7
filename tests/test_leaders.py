"""A contents leader drawn in runs of dots (folio/layout/weasy/leaders.py) puts its dots where
WeasyPrint's one box per dot put them: the same dots on every line, within a fiftieth of a
point, left to right and right to left, upright and italic, on one line and on the last of
several. Both are laid out here, each in its own process (the fix is installed per process),
and read back from the PDFs."""
from __future__ import annotations

import subprocess
import sys

import pdfplumber
import pikepdf
import pytest

# Lays out PDFs: the slow tier
pytestmark = pytest.mark.slow

ENTRIES = ["Preface", "Explanatory notes", "A title long enough to be set on two lines of the contents, "
           "its leader on the second", "Short"]


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


def dots(pdf_path) -> list[list[float]]:
    """The x of every dot of the first page, by line (top to bottom)."""
    lines: dict[float, list[float]] = {}
    with pdfplumber.open(pdf_path) as pdf:
        for char in pdf.pages[0].chars:
            if char["text"] == ".":
                lines.setdefault(round(char["top"], 1), []).append(char["x0"])
    return [sorted(xs) for _, xs in sorted(lines.items())]


def text_objects(pdf_path) -> int:
    """Strings shown (TJ) in the PDF's content streams (WeasyPrint draws a page in a form
    XObject, and joins the text objects that follow each other into one)."""
    with pikepdf.open(pdf_path) as pdf:
        return sum(len(pikepdf.parse_content_stream(obj, "TJ")) for obj in pdf.objects
                   if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") in ("/Form", None)
                   and obj.get("/Type") != "/XRef" and "/Length1" not in obj and "/N" not in obj)


@pytest.mark.parametrize("direction", ["ltr", "rtl"])
def test_the_dots_stand_where_weasyprint_put_them(tmp_path, direction):
    plain, fixed = dots(laid_out(tmp_path, direction, False)), dots(laid_out(tmp_path, direction, True))
    assert len(plain) == len(ENTRIES) and all(len(line) > 10 for line in plain)
    assert [len(line) for line in fixed] == [len(line) for line in plain]
    worst = max(abs(a - b) for p, f in zip(plain, fixed, strict=True) for a, b in zip(p, f, strict=True))
    assert worst < 0.02, worst


def test_a_leader_is_drawn_in_runs(tmp_path):
    plain, fixed = laid_out(tmp_path, "ltr", False), laid_out(tmp_path, "ltr", True)
    counted = sum(len(line) for line in dots(plain))
    # WeasyPrint drew each dot apart; with the fix, a run of eight is one (titles and numbers too).
    assert text_objects(plain) >= counted
    assert text_objects(fixed) < counted / 3
