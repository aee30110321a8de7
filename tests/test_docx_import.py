"""Word corrections back into the source, with edited files made by a real office suite:
LibreOffice, driven by tests/lo_edit.py with change recording on, saving Word 2007–365 DOCX."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, SHOWCASE, make_project, need, run_folio
from pypdf import PdfReader

from folio.build import build
from folio.corrections.package import Package
from folio.corrections.revisions import read_document
from folio.diagnostics import Reporter
from folio.project import Project

# Lays out PDFs, starts LibreOffice, Chromium or builds whole reports: the slow tier
pytestmark = pytest.mark.slow

SYSTEM_PYTHON = "/usr/bin/python3"
EDITS = [
    {"op": "replace", "find": "deliberately small", "with": "intentionally small"},
    {"op": "delete", "find": " Any real report would explain those differences in a section of its own;"
                             " the showcase simply notes that they exist."},
    {"op": "insert_paragraph", "after": "they may differ slightly from shares computed from the table.",
     "text": "A new paragraph written by the editor, with “quotes” and a *star*."},
    {"op": "footnote", "index": 0, "find": "paraphrased", "with": "summarized"},
    {"op": "replace", "find": "Limitations", "with": "Known limitations", "nth": 2},   # 1 is in the contents
    {"op": "replace", "find": "strong emphasis", "with": "strong and lasting emphasis"},
    {"op": "comment", "find": "rounded to the nearest million", "text": "Is this still true?", "author": "Ana Editor"},
]


def need_uno() -> None:
    need("soffice")
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True) \
        if Path(SYSTEM_PYTHON).exists() else None
    if probe is None or probe.returncode:
        if os.environ.get("CI"):
            pytest.fail("python3-uno is not installed; .ci/run should install it")
        pytest.skip("python3-uno is not installed (.ci/run installs it)")


def lo_edit(source: Path, target: Path, edits: list, track: bool = True) -> Path:
    need_uno()
    script = target.with_suffix(".json")
    script.write_text(json.dumps(edits), encoding="utf-8")
    run = subprocess.run([SYSTEM_PYTHON, str(ROOT / "tests" / "lo_edit.py"), str(source), str(target), str(script),
                          "--author", "Ana Editor", *([] if track else ["--no-track"])],
                         capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stderr
    return target


def build_into(source: Path, formats: list[str]) -> None:
    """Build a throwaway project (source/report.md under its root) into its build/."""
    root = source.parent.parent
    result = build(Project.for_source(source, root=root), formats, Reporter())
    assert result.ok, "\n".join(map(str, result.reporter.messages))


def showcase_project(where: Path) -> tuple[Path, Path]:
    """A project whose source/report.md is the showcase, built to DOCX: (source, docx)."""
    source = make_project(where, SHOWCASE.read_text(encoding="utf-8"))
    shutil.copytree(SHOWCASE.parent / "images", source.parent / "images")
    build_into(source, ["docx"])
    return source, where / "build" / "report.docx"


@pytest.fixture(scope="module")
def edited(tmp_path_factory):
    """The showcase built, then edited in LibreOffice with every kind of correction."""
    where = tmp_path_factory.mktemp("edited")
    source, built = showcase_project(where)
    return source, built, lo_edit(built, where / "edited.docx", EDITS)


def paragraphs(path: Path) -> list[str]:
    """Every paragraph's text with all changes accepted, as the editor wrote it. Left out: what
    folio generates and renumbers on the build, as it should (a new paragraph takes a number,
    and references to the ones after it change): contents entries, paragraph numbers, field
    results and note numbers; and empty paragraphs (LibreOffice adds one after the contents)."""
    with Package(path) as pkg:
        word = read_document(pkg)
    texts = ["".join(s.text for s in p.segments if not s.removed and not s.generated)
             for p in word.paragraphs if not re.match(r"TOC|Contents", p.style)]
    return [re.sub(r"^\d+\.\t", "", t) for t in texts if t]


def test_a_file_without_edits_brings_no_changes(tmp_path):
    for text_ in (None, SHOWCASE.read_text(encoding="utf-8")):   # the report, then the showcase
        where = tmp_path / ("report" if text_ is None else "showcase")
        source = make_project(where, text_)
        if text_ is not None:
            shutil.copytree(SHOWCASE.parent / "images", source.parent / "images")
        build_into(source, ["docx"])
        result = run_folio("import-docx", where / "build" / "report.docx", source, cwd=where)
        assert result.returncode == 0, result.stderr
        assert result.stdout == "0 changes in 0 paragraphs; 0 comments\n"


def test_libreoffice_corrections_come_back_into_the_source(edited, tmp_path):
    source, _, docx = edited
    project = tmp_path / "project"
    shutil.copytree(source.parent.parent, project, ignore=shutil.ignore_patterns("build"))
    copy = project / "source" / "report.md"
    result = run_folio("import-docx", docx, copy, "--apply", "--review", cwd=project)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-3] == "6 changes in 6 paragraphs; 1 comment", result.stderr
    new = copy.read_text(encoding="utf-8")
    assert "The showcase is intentionally small. It contains" in new
    assert "from the series used here.\n\n# Data and methods" in new
    assert ("computed from the table.\n\nA new paragraph written by the editor, with “quotes” and a \\*star\\*."
            "\n\n# Conclusions") in new
    assert "[^target]: The wording of the target is summarized from the 2030 Agenda" in new
    assert "## Known limitations {#sec-limitations}\n" in new
    assert "- *emphasis* and **strong and lasting emphasis**;" in new
    line = new.splitlines().index(next(x for x in new.splitlines() if "rounded to the nearest million" in x)) + 1
    assert f"source/report.md:{line}: note: comment by Ana Editor on 2026-11-28: Is this still true?" \
           " (on 'rounded to the nearest million') [docx-comment]" in result.stderr
    review = (project / "source" / "report.review.md").read_text(encoding="utf-8")
    assert f"`source/report.md:{line}` — Ana Editor, 2026-11-28: Is this still true?" in review

    # built again, the Word file reads as the edited one with every change accepted
    build_into(copy, ["docx", "html", "pdf"])
    assert paragraphs(project / "build" / "report.docx") == paragraphs(docx)
    html = (project / "build" / "html" / "index.html").read_text(encoding="utf-8")
    pdf = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(project / "build" / "report.pdf").pages)
    for shown in (html, pdf):
        assert "intentionally small" in shown and "deliberately small" not in shown
        assert "A new paragraph written by the editor" in shown and "Any real report" not in shown


def test_tracked_changes_as_criticmarkup_or_rejected(edited):
    source, _, docx = edited
    critic = run_folio("import-docx", docx, source, "--tracked", "critic", cwd=source.parent.parent)
    assert "+The showcase is {~~deliberately small~>intentionally small~~}. It" in critic.stdout
    assert "+- *emphasis* and **{~~strong emphasis~>strong and lasting emphasis~~}**;" in critic.stdout
    assert "from the series used here.{-- Any real report would explain" in critic.stdout
    assert "+{++A new paragraph written by the editor, with “quotes” and a \\*star\\*.++}\n" in critic.stdout
    assert "{==rounded to the nearest million==}{>>Ana Editor: Is this still true?<<}.[^sources]" in critic.stdout
    assert "+## {~~Limitations~>Known limitations~~} {#sec-limitations}" in critic.stdout
    rejected = run_folio("import-docx", docx, source, "--tracked", "reject", cwd=source.parent.parent)
    assert rejected.stdout.splitlines()[-1] == "0 changes in 0 paragraphs; 1 comment"


def test_corrections_made_without_tracking_are_found_too(edited, tmp_path):
    source, built, _ = edited
    docx = lo_edit(built, tmp_path / "untracked.docx", EDITS[:2], track=False)
    result = run_folio("import-docx", docx, source, cwd=source.parent.parent)
    assert "+The showcase is intentionally small. It contains" in result.stdout
    assert "2 changes in 2 paragraphs; 0 comments" in result.stdout


def test_edits_of_generated_text_are_reported_where_to_make_them(edited, tmp_path):
    source, built, _ = edited
    docx = lo_edit(built, tmp_path / "generated.docx", [
        {"op": "replace", "find": "Limitations", "with": "Caveats"},               # in the contents
        {"op": "replace", "find": "figures in table 1", "with": "figures in table 2"},  # a cross-reference
        {"op": "replace", "find": "Sustainable Development Goals", "with": "Global Goals"},  # the abbreviation table
    ])
    result = run_folio("import-docx", docx, source, "--strict", cwd=source.parent.parent)
    lines = source.read_text(encoding="utf-8").splitlines()
    heading = lines.index("## Limitations {#sec-limitations}") + 1
    call = next(n for n, x in enumerate(lines, 1) if x.startswith("The figures in @tbl-regions"))
    definition = lines.index("*[SDGs]: Sustainable Development Goals") + 1
    assert f"source/report.md:{heading}: warning: not applied: 'B. Limitations' → 'B. Caveats' is generated" \
           " text; the contents are made from the headings: change the heading here [docx-generated]" in result.stderr
    assert f"source/report.md:{call}: warning: not applied: '1' → '2' falls inside 'table 1', which is a" \
           " cross-reference to 'tbl-regions'" in result.stderr
    assert f"source/report.md:{definition}: warning: not applied: 'Sustainable Development Goals' → 'Global" \
           " Goals' is generated text; the table is made from the definitions" in result.stderr
    assert result.stdout.splitlines()[-1] == "0 changes in 0 paragraphs; 0 comments; 3 changes not placed"
    assert result.returncode == 1     # --strict: changes not placed are warnings


def test_a_paragraph_deleted_and_two_joined(edited, tmp_path):
    source, built, _ = edited
    docx = lo_edit(built, tmp_path / "blocks.docx", [
        {"op": "delete_paragraph", "find": "The table and the figure agree, as they should."},
        {"op": "join", "after": "never replaces the missing words with a guess."},
        {"op": "join", "after": "computed from the table."},          # into the next heading: refused
    ])
    result = run_folio("import-docx", docx, source, cwd=source.parent.parent)
    lines = source.read_text(encoding="utf-8").splitlines()
    oceania = next(n for n, x in enumerate(lines, 1) if x.startswith("The values for Oceania"))
    assert result.returncode == 0, result.stderr
    assert "-The table and the figure agree, as they should. Where the two are presented" in result.stdout
    assert "+The draft from which this section was prepared was damaged in one place" in result.stdout
    assert "with a guess.Where a whole passage is missing, the gap stands alone" in result.stdout
    assert f"source/report.md:{oceania}: warning: two paragraphs joined in Word were not joined: join them in" \
           " the source [docx-unplaced]" in result.stderr
    assert "2 changes in 2 paragraphs; 0 comments; 1 change not placed" in result.stdout
