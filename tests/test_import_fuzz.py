"""Fuzzing the Word import (issue 25): generated edits of the report's Word file come back as text.

Hypothesis types text into the seed report's DOCX as an editor would: a new paragraph with Track
Changes on or off, or words added at the end of a paragraph, tracked or not. The text mixes
Markdown and folio syntax (headings, notes, abbreviations, tables, divs, code, templates, links,
cross-references), letters of other scripts (those the fonts have: a missing glyph is
rightly a warning), tabs and no-break spaces, and control characters
(which reach a Word file only as a w:sym). The property: the import refuses a control character
with its paragraph and leaves the source alone; anything else it places, the corrected source
reads without a new warning, and its web edition shows the typed text verbatim.

Everything runs in this process (no subprocess per example): the report's DOCX is built once,
each example rewrites its word/document.xml, imports it, and builds the HTML edition alone.
FOLIO_IMPORT_FUZZ_EXAMPLES sets the number of examples (20 by default); the long run:
FOLIO_IMPORT_FUZZ_EXAMPLES=10000 nice -n 15 python -m pytest -n0 tests/test_import_fuzz.py
(FOLIO_IMPORT_FUZZ_LOG=FILE: a line per example passed, for the run's figures while it runs).
"""
from __future__ import annotations

import functools
import os
import re
import tempfile
import time
import zipfile
from collections import Counter
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

import lxml.html
import pytest
from conftest import make_project
from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st

from folio.build import build
from folio.corrections import import_docx
from folio.diagnostics import FolioError, Kind, Reporter
from folio.project import Project

# Builds the report's Word file and many web editions: the slow tier
pytestmark = pytest.mark.slow

EXAMPLES = int(os.environ.get("FOLIO_IMPORT_FUZZ_EXAMPLES", "20"))
PROGRESS = os.environ.get("FOLIO_IMPORT_FUZZ_LOG")    # a file: one line per example (a long run's figures)
DATE = 'w:author="Ed" w:date="2024-01-01T00:00:00Z"'

SYNTAX = ["# Heading", "## ", "---", "***", "title: x", "*[UN]: injected", "*[EVIL]: x", "::: warning", ":::",
          "| a | b |", "|---|", "[^n]: note", "[^1]", "^[inline]", "    four spaces", "1. item", "- item",
          "> quote", "Table: caption", "{gap}", "{gap: why}", "{#sec-x}", "{{ 7*7 }}", "{% x %}",
          "[x](file:///etc/passwd)", "[y](javascript:alert(1))", "<script>alert(1)</script>", "<b>",
          "@sec-intro", "[-@sec-a]", "![](../.env)", "!!! note", "$x$", "$$", "~~s~~", "H~2~O",
          "`code`", "```", "~~~", "<!-- c -->", "&amp;", "&#x41;", "\\", "A/RES/70/1", "(@a)", "[@cite]",
          "--", "...", "'q'", '"q"', "e.g.", "*a*", "__b__", "1)", "+", "=", "==="]
LETTERS = list("abcXYZ019 !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~") + ["é", "“", "’", "—", "ب", "\u00a0", "\t"]
# Control characters a w:sym can carry: the import refuses them (ESC [2J clears a terminal)
CONTROLS = ["\x1b", "\x07", "\x9b", "\x7f"]
# One example in four carries a control character (a 10,000 run spent two thirds on refusals)
TYPED = st.builds(lambda text, control, at: text if control is None else text[:at] + control + text[at:],
                  st.lists(st.sampled_from(SYNTAX) | st.text(st.sampled_from(LETTERS), min_size=1, max_size=6),
                           min_size=1, max_size=6).map("".join),
                  st.sampled_from([None] * 12 + CONTROLS), st.integers(0, 40)) \
    .filter(lambda t: t.strip(" \t\u00a0"))
HOW = ["tracked paragraph", "untracked paragraph", "tracked words", "untracked words"]


def runs(text: str) -> str:
    """text as Word runs: a tab is a w:tab, a control character a w:sym, the rest w:t."""
    out = []
    for piece in re.split(r"(\t|[\x00-\x08\x0b-\x1f\x7f-\x9f])", text):
        if piece == "\t":
            out.append("<w:r><w:tab/></w:r>")
        elif len(piece) == 1 and piece in "".join(CONTROLS):
            out.append(f'<w:r><w:sym w:font="Symbol" w:char="{ord(piece):04X}"/></w:r>')
        elif piece:
            out.append(f'<w:r><w:t xml:space="preserve">{xml_escape(piece)}</w:t></w:r>')
    return "".join(out)


