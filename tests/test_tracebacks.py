"""Causes that once ended in a Python traceback end in a located message and a non-zero exit.

Each case breaks a fresh copy of the project in one way, runs the command line as a user would,
and checks the one line folio must print, the exit status and the absence of a traceback."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, make_project

CHART = ROOT / "tests" / "showcase" / "images" / "chart.png"
TEXT = "# Chapter\n\nText.\n"


def _front(tmp: Path, yaml: str) -> list:
    make_project(tmp, f"---\n{yaml}\n---\n\n{TEXT}")
    return ["build", "source/report.md", "-f", "html"]


def _image(tmp: Path, src: str, data: bytes | None = None, fmt: str = "html") -> list:
    make_project(tmp, f"{TEXT}\n![x]({src})\n")
    (tmp / "source" / "images").mkdir()
    if data is not None:
        (tmp / "source" / "images" / "x.png").write_bytes(data)
    return ["build", "source/report.md", "-f", fmt]


def _linked(tmp: Path, relative: str, target: str | Path, *args: str) -> list:
    """A project whose file `relative` is a link to `target`; the command line that builds it."""
    make_project(tmp, TEXT)
    link = tmp / relative
    link.parent.mkdir(parents=True, exist_ok=True)
    link.unlink(missing_ok=True)
    link.symlink_to(target)
    return list(args) or ["build", "source/report.md", "-f", "html"]


def _proc_source(tmp: Path) -> list:
    return _linked(tmp, "source/report.md", "/proc/self/environ")


def _fifo_source(tmp: Path) -> list:
    make_project(tmp, TEXT)
    (tmp / "source" / "report.md").unlink()
    os.mkfifo(tmp / "source" / "report.md")
    return ["build", "source/report.md", "-f", "html"]


def _record_is_a_folder(tmp: Path) -> list:
    make_project(tmp, TEXT)
    (tmp / "build" / ".folio" / "stamps.json").mkdir(parents=True)
    return ["build", "source/report.md", "-f", "html"]


def _build_is_a_file(tmp: Path) -> list:
    make_project(tmp, TEXT)
    (tmp / "build").write_text("not a folder")
    return ["build", "source/report.md", "-f", "html"]


def _template(tmp: Path, name: str, data: bytes) -> list:
    make_project(tmp, TEXT)
    (tmp / "templates" / name).write_bytes(data)
    return ["build", "source/report.md", "-f", "html"]


def _template_link(tmp: Path) -> list:
    return _linked(tmp, "templates/web.html", "/etc/hostname")


def _styles_bomb(tmp: Path) -> list:
    make_project(tmp, TEXT)
    yaml = "x: &a [" + ", ".join(["lol"] * 9) + "]\n" + "".join(
        f"y{i}: &a{i} [{', '.join(['*a' if i == 0 else f'*a{i - 1}'] * 9)}]\n" for i in range(9))
    (tmp / "styles" / "docx-styles.yaml").write_text(yaml + (tmp / "styles" / "docx-styles.yaml").read_text())
    return ["build", "source/report.md", "-f", "docx"]


def _busy_port(tmp: Path) -> list:
    make_project(tmp, TEXT)
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    _busy_port.socket = taken                          # held until the test ends
    return ["serve", "source/report.md", "--port", str(taken.getsockname()[1])]


def _stylesheet_out(tmp: Path) -> list:
    """A missing stylesheet is folio's default now; one that links out of the project is not read."""
    outside = tmp.parent / f"{tmp.name}-outside.css"
    outside.write_text("body { color: red }\n")
    return _linked(tmp, "styles/web.css", outside)


def _font_out(tmp: Path, command: str = "build") -> list:
    """A project font that links out of the project, named as one of folio's own fonts: read
    by the glyph check while the source is loaded, before any writer."""
    outside = tmp.parent / f"{tmp.name}-outside.ttf"
    outside.write_bytes((ROOT / "folio" / "defaults" / "styles" / "fonts" / "LiberationSerif-Bold.ttf").read_bytes())
    return _linked(tmp, "styles/fonts/LiberationSerif-Bold.ttf", outside, command, "source/report.md")


