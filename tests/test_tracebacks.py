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


CASES = {
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
