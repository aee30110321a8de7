"""Layout on real content (issue 10, item 5), read from tests/documents/long.md's PDF and from
its DOCX as LibreOffice lays it out: long chapter numbers keep clear of their titles, deep
headings are not smaller than the text, a third list level keeps its own indent and marker,
and a hard line break does not spread the words of a justified line."""
from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pdfplumber
import pytest
from conftest import ROOT, need

# Lays out PDFs, starts LibreOffice, Chromium or builds whole reports: the slow tier
pytestmark = pytest.mark.slow

ROMAN = re.compile(r"^[IVXLC]+\.$")
GAP = 3.0   # pt: at least a space between a number and its title
MARGIN = 68  # pt: the running header and the page number sit outside (margins are 1 in)


def _number_gaps(pdf_path) -> dict[str, list[float]]:
    """'XVIII.' → gaps (pt) between each printing of the number and the word after it."""
    gaps: dict[str, list[float]] = {}
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:   # inside the margins: the running header says "I. Title" in words
            words = [w for w in page.extract_words() if MARGIN < w["top"] < page.height - MARGIN]
            for a in (w for w in words if ROMAN.match(w["text"])):
                after = [b for b in words if abs(a["bottom"] - b["bottom"]) < 3 and b["x0"] > a["x0"]]
                if after:                 # the nearest word to its right on its line
                    gaps.setdefault(a["text"], []).append(min(b["x0"] for b in after) - a["x1"])
    return gaps


def _check_numbers(gaps: dict[str, list[float]]) -> None:
    assert {"VIII.", "XVIII.", "XXI."} <= set(gaps), sorted(gaps)
    assert all(len(gaps[n]) >= 2 for n in ("VIII.", "XVIII.", "XXI."))   # contents and heading
    narrow = {n: min(g) for n, g in gaps.items() if min(g) < GAP}
    assert not narrow, narrow


@pytest.fixture(scope="module")
def long_pdf(documents):
    out, result = documents["long"]
    assert not result.reporter.messages, [str(m) for m in result.reporter.messages]
    return out / "long.pdf"


def libreoffice_pdf(docx: Path, target: Path) -> Path:
    """The DOCX as LibreOffice lays it out, with the fonts a Word user has: Times New Roman
    (Liberation Serif, its metric twin, from styles/fonts/) and the script faces it names."""
    soffice = need("soffice")
    config = target / "fonts.conf"
    config.write_text(f"""<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig><include ignore_missing="yes">/etc/fonts/fonts.conf</include>
<dir>{ROOT / "styles" / "fonts"}</dir><cachedir>{target / "fc-cache"}</cachedir></fontconfig>""")
    run = subprocess.run([soffice, f"-env:UserInstallation=file://{target}/profile", "--headless",
                          "--convert-to", "pdf", "--outdir", str(target), str(docx)],
                         capture_output=True, text=True, timeout=300,
                         env={**os.environ, "FONTCONFIG_FILE": str(config)})
    assert run.returncode == 0, run.stderr
    return target / f"{docx.stem}.pdf"


@pytest.fixture(scope="module")
def long_docx_pdf(documents, tmp_path_factory):
    out, _ = documents["long"]
    return libreoffice_pdf(out / "long.docx", tmp_path_factory.mktemp("long-lo"))


def test_pdf_chapter_numbers_keep_clear_of_their_titles(long_pdf):
    _check_numbers(_number_gaps(long_pdf))


def test_pdf_contents_titles_of_a_level_start_in_one_column(long_pdf):
    with pdfplumber.open(long_pdf) as pdf:
        starts = set()
        for page in pdf.pages[:8]:
            words = page.extract_words()
            for a, b in zip(words, words[1:], strict=False):
                if ROMAN.match(a["text"]) and b["text"].isupper() and abs(a["top"] - b["top"]) < 2:
                    starts.add(round(b["x0"]))
    assert len(starts) <= 2, starts            # left and right pages differ by their margins


def test_pdf_deep_headings_are_not_smaller_than_the_text(long_pdf):
    with pdfplumber.open(long_pdf) as pdf:
        sizes = {}
        for page in pdf.pages:
            for line in page.extract_text_lines(return_chars=True):
                for level in ("four", "five", "six"):
                    if line["text"] == f"A heading of level {level}":
                        sizes[level] = min(c["size"] for c in line["chars"])
                if "Text after the level-four" in line["text"]:
                    sizes["text"] = max(c["size"] for c in line["chars"] if c["text"].isalpha())
    assert set(sizes) == {"four", "five", "six", "text"}, sizes
    assert all(size >= sizes["text"] - 0.05 for size in sizes.values()), sizes


def test_docx_chapter_numbers_keep_clear_of_their_titles(long_docx_pdf):
    _check_numbers(_number_gaps(long_docx_pdf))


def test_docx_three_list_levels_keep_three_indents_and_markers(long_docx_pdf):
    with pdfplumber.open(long_docx_pdf) as pdf:
        found = {}
        for page in pdf.pages:
            for line in page.extract_text_lines(return_chars=True):
                for level in ("first", "second", "third"):
                    if f"{level} level, item one" in line["text"]:
                        text = line["chars"]
                        body = next(c for c in text if c["text"].startswith(level[0]))  # "fi": a ligature
                        found[level] = (text[0]["text"], body["x0"])
    assert set(found) == {"first", "second", "third"}, found
    assert found["first"][1] < found["second"][1] < found["third"][1]
    assert len({marker for marker, _ in found.values()}) == 3, found


def test_docx_hard_line_break_does_not_spread_a_justified_line(long_docx_pdf):
    with pdfplumber.open(long_docx_pdf) as pdf:
        for page in pdf.pages:
            words = page.extract_words()
            line = [w for w in words if any(w["top"] == v["top"] for v in words if v["text"] == "together:")]
            if line:
                break
    line.sort(key=lambda w: w["x0"])
    line = line[1:]                                          # after the paragraph number and its tab
    gaps = [b["x0"] - a["x1"] for a, b in zip(line, line[1:], strict=False)]
    assert line and max(gaps) < 6, [(w["text"], round(g, 1)) for w, g in zip(line[1:], gaps, strict=False)]