def edit(how: str, typed: str) -> str:
    """The XML an editor's typing adds: a paragraph after the chosen one, or runs at its end."""
    if how == "tracked paragraph":
        return (f'<w:p><w:pPr><w:rPr><w:ins w:id="901" {DATE}/></w:rPr></w:pPr>'
                f'<w:ins w:id="902" {DATE}>{runs(typed)}</w:ins></w:p>')
    if how == "untracked paragraph":
        return f"<w:p>{runs(typed)}</w:p>"
    words = runs(" " + typed)
    return f'<w:ins w:id="903" {DATE}>{words}</w:ins>' if how == "tracked words" else words


@functools.lru_cache(maxsize=1)
def report() -> tuple[Path, str, list[tuple[int, int]], Counter]:
    """The seed report's project, its DOCX's word/document.xml, the (start, end) of each body
    paragraph of text the source map knows (not in a table), and the web edition's warnings."""
    where = Path(tempfile.mkdtemp(prefix="folio-import-fuzz-"))
    source = make_project(where)
    result = build(Project.for_source(source, root=where), ["docx", "html"], Reporter())
    assert result.ok, [str(m) for m in result.reporter.messages]
    with zipfile.ZipFile(where / "build" / "report.docx") as z:
        xml = z.read("word/document.xml").decode("utf-8")
    tables = [m.span() for m in re.finditer(r"<w:tbl>.*?</w:tbl>", xml, re.S)]
    text = source.read_text(encoding="utf-8")
    paragraphs = [m.span() for m in re.finditer(r"<w:p [^>]*>(?:(?!</w:p>).)*</w:p>", xml, re.S)
                  if 'w:pStyle w:val="Normal"' in m.group(0) and 'w:name="_F' in m.group(0)
                  and not any(a <= m.start() < b for a, b in tables) and _words(m.group(0)) in text]
    assert len(paragraphs) > 10
    return where, xml, paragraphs, warnings(result.reporter)


def _words(paragraph: str) -> str:
    """The first words of a paragraph's XML as text: the paragraph is the source's if they are."""
    words = re.sub(r"<[^>]+>", "", re.sub(r"<w:instrText.*?</w:instrText>", "", paragraph))
    return words.strip()[:30] or "\0"


def warnings(reporter: Reporter) -> Counter:
    """Warnings by kind and text, without their lines (typing moves the lines below it). A
    capitalised word typed is rightly reported as an undefined abbreviation: not counted."""
    return Counter(f"{m.kind}: {m.text}" for m in reporter.messages if m.kind != Kind.ABBR_UNDEFINED)


def edited_docx(where: Path, xml: str, folder: Path) -> Path:
    out = folder / "edited.docx"
    with zipfile.ZipFile(where / "build" / "report.docx") as z, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as o:
        for item in z.infolist():
            o.writestr(item, xml.encode("utf-8") if item.filename == "word/document.xml" else z.read(item))
    return out


def check_edit(typed: str, how: str, which: int) -> str:
    where, xml, paragraphs, before = report()
    start, end = paragraphs[which % len(paragraphs)]
    at = end if how.endswith("paragraph") else end - len("</w:p>")
    source = where / "source" / "report.md"
    text = source.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        docx = edited_docx(where, xml[:at] + edit(how, typed) + xml[at:], Path(tmp))
        reporter = Reporter()
        project = Project.for_source(source, root=where, out_dir=Path(tmp) / "out")
        try:
            outcome = import_docx(docx, text, "source/report.md", reporter, project=project)
        except FolioError:
            outcome = None
        if any(c in typed for c in CONTROLS):
            refused = [str(m) for m in reporter.errors]
            assert outcome is None and refused and all("U+" in m for m in refused), refused
            assert source.read_text(encoding="utf-8") == text
            return "control character refused"
        assert outcome is not None, [str(m) for m in reporter.messages]
        assert not reporter.errors, [str(m) for m in reporter.messages]
        assert outcome.result != text, outcome.summary
        copy = where / "source" / "corrected.md"      # beside the source: the same project
        copy.write_text(outcome.result, encoding="utf-8")
        rebuilt = build(Project.for_source(copy, root=where, out_dir=Path(tmp) / "out"), ["html"], Reporter())
        new = warnings(rebuilt.reporter) - before
        assert rebuilt.ok and not new, (list(new), outcome.diff)
        page = lxml.html.parse(str(Path(tmp) / "out" / "html" / "index.html")).getroot().text_content()
        shown, wanted = " ".join(page.split()), " ".join(typed.split())
        assert wanted in shown, (wanted, outcome.diff)
    return how


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(TYPED, st.sampled_from(HOW), st.integers(min_value=0, max_value=10_000))
def test_typed_text_comes_back_verbatim_or_is_refused(typed, how, which):
    note(f"typed {typed!r}, {how}, paragraph {which}")
    outcome = check_edit(typed, how, which)
    event(outcome)
    if PROGRESS:
        with open(PROGRESS, "a", encoding="utf-8") as log:
            log.write(f"{time.time():.1f}\t{outcome}\t{typed!r}\n")