def _damaged_fingerprints(tmp: Path) -> list:
    make_project(tmp, TEXT)
    for folder in ("old", "new"):
        (tmp / folder / ".folio").mkdir(parents=True)
        (tmp / folder / ".folio" / "pagemap.json").write_text('[["i", 5]]')
        (tmp / folder / ".folio" / "chapters.json").write_text('{"a": 1}')
    return ["diff", "old", "new"]


def _numbered(tmp: Path, heading: str) -> list:
    make_project(tmp, f"# Chapter\n\n## Section\n\n{heading}\n\nText.\n")
    return ["build", "source/report.md", "-f", "html"]


def _svg(tmp: Path, attributes: str) -> list:
    make_project(tmp, f"{TEXT}\n![x](images/x.svg)\n")
    (tmp / "source" / "images").mkdir()
    (tmp / "source" / "images" / "x.svg").write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg" {attributes}><rect width="5" height="5"/></svg>')
    return ["build", "source/report.md", "-f", "html,docx"]


def _nested_record(tmp: Path, name: str) -> list:
    make_project(tmp, TEXT)
    (tmp / "build" / ".folio").mkdir(parents=True)
    (tmp / "build" / ".folio" / name).write_text("[" * 100_000)
    return ["build", "source/report.md", "-f", "html"]


def _loop_source(tmp: Path, command: str) -> list:
    make_project(tmp, TEXT)
    (tmp / "source" / "report.md").unlink()
    (tmp / "source" / "report.md").symlink_to("other.md")
    (tmp / "source" / "other.md").symlink_to("report.md")
    return [command, "source/report.md" + (":3" if command == "where" else "")]


def _under_a_file(tmp: Path) -> list:
    (tmp / "afile").write_text("x")
    return ["new", "afile/report"]


DIGITS = "9" * 5000


