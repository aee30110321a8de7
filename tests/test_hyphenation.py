"""Hyphenation a print shop accepts, measured from the PDF's own text (pdftotext), on the
report and on a document four times its size: never two hyphenated lines in a row, never a
paragraph ending on a fragment alone, never a word with a capital or a hyphen of its own,
three letters at least on each side, and fewer than one line in ten ending in a hyphen.
From the characters' positions (tests/typeset.py), in both PDFs of the report and in a report
of some 70 pages: no hyphen on the last line of a right-hand page (a word split across the
turn of the leaf), none on a paragraph's last full line."""
from __future__ import annotations

import re
import subprocess

import pytest
from chunked_pdf import clean, pdf_of, stats
from conftest import REPORT, need
from typeset import running_lines

# Lays out PDFs, starts LibreOffice, Chromium or builds whole reports: the slow tier
pytestmark = pytest.mark.slow

HYPHENS = "-\u2010"


def paragraphs(pdf) -> list[list[str]]:
    """The PDF's text as paragraphs of lines (pdftotext separates text blocks by blank lines)."""
    text = subprocess.run([need("pdftotext"), str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [[line for line in block.splitlines() if line.strip()]
            for block in re.split(r"\n\s*\n|\f", text) if block.strip()]


def problems(paras: list[list[str]]) -> tuple[list[str], int, int]:
    """(every breach of the rules, lines ending in a hyphen, lines of running text)."""
    found, hyphenated, lines = [], 0, 0
    for para in paras:
        if len(para) < 2:
            continue
        run = 0
        for index, line in enumerate(para):
            lines += 1
            broken = line[-1] in HYPHENS and index + 1 < len(para) and line[-2:-1].isalpha() \
                and para[index + 1][:1].isalpha()
            if not broken:
                run = 0
                continue
            hyphenated += 1
            run += 1
            head = re.search(r"(\S+)" + f"[{HYPHENS}]$", line).group(1)
            tail = re.match(r"[^\s.,;:!?)”’]+", para[index + 1]).group(0)
            word = head + tail
            if run > 1:
                found.append(f"two hyphenated lines in a row, ending {line[-30:]!r}")
            if any(c.isupper() for c in word) or any(c in "-‐‑" for c in head + tail):
                found.append(f"{head}-{tail}: a word with a capital or a hyphen of its own")
            if len(re.sub(r"\W", "", head)) < 3 or len(re.sub(r"\W", "", tail)) < 3:
                found.append(f"{head}-{tail}: fewer than three letters on one side")
            if index + 2 == len(para) and len(para[-1].split()) == 1:
                found.append(f"{head}-{tail}: the paragraph ends on the fragment alone")
    return found, hyphenated, lines


@pytest.fixture(scope="module")
def four_times(built_once):
    """The report at 4× (40 pages): long enough for `auto` to lay it out in chunks cut where its
    pages begin blocks, each laid out and hyphenated on its own (at 10×, the same route for
    twice the time). test_chunked.py's build, shared."""
    source = clean(built_once, "report-4x", "auto")
    run = stats(source)
    assert run["chunks"] > 5 and run["cuts"], run
    return pdf_of(source)


@pytest.fixture(scope="module")
def report(report_pdf):
    return report_pdf            # the session's build of the report (conftest)


def misplaced_hyphens(lines) -> list[str]:
    """Hyphens at the foot of a right-hand page (odd pages: the first is a right-hand one)
    and on the line before a paragraph's last, among a PDF's lines of running text."""
    found = [f"page {line.page + 1} (a right-hand page) ends in {line.text[-30:]!r}"
             for line in lines if line.hyphenated and line.ends_body and line.page % 2 == 0]
    by_block: dict[str, list] = {}
    for line in lines:
        by_block.setdefault(line.block, []).append(line)
    for block in by_block.values():
        if len(block) >= 2 and block[-1].ends_paragraph and block[-2].hyphenated:
            found.append(f"page {block[-2].page + 1}: the last full line of a paragraph ends in"
                         f" {block[-2].text[-30:]!r}")
    return found


@pytest.mark.parametrize("which", ["report", "four_times"])
def test_hyphenation_keeps_the_print_shops_rules(which, request):
    found, hyphenated, lines = problems(paragraphs(request.getfixturevalue(which)))
    assert not found, found[:10]
    assert lines > 200
    assert hyphenated > 0, "no word is hyphenated at all: the rule is not exercised"
    assert hyphenated / lines < 0.1, f"{hyphenated} of {lines} lines end in a hyphen"


def test_the_rules_catch_what_the_reviewer_found():
    """The checker itself, on the lines the print-shop review quoted."""
    bad = [["whose remit covers the work of the Sec\u2010", "retary-General in every region of",
            "the world and of the regional commissions."],
           ["the process of review was evid\u2010", "ence enough for the", "pro\u2010", "cess."]]
    found, _, _ = problems(bad)
    assert any("capital" in f for f in found) and any("alone" in f for f in found)


@pytest.mark.slow
@pytest.mark.parametrize("edition", ["report.pdf", "report-print.pdf"])
def test_no_hyphen_at_the_turn_of_a_leaf_or_on_a_last_full_line(edition, report):
    assert not misplaced_hyphens(running_lines(REPORT, report.parent / edition))


@pytest.mark.slow
def test_no_hyphen_at_the_turn_of_a_leaf_or_on_a_last_full_line_in_a_long_report(long_report_lines):
    lines = long_report_lines                              # read once for test_justification too
    assert sum(line.hyphenated for line in lines) > 50     # the rules are exercised
    assert sum(line.ends_body and line.page % 2 == 0 for line in lines) > 15   # rectos ending in text
    assert not misplaced_hyphens(lines)
