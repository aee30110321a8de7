"""Starting a report (issue 10, items 6-8): `folio new`, folio's templates and styles as
defaults a project overrides file by file, --root, `folio diff` on a folder that is no build,
`folio reference-doc`, meta: for one's own values, the image message."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import lxml.html
import pytest
from conftest import make_project, need, run_folio

from folio.config import KEYS
from folio.layout.weasy.fetcher import resolve
from folio.project import DEFAULTS, Project
from folio.writers.docx.styles import REQUIRED

# Lays out PDFs, starts LibreOffice, Chromium or builds whole reports: the slow tier
pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent


def test_the_shipped_defaults_are_the_repositorys_templates_and_styles():
    """folio/defaults/ links to templates/ and styles/: one copy, nothing to keep in step."""
    root = Path(__file__).resolve().parents[1]
    assert (DEFAULTS / "templates").resolve() == root / "templates"
    assert (DEFAULTS / "styles").resolve() == root / "styles"
    assert (DEFAULTS / "styles" / "print.css").is_file() and (DEFAULTS / "templates" / "print.html").is_file()


def test_folio_new_then_the_readmes_build_command_works_there(tmp_path):
    project = tmp_path / "my report"
    run = run_folio("new", project)
    assert run.returncode == 0, run.stderr
    readme = (project / "README.md").read_text(encoding="utf-8")
    command = re.search(r"^    (invoke .+)$", readme, re.M).group(1)
    assert command == "invoke build"
    assert not list((project / "templates").iterdir()) and not list((project / "styles").iterdir())
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    built = subprocess.run(command.split(), cwd=project, capture_output=True, text=True, timeout=600, env=env)
    assert built.returncode == 0, built.stdout + built.stderr
    assert "warning" not in built.stderr and "error" not in built.stderr, built.stderr
    for name in ("report.pdf", "report.docx", "html/index.html", "html/web.css"):
        assert (project / "build" / name).stat().st_size > 0, name
    fonts = subprocess.run([need("pdffonts"), str(project / "build" / "report.pdf")], capture_output=True,
                           text=True, check=True).stdout
    assert "Liberation-Serif" in fonts
    text = subprocess.run([need("pdftotext"), str(project / "build" / "report.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "INTRODUCTION" in text and "United Nations Population Fund" in text


def test_folio_new_comments_every_front_matter_key_and_refuses_a_full_folder(tmp_path):
    assert run_folio("new", tmp_path / "a").returncode == 0
    front = (tmp_path / "a" / "source" / "report.md").read_text(encoding="utf-8").split("---")[1]
    for key in KEYS:
        assert re.search(rf"^#? ?{re.escape(key)}:", front, re.M), key
    again = run_folio("new", tmp_path / "a")
    assert again.returncode == 1 and "is not empty" in again.stderr and "Traceback" not in again.stderr


def test_a_project_file_overrides_folios_of_the_same_name_and_meta_reaches_it(tmp_path):
    assert run_folio("new", tmp_path / "p").returncode == 0
    source = tmp_path / "p" / "source" / "report.md"
    text = source.read_text(encoding="utf-8").replace("# meta: {version: draft 1}",
                                                      'meta: {version: "draft <2>", team: [a, b]}')
    source.write_text(text, encoding="utf-8")
    (tmp_path / "p" / "templates" / "_titlepage.html").write_text(
        '<section class="title-page"><p class="title">{{ meta.title }}</p>'
        '<p class="symbol">Version {{ meta.meta.version }} by {{ meta.meta.team | join(", ") }}</p></section>\n',
        encoding="utf-8")
    (tmp_path / "p" / "styles" / "paper-letter.css").write_text("@page { size: a5; }\n", encoding="utf-8")
    run = run_folio("build", source, "-f", "html,pdf")
    assert run.returncode == 0, run.stderr
    page = (tmp_path / "p" / "build" / "html" / "index.html").read_text(encoding="utf-8")
    assert "Version draft &lt;2&gt; by a, b" in page                     # the project's template, escaped
    assert "title-page" in page and "contents" in page                  # folio's for the rest
    from pypdf import PdfReader
    box = PdfReader(tmp_path / "p" / "build" / "report.pdf").pages[0].mediabox
    assert round(float(box.width)) == 420                               # the project's A5 sheet


def test_the_fetcher_serves_folios_defaults_and_nothing_else(tmp_path):
    make_project(tmp_path, "# Chapter\n\nText.\n")
    project = Project.for_source(tmp_path / "source" / "report.md")
    own_font = tmp_path / "styles" / "fonts" / "LiberationSerif-Regular.ttf"
    default_font = DEFAULTS / "styles" / "fonts" / "LiberationSerif-Regular.ttf"
    assert resolve(default_font.as_uri(), project) == own_font.resolve()   # the project's own wins
    own_font.unlink()
    assert resolve(own_font.as_uri(), project) == default_font.resolve()   # folio's when it lacks one
    for refused in ["file:///etc/hostname", (DEFAULTS.parent / "cli.py").as_uri(),
                    (tmp_path / "styles" / "nope.css").as_uri(), "https://example.org/x.css",
                    (DEFAULTS / "styles" / ".." / ".." / "cli.py").as_uri()]:
        assert resolve(refused, project) is None, refused


def test_root_at_another_project_writes_into_the_sources_own(tmp_path):
    mine, theirs = tmp_path / "mine", tmp_path / "theirs"
    assert run_folio("new", mine).returncode == 0 and run_folio("new", theirs).returncode == 0
    run = run_folio("build", mine / "source" / "report.md", "--root", theirs, "-f", "html")
    assert run.returncode == 0, run.stderr
    assert (mine / "build" / "html" / "index.html").is_file()
    assert not (theirs / "build").exists()


def test_diff_of_a_folder_that_is_not_a_build_fails_clearly(tmp_path):
    (tmp_path / "empty").mkdir()
    run = run_folio("diff", tmp_path / "empty", tmp_path / "empty")
    assert run.returncode == 1 and "not a folio build folder" in run.stderr and "Traceback" not in run.stderr


def test_reference_doc_writes_every_style_folio_uses_and_builds_with_it(tmp_path):
    out = tmp_path / "start.docx"
    run = run_folio("reference-doc", out)
    assert run.returncode == 0, run.stderr
    names = {s.name.casefold() for s in docx.Document(str(out)).styles}
    assert {n.casefold() for n in REQUIRED} <= names
    source = make_project(tmp_path / "p", "---\ntitle: T\nreference-doc: start.docx\n---\n\n# Chapter\n\nText.\n")
    (tmp_path / "p" / "styles" / "start.docx").write_bytes(out.read_bytes())
    build = run_folio("build", source, "-f", "docx")
    assert build.returncode == 0 and "warning" not in build.stderr, build.stderr
    with zipfile.ZipFile(tmp_path / "p" / "build" / "report.docx") as package:
        assert b"Chapter" in package.read("word/document.xml")


def test_a_missing_image_names_the_file_looked_for(tmp_path):
    source = make_project(tmp_path, "# Chapter\n\n![A map](images/map.png)\n")
    run = run_folio("check", source)
    build = run_folio("build", source, "-f", "html")
    assert build.returncode == 1
    assert "error: image 'images/map.png' not found (looked for source/images/map.png) [file]" in build.stderr
    assert run.returncode == 1 and "looked for source/images/map.png" in run.stderr   # check finds it too
    assert "Traceback" not in run.stderr + build.stderr
    html = tmp_path / "build" / "html" / "index.html"
    assert not html.exists() or "images/map.png" not in lxml.html.fromstring(html.read_bytes()).text_content()