CASES = {
    "a source that is a loop of links, check": (
        lambda t: _loop_source(t, "check"), 1,
        "\nsource/report.md: error: cannot read the source: it is a link that leads back to itself (a loop of"
        " links) [file]"),
    "a source that is a loop of links, where": (
        lambda t: _loop_source(t, "where"), 1,
        "\nsource/report.md: error: cannot read the source: it is a link that leads back to itself"),
    "a source named by 5,000 digits, check": (
        lambda t: make_project(t, TEXT) and ["check", DIGITS], 1,
        f"\n{DIGITS}: error: cannot read the source: its name is too long for the file system [file]"),
    "a source named by 5,000 digits, where": (
        lambda t: make_project(t, TEXT) and ["where", DIGITS + ":3"], 1,
        f"\n{DIGITS}: error: cannot read the source: its name is too long for the file system [file]"),
    "a line of 5,000 digits for where": (
        lambda t: make_project(t, TEXT) and ["where", "source/report.md:" + DIGITS], 1,
        "\nsource/report.md:999999999999…: error: not a line number of the source [file]"),
    "folio new under a regular file": (
        _under_a_file, 1,
        "\nafile/report: error: cannot write the new project: a file stands where a folder of its path should"
        " be [file]"),
    "a fifo for where": (
        lambda t: _fifo_source(t) and ["where", "source/report.md:3"], 1,
        "\nsource/report.md: error: the source is not a regular file [file]"),

    "a subsection numbered with a superscript digit": (
        lambda t: _numbered(t, '### Sub {number="²"}'), 0,
        "source/report.md:5: warning: number '²' is not a subsection number; shown as written [syntax]"),
    "a number of 5,000 digits": (
        lambda t: _numbered(t, "### Sub {number=" + "9" * 5000 + "}"), 0,
        "source/report.md:5: warning: number '999999999999…' is longer than 12 characters: not a subsection"
        " number; left out [syntax]"),
    "a section number of 1,500 letters": (
        lambda t: _numbered(t, "## Sub {number=" + "A" * 1500 + "}"), 0,
        "source/report.md:5: warning: number 'AAAAAAAAAAAA…' is longer than 12 characters: not a section"),
    "a date after 2107": (
        lambda t: _front(t, "date: 2150-01-01") + ["-f", "docx"], 1,
        "source/report.md:2: error: 'date' must be no later than 2107-12-31, the last date a Word file can carry,"
        " not 2150-01-01 [front-matter-type]"),
    "an SVG as wide as nan": (
        lambda t: _svg(t, 'width="nan" height="10"'), 1,
        "source/report.md:5: error: image 'images/x.svg' is an SVG file whose width, height or viewBox is not a"
        " size"),
    "an SVG whose viewBox is inf": (
        lambda t: _svg(t, 'viewBox="0 0 inf 10"'), 1,
        "source/report.md:5: error: image 'images/x.svg' is an SVG file whose width, height or viewBox is not a"
        " size"),
    "a build record of 100,000 nested [": (
        lambda t: _nested_record(t, "stamps.json"), 0,
        "build/.folio/stamps.json: warning: "),
    "fingerprints of 100,000 nested [": (
        lambda t: _nested_record(t, "chapters.json"), 0, "html  rebuilt"),

    "year of thousands of hex digits": (
        lambda t: _front(t, "year: 0x" + "f" * 5000), 1,
        "source/report.md:2: error: malformed front matter: a number of 5002 characters is not a setting"),
    "an alias bomb": (
        lambda t: _front(t, "a: &a [x, x]\nb: &b [*a, *a]\ntitle: *b"), 1,
        "source/report.md:3: error: malformed front matter: an alias (*a) is not allowed here"),
    "contents-depth -5": (
        lambda t: _front(t, "contents-depth: -5"), 1,
        "source/report.md:2: error: 'contents-depth' must be between 1 and 3, not -5 [front-matter-type]"),
    "image path with %00": (
        lambda t: _image(t, "images/%00.png"), 1,
        "source/report.md:5: error: image 'images/%00.png' is not a usable file name"),
    "image name too long": (
        lambda t: _image(t, "images/" + "x" * 300 + ".png"), 1,
        "error: image 'images/" + "x" * 300 + ".png' cannot be found (File name too long)"),
    "corrupt image with -f docx": (
        lambda t: _image(t, "images/x.png", CHART.read_bytes()[:2000], "docx"), 1,
        "source/report.md:5: error: image 'images/x.png' is a damaged PNG file"),
    "a WebP called .png with -f pdf": (
        lambda t: _image(t, "images/x.png", b"RIFF\x10\x00\x00\x00WEBPVP8 ", "pdf"), 1,
        "source/report.md:5: error: image 'images/x.png' is not an image"),
    "source symlinked into /proc": (
        _proc_source, 1, "source/report.md: error: the source is a link to '/proc/"),
    "source that is a fifo": (
        _fifo_source, 1, "source/report.md: error: the source is not a regular file [file]"),
    "build record is a folder": (
        _record_is_a_folder, 1, "build/.folio/stamps.json: error: cannot write the build record:"),
    "build/ is a file": (
        _build_is_a_file, 1, "error: cannot write to the output folder:"),
    "template not UTF-8": (
        lambda t: _template(t, "_cover.html", b"<p>caf\xe9</p>"), 1,
        "templates/_cover.html:1: error: template error: not UTF-8 text"),
    "template including itself": (
        lambda t: _template(t, "_cover.html", b'{% include "_cover.html" %}'), 1,
        "templates/web.html: error: template error: templates include or extend each other in a loop"),
    "template dividing by zero": (
        lambda t: _template(t, "_cover.html", b"{{ 1 / 0 }}"), 1,
        "error: template error: ZeroDivisionError('division by zero') [template]"),
    "template linked outside": (
        _template_link, 1, "templates/web.html:1: error: template error: the template is a link to a file outside"),
    "styles file with an alias bomb": (
        _styles_bomb, 1, "styles/docx-styles.yaml:2: error: malformed styles file: an alias (*a) is not allowed"),
    "stylesheet a link out of the project": (
        _stylesheet_out, 1, "styles/web.css: error: cannot read a file for the HTML output: it is a link to a"
        " file outside the project"),
    "font a link out of the project, build": (
        _font_out, 1, "\nstyles/fonts/LiberationSerif-Bold.ttf: error: cannot read this file: it is a link to"
        " a file outside the project"),
    "font a link out of the project, check": (
        lambda t: _font_out(t, "check"), 1, "\nstyles/fonts/LiberationSerif-Bold.ttf: error: cannot read this"
        " file: it is a link to a file outside the project"),
    "busy port": (
        _busy_port, 1, "source/report.md: error: cannot serve on 127.0.0.1:"),
    "damaged fingerprints for folio diff": (
        _damaged_fingerprints, 0, "no fingerprints found: build both folders with folio first"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_cause_of_a_traceback_is_a_located_message(tmp_path, case):
    setup, status, expected = CASES[case]
    args = setup(tmp_path)
    run = subprocess.run([sys.executable, "-m", "folio", *args], cwd=tmp_path, capture_output=True,
                         text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    output = run.stderr + run.stdout
    assert "Traceback" not in output, output
    assert run.returncode == status, output
    assert expected in "\n" + output, output     # an expected text starting \n starts a line
    if hasattr(_busy_port, "socket"):
        _busy_port.socket.close()
        del _busy_port.socket


@pytest.mark.parametrize("epoch", ["99999999999999", "1487289600x"])
def test_a_typo_in_source_date_epoch_is_a_located_message(tmp_path, epoch):
    make_project(tmp_path, TEXT)
    run = subprocess.run([sys.executable, "-m", "folio", "build", "source/report.md", "-f", "html,docx"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": epoch})
    output = run.stderr + run.stdout
    assert "Traceback" not in output and run.returncode == 1, output
    assert f"source/report.md: error: SOURCE_DATE_EPOCH is '{epoch}': it must be seconds since 1970" in output
    assert not (tmp_path / "build" / "report.docx").exists()


def test_a_source_in_proc_leaks_nothing(tmp_path):
    _proc_source(tmp_path)
    run = subprocess.run([sys.executable, "-m", "folio", "build", "source/report.md"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT),
                                                                           "FOLIO_SECRET": "s3cr3t"})
    assert run.returncode == 1
    assert "s3cr3t" not in run.stderr + run.stdout
    assert not (tmp_path / "build" / "html").exists() or not any(
        b"s3cr3t" in p.read_bytes() for p in (tmp_path / "build").rglob("*") if p.is_file())
    shutil.rmtree(tmp_path / "build", ignore_errors=True)


def test_a_chain_of_200_notes_each_calling_the_next_is_printed_without_recursion(tmp_path):
    """The print HTML nested each note's float in its caller's, 200 deep: a RecursionError."""
    from folio.build import load
    from folio.diagnostics import Reporter
    from folio.project import Project
    from folio.writers.pdf import print_html
    chain = "".join(f"[^n{i}]: Note {i}[^n{i + 1}].\n\n" for i in range(200))
    source = make_project(tmp_path, f"{TEXT}\nCalled[^n0].\n\n{chain}[^n200]: The last note.\n")
    project = Project.for_source(source, root=tmp_path)
    doc = load(project, Reporter())
    import lxml.html
    page = lxml.html.fromstring(print_html(doc, project, Reporter()))
    notes = page.xpath("//*[contains(concat(' ', @class, ' '), ' footnote ')]")
    assert len(notes) == 201
    assert [n.get("data-note") for n in notes] == [f"n{i}" for i in range(201)]   # in the order of their calls
    assert max(len(n.xpath("ancestor::*[@data-note]")) for n in notes) < 10


@pytest.mark.parametrize("target", ["/dev/stdin", "/dev/stdin:1"])
def test_a_pipe_as_the_source_is_one_line_in_check_and_where(tmp_path, target):
    make_project(tmp_path, TEXT)
    command = "where" if target.endswith(":1") else "check"
    run = subprocess.run([sys.executable, "-m", "folio", command, target], cwd=tmp_path, input="# Chapter\n",
                         capture_output=True, text=True, timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert "Traceback" not in run.stderr and run.returncode == 1, run.stderr
    assert run.stderr.startswith("/dev/stdin: error: the source is not a regular file [file]\n"), run.stderr
