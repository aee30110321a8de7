"""The single pass lays the print HTML out no more often than its rounds need (issue 22, the
cold build): the first layout's pages ask for hyphenation hints and for the last pages to be
set tighter at once, and one more layout gives both. Counted with the PDF writer's own count
of layouts (folio.writers.pdf.single.LAYOUTS), never by time; what the rounds are for is read back
from the PDF: no two hyphenated lines in a row, no few lines left alone on the last page."""
from __future__ import annotations

import pdfplumber
import pytest
from conftest import ROOT, make_project
from test_hyphenation import paragraphs, problems

from folio.build import build
from folio.diagnostics import Reporter
from folio.project import Project

pytestmark = pytest.mark.slow   # lays out PDFs

# Long words that a narrow justified line breaks two lines in a row; then plain short words,
# which ask nothing of hyphenation, in parts long enough that the first layout leaves a few
# lines of the last paragraph alone on the last page of text.
LONG = ("The administrative coordination of internationally comparable statistical information requires "
        "considerable methodological harmonization, institutional responsibilities, interdepartmental "
        "cooperation and comprehensive documentation. ")
SHORT = ("We met in the hall at ten and set out the plan for the year. Each of us said what we had done, "
         "what went well and what did not, and what we would do next. ")


def document(long: str, last_part: int, last_paragraph: int) -> str:
    parts = ["---\ntitle: A test of the layout rounds\nchapter-opening: continue\npdf-layout: single\n---\n",
             "# Long words\n", long + "\n"]
    for part in range(6):
        parts.append(f"# Part {part + 1}\n")
        parts += [SHORT * 3 + "\n"] * (5 if part < 5 else last_part)
    parts.append(SHORT * last_paragraph + "\n")
    return "\n".join(parts)


def layouts(tmp_path, text: str):
    """(layouts the PDF took, the PDF) of a build of `text` in this process."""
    from folio.writers.pdf import single as pdf

    source = make_project(tmp_path, text)
    before = pdf.LAYOUTS[0]
    result = build(Project.for_source(source, root=ROOT), ["pdf"], Reporter())
    assert result.ok, [str(m) for m in result.reporter.messages]
    return pdf.LAYOUTS[0] - before, tmp_path / "build" / "report.pdf"


def body_lines(page) -> list[str]:
    """The lines of a page between its running head and its page number (1 in margins)."""
    band = page.crop((0, 66, page.width, page.height - 80))
    return [line for line in (band.extract_text() or "").splitlines() if line.strip()]


def test_hints_and_a_pull_back_take_one_more_layout(tmp_path):
    """The long words ask for words left whole and the last page held four lines of a
    paragraph begun before it: laid out once more, both are settled (the rounds in turn took
    four layouts)."""
    count, out = layouts(tmp_path, document(LONG, last_part=3, last_paragraph=8))
    found, hyphenated, _ = problems(paragraphs(out))
    assert not found, found
    assert hyphenated > 0                       # the long words are broken, once at a time
    with pdfplumber.open(out) as pdf:
        texts = [page for page in pdf.pages if body_lines(page)]
        last = body_lines(texts[-1])
    assert len(last) > 8, last                  # no carry-over left alone
    assert count == 2


def test_a_document_that_asks_nothing_is_laid_out_once(tmp_path):
    count, out = layouts(tmp_path, document(SHORT, last_part=2, last_paragraph=2))
    with pdfplumber.open(out) as pdf:
        texts = [page for page in pdf.pages if body_lines(page)]
        assert len(body_lines(texts[-1])) > 8
    assert count == 1


def test_a_pull_back_that_fails_with_nothing_else_asked_costs_one_layout(tmp_path):
    """A single word inside two thousand nested quotations: its last page asks to be set
    tighter, which cannot take it back, and no word asks for a hint: the first layout stands,
    not laid out a third time with no hints at all (the pathological PDF test's quotes grew
    8.3-fold from 500 to 2,000 levels for that layout)."""
    count, out = layouts(tmp_path, "---\ntitle: Quotes\npdf-layout: single\n---\n\n" + "> " * 2000 + "a\n")
    assert out.exists()
    assert count <= 2
