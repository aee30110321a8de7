"""Bad input gets located messages, a non-zero exit, no traceback, and no damage to outputs."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT, make_project, run_folio

FIXTURES = sorted((ROOT / "tests" / "fixtures" / "messages").glob("*.md"))


@pytest.mark.parametrize("source", FIXTURES, ids=lambda p: p.stem)
def test_fixture_gives_exactly_its_expected_messages(source: Path):
    """Each fixture's .expected file lists, by hand, every message folio must print."""
    run = run_folio("check", source.relative_to(ROOT))
    expected = source.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    printed = [line for line in run.stderr.splitlines() if ": error: " in line or ": warning: " in line]
    assert printed == expected
    assert "Traceback" not in run.stderr
    has_error = any(": error: " in line for line in expected)
    assert run.returncode == (1 if has_error else 0)


@pytest.fixture
def project(tmp_path) -> Path:
    """A throwaway copy of the project (templates, styles, the report) to break at will."""
    make_project(tmp_path)
    return tmp_path


def _break(path: Path, old: str, new: str) -> int:
    """Replace the first `old` by `new`; returns the 1-based line changed."""
    text = path.read_text(encoding="utf-8")
    at = text.index(old)
    path.write_text(text[:at] + new + text[at + len(old):], encoding="utf-8")
    return text.count("\n", 0, at) + 1


def test_broken_cross_reference_fails_with_file_and_line_and_keeps_the_good_output(project):
    source = project / "source" / "report.md"
    good = run_folio("build", source, "-f", "html")
    assert good.returncode == 0, good.stderr
    index = project / "build" / "html" / "index.html"
    before = index.read_bytes()

    line = _break(source, "In his closing remarks", "As @sec-closin says, in his closing remarks")
    run = run_folio("build", source, "-f", "html")

    assert run.returncode == 1
    assert (f"source/report.md:{line}: error: unknown cross-reference 'sec-closin'"
            f" (did you mean 'sec-closing'?) [xref-unknown]") in run.stderr
    assert "Traceback" not in run.stderr
    assert index.read_bytes() == before
    assert not [p for p in index.parent.iterdir() if p.name.endswith(".tmp")]


def test_unknown_format_lists_the_valid_ones(project):
    run = run_folio("build", project / "source" / "report.md", "-f", "epub")
    assert run.returncode == 1
    assert "unknown output format 'epub' (valid formats: html, pdf, docx) [format]" in run.stderr
    assert not (project / "build").exists()


def _without_accepted_kinds(source: Path) -> None:
    """The report accepts its seed's abbreviation warnings in its front matter; drop that."""
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    source.write_text("".join(line for line in lines if not line.startswith("ignore:")), encoding="utf-8")


def test_strict_fails_on_warnings_after_printing_them_all(project):
    source = project / "source" / "report.md"
    _without_accepted_kinds(source)
    relaxed = run_folio("check", source)
    strict = run_folio("check", source, "--strict")
    warnings = [line for line in strict.stderr.splitlines() if ": warning: " in line]
    assert relaxed.returncode == 0 and warnings
    assert strict.returncode == 1
    assert warnings == [line for line in relaxed.stderr.splitlines() if ": warning: " in line]


def test_ignore_silences_kinds_from_the_command_line_or_the_front_matter(project):
    source = project / "source" / "report.md"
    accepted = run_folio("check", source)
    _without_accepted_kinds(source)
    everything = run_folio("check", source)
    ignored = run_folio("check", source, "--ignore", "abbr-unused,abbr-first-use")
    assert "[abbr-unused]" in everything.stderr and "[abbr-first-use]" in everything.stderr
    for run in (accepted, ignored):
        assert "[abbr-unused]" not in run.stderr and "[abbr-first-use]" not in run.stderr


def test_check_writes_nothing(project):
    run = run_folio("check", project / "source" / "report.md")
    assert run.returncode == 0, run.stderr
    assert not (project / "build").exists()


def test_not_utf8_names_the_byte_offset(project):
    source = project / "source" / "report.md"
    data = source.read_bytes()
    at = data.index(b"Headquarters")
    source.write_bytes(data[:at] + b"\xe9" + data[at:])
    run = run_folio("check", source)
    line = data.count(b"\n", 0, at) + 1
    assert run.returncode == 1
    assert f"source/report.md:{line}: error: not UTF-8 text: byte 0xe9 at offset {at}" in run.stderr


def test_control_characters_are_removed_with_a_warning(project):
    source = project / "source" / "report.md"
    line = _break(source, "In his closing remarks", "In his\x0b closing\x00 remarks")
    run = run_folio("build", source, "-f", "html")
    assert run.returncode == 0, run.stderr
    assert f"source/report.md:{line}: warning: control character U+000B removed [control-char]" in run.stderr
    assert f"source/report.md:{line}: warning: control character U+0000 removed [control-char]" in run.stderr
    assert "In his closing remarks" in (project / "build" / "html" / "index.html").read_text()


def test_template_error_names_the_template_and_line(project):
    template = project / "templates" / "_cover.html"
    line = _break(template, "{{ meta.title }}", "{{ meta.title | nosuchfilter }}")
    run = run_folio("build", project / "source" / "report.md", "-f", "html")
    assert run.returncode == 1
    assert f"templates/_cover.html:{line}: error: template error:" in run.stderr
    assert "Traceback" not in run.stderr


def test_undefined_template_variable_is_an_error(project):
    template = project / "templates" / "_titlepage.html"
    line = _break(template, "{{ meta.title }}", "{{ meta.title }}{{ no_such_variable }}")
    run = run_folio("build", project / "source" / "report.md", "-f", "html")
    assert run.returncode == 1
    assert f"templates/_titlepage.html:{line}: error: template error: 'no_such_variable' is undefined" in run.stderr


def test_unwritable_output_is_a_clear_error(project):
    """build/html is a file, not a folder: writing fails even for root (a read-only build/
    cannot be simulated as root, which ignores permissions)."""
    source = project / "source" / "report.md"
    (project / "build").mkdir()
    (project / "build" / "html").write_text("not a folder")
    run = run_folio("build", source, "-f", "html")
    assert run.returncode == 1
    assert "error: cannot write the HTML output" in run.stderr
    assert "Traceback" not in run.stderr
    assert (project / "build" / "html").read_text() == "not a folder"


def test_empty_document_is_an_error(tmp_path):
    empty = tmp_path / "empty.md"
    empty.write_text("", encoding="utf-8")
    run = run_folio("check", empty, "--root", ROOT)
    assert run.returncode == 1
    assert "empty.md:1: error: the document has no text [syntax]" in run.stderr
