"""A build with nothing to do is answered before click, the model or a writer is imported
(folio.noop), and the shortcut never vouches for a stale output: any change to what the outputs
were made from goes to the build, which rebuilds."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import make_project
from test_rebuild import states

from folio import noop

# Each case builds a project's HTML several times in fresh processes: the slow tier
pytestmark = pytest.mark.slow

TEXT = "---\ntitle: A short report\nsymbol: A/1/1\n---\n\n# Chapter\n\nThe first paragraph.\n\n![Chart](chart.png)\n"
# The command line as the console script runs it, then which modules the process imported.
RUN = ("import json, sys\nfrom folio.command import run\nsys.argv = ['folio', *sys.argv[2:]]\n"
       "try:\n    run()\nfinally:\n    open(OUT, 'w').write(json.dumps(sorted(sys.modules)))\n")
HEAVY = ("click", "folio.build", "folio.model", "folio.cli", "jinja2", "markdown_it", "weasyprint", "docx", "babel")


def _png(color: tuple) -> bytes:
    import io

    from PIL import Image
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), color).save(buffer, "PNG")
    return buffer.getvalue()


def folio(where: Path, *args, env=None) -> tuple[subprocess.CompletedProcess, bool]:
    """(the run, whether it was answered without the build: folio.build never imported)."""
    modules = where / "modules.json"
    code = RUN.replace("OUT", repr(str(modules)))
    run = subprocess.run([sys.executable, "-c", code, "folio", "build", "source/report.md", "-f", "html", *args],
                         cwd=where, capture_output=True, text=True, timeout=300,
                         env={**os.environ, "SOURCE_DATE_EPOCH": "1487289600", **(env or {})})
    imported = json.loads(modules.read_text())
    return run, "folio.build" not in imported


@pytest.fixture
def project(tmp_path) -> Path:
    source = make_project(tmp_path, TEXT)
    (source.parent / "chart.png").write_bytes(_png((0, 90, 200)))
    first, answered = folio(tmp_path)
    assert first.returncode == 0 and not answered, first.stderr
    assert states(first) == {"html": "rebuilt"}
    return tmp_path


def test_a_noop_is_answered_before_anything_heavy_is_imported(project):
    run, answered = folio(project)
    assert answered and run.returncode == 0 and run.stderr == ""
    imported = json.loads((project / "modules.json").read_text())
    assert not [m for m in imported if m.split(".")[0] in HEAVY or m.startswith(HEAVY)]
    (project / "build" / ".folio" / "noop.json").unlink()       # the build's own answer, in full
    full, answered = folio(project)
    assert not answered and full.stdout == run.stdout and states(run) == {"html": "up to date"}


def _edit_source(where: Path) -> None:             # the same size: only the bytes tell
    source = where / "source" / "report.md"
    source.write_text(source.read_text().replace("first", "frist"))


def _new_image(where: Path) -> None:
    (where / "source" / "chart.png").write_bytes(_png((200, 30, 0)))


def _locale_override(where: Path) -> None:
    (where / "styles" / "locales").mkdir()
    (where / "styles" / "locales" / "en.yaml").write_text("contents: Table of contents\n")


def _language_version(where: Path) -> None:       # the web page links to every language version
    (where / "source" / "report.fr.md").write_text("---\ntitle: Un court rapport\n---\n\n# Chapitre\n\nLe texte.\n\n"
                                                   "![Graphique](chart.png)\n")


def _style_sheet(where: Path) -> None:
    with open(where / "styles" / "web.css", "a") as sheet:
        sheet.write("\np { color: #111; }\n")


def _template(where: Path) -> None:
    template = where / "templates" / "web.html"
    template.write_text(template.read_text() + "\n")


def _deleted_output(where: Path) -> None:
    (where / "build" / "html" / "index.html").unlink()


@pytest.mark.parametrize("change", [_edit_source, _new_image, _locale_override, _language_version, _style_sheet,
                                    _template, _deleted_output])
def test_any_change_to_what_the_outputs_were_made_from_rebuilds(project, change):
    assert folio(project)[1]
    change(project)
    run, answered = folio(project)
    assert not answered and run.returncode == 0, run.stderr
    assert states(run) == {"html": "rebuilt"}
    assert folio(project)[1]                       # and the next one is answered again


def test_the_environment_and_the_command_decide_too(project):
    run, answered = folio(project, env={"SOURCE_DATE_EPOCH": "1500000000"})
    assert not answered and states(run) == {"html": "rebuilt"}
    run, answered = folio(project, "--force")
    assert not answered and states(run) == {"html": "rebuilt"}
    run, answered = folio(project, "--strict")     # another command: the build answers, in full
    assert not answered and states(run) == {"html": "up to date"}


def test_a_file_touched_but_not_changed_is_read_once_then_trusted(project):
    source = project / "source" / "report.md"
    record = project / "build" / ".folio" / "noop.json"
    os.utime(source, ns=(source.stat().st_atime_ns, source.stat().st_mtime_ns - 10_000_000_000))
    before = record.read_bytes()
    run, answered = folio(project)
    assert answered and states(run) == {"html": "up to date"}
    assert record.read_bytes() != before            # its new times are recorded
    assert folio(project)[1]


def test_a_library_installed_beside_sends_the_noop_to_the_build(project, tmp_path_factory):
    """A folder of sys.path changed (pip installs into one): the build checks the versions."""
    folder = tmp_path_factory.mktemp("site")
    env = {"PYTHONPATH": str(folder)}
    time.sleep(noop.RACY / 1e9 + 0.1)    # a folder changed that recently may change again unseen
    folio(project, env=env)
    assert folio(project, env=env)[1]
    (folder / "installed.py").write_text("")
    run, answered = folio(project, env=env)
    assert not answered and states(run) == {"html": "up to date"}


def test_a_commit_of_the_source_makes_the_dated_outputs_stale(tmp_path):
    """The Word file carries the source's last commit time (no date in the front matter, no
    SOURCE_DATE_EPOCH): committing a correction already built rebuilds it, its bytes unchanged."""
    def git(*args, when="1500000000"):
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=tmp_path,
                       check=True, capture_output=True, env={**os.environ, "GIT_COMMITTER_DATE": f"@{when}"})
    source = make_project(tmp_path, TEXT.replace("![Chart](chart.png)\n", ""))
    git("init", "-q")
    git("add", "source")
    git("commit", "-qm", "one")
    env = {"SOURCE_DATE_EPOCH": "", "FOLIO_DOCX_PAGE_NUMBERS": "estimate"}
    first, _ = folio(tmp_path, "-f", "docx", env=env)
    assert states(first) == {"html": "rebuilt", "docx": "rebuilt"}, first.stderr
    _edit_source(tmp_path)
    assert states(folio(tmp_path, "-f", "docx", env=env)[0]) == {"html": "rebuilt", "docx": "rebuilt"}
    assert folio(tmp_path, "-f", "docx", env=env)[1]
    git("commit", "-qam", "two", when="1600000000")
    run, answered = folio(tmp_path, "-f", "docx", env=env)
    assert not answered and states(run)["docx"] == "rebuilt", run.stdout    # (the page shows its size)
    assert source.read_text().count("frist") == 1
