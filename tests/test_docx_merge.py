"""The source map and the three-way merge: ids beat text; a source that moved on since the DOCX
was built is merged with the Word corrections; conflicts are reported, and nothing is lost."""
from __future__ import annotations

import re
import shutil
import zipfile

import pytest
from conftest import SHOWCASE, make_project, run_folio
from docx_files import edit_untracked, without_embedded_source
from test_docx_import import build_into

from folio.corrections.merge import merge3
from folio.ooxml.sourcemap import digest

BASE = "# Title\n\nFirst paragraph.\n\nSecond paragraph.\n\nThird paragraph.\n"


def test_merge_takes_each_side_s_changes():
    ours = BASE.replace("First paragraph.", "First paragraph, edited in the source.") + "\nA fourth.\n"
    theirs = BASE.replace("Third paragraph.", "Third paragraph, corrected in Word.")
    merged = merge3(BASE, ours, theirs)
    assert merged.text == ("# Title\n\nFirst paragraph, edited in the source.\n\nSecond paragraph.\n\n"
                           "Third paragraph, corrected in Word.\n\nA fourth.\n")
    assert merged.conflicts == [] and merged.from_theirs == 1


def test_the_same_change_on_both_sides_is_no_conflict():
    both = BASE.replace("Second", "The second")
    assert merge3(BASE, both, both).text == both


def test_a_conflict_keeps_both_versions_with_its_line():
    ours = BASE.replace("Second paragraph.", "Second paragraph, source.")
    theirs = BASE.replace("Second paragraph.", "Second paragraph, Word.")
    merged = merge3(BASE, ours, theirs)
    [conflict] = merged.conflicts
    assert conflict.line == 5
    assert merged.text.splitlines()[4:11] == [
        "<<<<<<< source now", "Second paragraph, source.", "||||||| when the DOCX was built",
        "Second paragraph.", "=======", "Second paragraph, Word.", ">>>>>>> Word corrections"]


@pytest.fixture()
def mapped(tmp_path):
    """The showcase built: folio's DOCX carries its source map and the source it was built from."""
    source = make_project(tmp_path, SHOWCASE.read_text(encoding="utf-8"))
    shutil.copytree(SHOWCASE.parent / "images", source.parent / "images")
    build_into(source, ["docx"])
    text = source.read_text(encoding="utf-8")
    docx = shutil.copy(tmp_path / "build" / "report.docx", tmp_path / "mapped.docx")
    return source, docx, text


def test_ids_find_a_paragraph_that_was_rewritten_whole(mapped, tmp_path):
    source, docx, text = mapped
    old = "The showcase is deliberately small. It contains a preface"
    edited = edit_untracked(docx, tmp_path / "rewritten.docx", old, "Entirely different words now stand here")
    result = run_folio("import-docx", edited, source, cwd=source.parent.parent)
    assert "+Entirely different words now stand here, explanatory notes, three chapters" in result.stdout
    assert "1 change in 1 paragraph; 0 comments" in result.stdout
    assert "docx-match" not in result.stderr          # every paragraph found by its bookmark


def test_a_source_that_moved_on_is_merged(mapped, tmp_path):
    source, docx, text = mapped
    edited = edit_untracked(docx, tmp_path / "edited.docx", "deliberately small", "intentionally small")
    source.write_text(text.replace("Paragraphs of the body are numbered", "Body paragraphs are numbered"),
                      encoding="utf-8")
    result = run_folio("import-docx", edited, source, "--apply", cwd=source.parent.parent)
    assert result.returncode == 0, result.stderr
    now = source.read_text(encoding="utf-8")
    assert "The showcase is intentionally small." in now and "Body paragraphs are numbered" in now


def test_a_conflict_is_reported_and_nothing_is_written(mapped, tmp_path):
    source, docx, text = mapped
    edited = edit_untracked(docx, tmp_path / "edited.docx", "deliberately small", "intentionally small")
    source.write_text(text.replace("deliberately small", "purposely small"), encoding="utf-8")
    before = source.read_bytes()
    result = run_folio("import-docx", edited, source, "--apply", cwd=source.parent.parent)
    line = text.splitlines().index(next(x for x in text.splitlines() if "deliberately small" in x)) + 1
    assert result.returncode == 1
    assert f"source/report.md:{line}: error: the source and the Word file changed the same paragraph" \
           " differently: both versions are kept between conflict markers [docx-conflict]" in result.stderr
    assert "+<<<<<<< source now\n The showcase is purposely small." in result.stdout
    assert "+The showcase is intentionally small." in result.stdout
    assert source.read_bytes() == before


def test_without_the_recorded_revision_the_base_must_be_given(tmp_path):
    source = make_project(tmp_path, SHOWCASE.read_text(encoding="utf-8"))
    shutil.copytree(SHOWCASE.parent / "images", source.parent / "images")
    build_into(source, ["docx"])
    text = source.read_text(encoding="utf-8")
    docx = without_embedded_source(tmp_path / "build" / "report.docx", tmp_path / "bare.docx")
    (tmp_path / "then.md").write_text(text, encoding="utf-8")
    source.write_text(text.replace("Paragraphs of the body", "Body paragraphs"), encoding="utf-8")
    result = run_folio("import-docx", docx, source, cwd=tmp_path)
    assert result.returncode == 1
    assert "and the file does not carry that revision: give it with --base FILE [docx]" in result.stderr
    result = run_folio("import-docx", docx, source, "--base", tmp_path / "then.md", cwd=tmp_path)
    assert result.returncode == 0 and result.stdout.endswith("0 changes in 0 paragraphs; 0 comments\n")


def test_the_map_and_the_bookmarks_survive_libreoffice(mapped, tmp_path):
    """LibreOffice drops w14:paraId but keeps hidden bookmarks and the custom XML part: after an
    edit there, every source paragraph is still found by its bookmark, none by text."""
    from test_docx_import import lo_edit
    source, docx, text = mapped
    edited = lo_edit(docx, tmp_path / "lo.docx", [{"op": "replace", "find": "deliberately", "with": "purposely"}])
    result = run_folio("import-docx", edited, source, "--matches", cwd=source.parent.parent)
    assert result.returncode == 0, result.stderr
    assert "+The showcase is purposely small." in result.stdout
    assert "docx-match" not in result.stderr
    line = text.splitlines().index(next(x for x in text.splitlines() if "deliberately small" in x)) + 1
    assert any(x.startswith(f"source/report.md:{line}: bookmark: 4. The showcase is deliberately small.")
               for x in result.stdout.splitlines())
    hows = [x.split(": ")[1] for x in result.stdout.splitlines() if x.startswith(("source/", "(not"))]
    # by text: only what folio generates (contents, abbreviation table), which has no bookmark
    # paragraphs in the map with text (a figure's picture paragraph has none and goes with its caption)
    named = len(re.findall(rb"<fm:p [^>]*sha256=\"(?!" + digest("").encode() + rb")",
                           zipfile.ZipFile(docx).read("customXml/item1.xml")))
    assert {h.split()[0] for h in hows} == {"bookmark", "not", "text"} and hows.count("bookmark") == named
    assert all(h.endswith("(generated)") for h in hows if h.startswith("text"))
