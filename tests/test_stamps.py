"""Stamps never vouch for a stale output: they hash what a build read (wherever it lies) and what
it wrote, builds of one project take turns, and a damaged record is discarded with a warning."""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, build_here, make_project
from test_rebuild import states

from folio.build import build
from folio.diagnostics import Reporter
from folio.project import Project

# Lays out PDFs, starts LibreOffice, Chromium or builds whole reports: the slow tier
pytestmark = pytest.mark.slow

CHART = ROOT / "tests" / "showcase" / "images" / "chart.png"
EPOCH = {**os.environ, "SOURCE_DATE_EPOCH": "1487289600"}


def _png(color: tuple) -> bytes:
    import io

    from PIL import Image
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), color).save(buffer, "PNG")
    return buffer.getvalue()


def _folio(*args, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "folio", *map(str, args)], cwd=cwd, env=EPOCH,
                          capture_output=True, text=True, timeout=300)


def _states(source: Path, formats: str) -> dict:
    """Build source's project in this process, as `folio build -f formats` does: {format:
    'rebuilt' | 'up to date'} (what the command prints, test_rebuild.states)."""
    return {o.format: "rebuilt" if o.rebuilt else "up to date" for o in build_here(source, formats).outputs}


def test_an_image_outside_source_is_an_input(tmp_path, monkeypatch):
    """An image in figures/ (beside source/, not in it) and a reference document in a folder of
    styles/: editing either rebuilds what uses it, and only that."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH["SOURCE_DATE_EPOCH"])
    source = make_project(tmp_path, "---\nreference-doc: house/reference.docx\n---\n\n# Chapter\n\n"
                                    "![Chart](../figures/chart.png)\n")
    (tmp_path / "figures").mkdir()
    (tmp_path / "figures" / "chart.png").write_bytes(_png((0, 90, 200)))
    (tmp_path / "styles" / "house").mkdir()
    _reference_document(tmp_path / "styles" / "house" / "reference.docx")
    assert _states(source, "html,pdf,docx") == dict.fromkeys(("html", "pdf", "docx"), "rebuilt")
    assert _states(source, "html,pdf,docx") == dict.fromkeys(("html", "pdf", "docx"), "up to date")

    (tmp_path / "figures" / "chart.png").write_bytes(_png((200, 30, 0)))
    assert _states(source, "html,pdf,docx") == dict.fromkeys(("html", "pdf", "docx"), "rebuilt")
    name = f"chart-{hashlib.sha256(_png((200, 30, 0))).hexdigest()[:10]}.png"
    assert (tmp_path / "build" / "html" / "images" / name).read_bytes() == _png((200, 30, 0))
    assert f'src="images/{name}"' in (tmp_path / "build" / "html" / "index.html").read_text(encoding="utf-8")

    _reference_document(tmp_path / "styles" / "house" / "reference.docx", font="Arial")
    # The web page is written again only because it shows the new DOCX's size (its editions
    # block); the PDF does not use the reference document.
    assert _states(source, "html,pdf,docx") == {"html": "rebuilt", "pdf": "up to date", "docx": "rebuilt"}
    assert _states(source, "html,pdf") == {"html": "up to date", "pdf": "up to date"}


def test_with_out_source_the_sources_are_still_inputs(tmp_path):
    source = make_project(tmp_path, "# Chapter\n\nFirst text.\n")
    assert _folio("build", source, "-f", "html", "--out", tmp_path / "source").returncode == 0
    source.write_text("# Chapter\n\nSecond text.\n", encoding="utf-8")
    run = _folio("build", source, "-f", "html", "--out", tmp_path / "source")
    assert states(run) == {"html": "rebuilt"}
    assert "Second text." in (tmp_path / "source" / "html" / "index.html").read_text(encoding="utf-8")


def test_a_stamp_vouches_for_the_bytes_its_build_wrote(tmp_path, monkeypatch):
    """Two builds interleaved (forced here, deterministically): B replaces the output after A
    renamed it and before A wrote its stamp. A's stamp must not vouch for B's file."""
    from folio import stamps
    source = make_project(tmp_path, "# Chapter\n\nText A.\n")
    project = Project.for_source(source)
    real_record = stamps.record

    def interleaved(project, name, *args, **kwargs):
        index = project.out_dir / "html" / "index.html"
        index.write_text(index.read_text(encoding="utf-8").replace("Text A.", "Text B."), encoding="utf-8")
        real_record(project, name, *args, **kwargs)

    monkeypatch.setattr(stamps, "record", interleaved)
    assert build(project, ["html"], Reporter()).ok
    monkeypatch.setattr(stamps, "record", real_record)
    again = build(project, ["html"], Reporter())
    assert [o.rebuilt for o in again.outputs] == [True]      # the file on disk is not what A wrote
    assert "Text A." in (project.out_dir / "html" / "index.html").read_text(encoding="utf-8")
    assert [o.rebuilt for o in build(project, ["html"], Reporter()).outputs] == [False]


def test_two_overlapping_builds_end_in_correct_stamps(tmp_path):
    """A build of one text and, while it runs, a build of the next: the second waits for the
    first (the project lock); afterwards the outputs are those of the last text, and a build
    says so, byte for byte equal to a clean build of that text."""
    source = make_project(tmp_path)
    text = source.read_text(encoding="utf-8")
    first = subprocess.Popen([sys.executable, "-m", "folio", "build", str(source), "-f", "html,pdf,docx"],
                             cwd=ROOT, env=EPOCH, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1.0)                                   # the first build has read its source
    source.write_text(text.replace("excellent work", "excellent, careful work"), encoding="utf-8")
    second = _folio("build", source, "-f", "html,pdf,docx")
    first.communicate(timeout=300)
    assert first.returncode == 0 and second.returncode == 0, second.stderr
    third = _folio("build", source, "-f", "html,pdf,docx")
    assert states(third) == dict.fromkeys(("html", "pdf", "docx"), "up to date"), third.stdout

    clean = tmp_path / "clean"
    clean.mkdir()
    make_project(clean, source.read_text(encoding="utf-8"))
    assert _folio("build", clean / "source" / "report.md", "-f", "html,pdf,docx").returncode == 0
    for name in ("html/index.html", "report.pdf", "report.docx"):
        assert (tmp_path / "build" / name).read_bytes() == (clean / "build" / name).read_bytes(), name


def test_a_second_build_waits_for_the_lock(tmp_path):
    source = make_project(tmp_path, "# Chapter\n\nText.\n")
    lock = tmp_path / "build" / ".folio" / "lock"
    lock.parent.mkdir(parents=True)
    with open(lock, "a+b") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        waiting = subprocess.Popen([sys.executable, "-m", "folio", "build", str(source), "-f", "html"],
                                   cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(2.0)
        assert waiting.poll() is None                          # still waiting
        assert not (tmp_path / "build" / "html" / "index.html").exists()
        fcntl.flock(held, fcntl.LOCK_UN)
    out, err = waiting.communicate(timeout=120)
    assert waiting.returncode == 0, err
    assert "waiting for another build of this project to finish" in err


@pytest.fixture(scope="module")
def small_build(tmp_path_factory) -> Path:
    """A small project built into HTML and PDF, its build records written: each damage case
    copies it (the same first build nine times was most of their time)."""
    where = tmp_path_factory.mktemp("built-once")
    source = make_project(where, "# Chapter\n\nText.\n")
    assert _folio("build", source, "-f", "html,pdf").returncode == 0
    return where


@pytest.mark.parametrize("name, damage", [
    ("stamps.json", b"{not json"),
    ("stamps.json", b"\xff\xfe\x00garbage"),
    ("stamps.json", b"[]"),
    ("stamps.json", b'{"version": 2, "outputs": {"html": 5}}'),
    ("stamps.json", b'{"version": 2, "outputs": {"html": {"settings": 1}}}'),
    ("chapters.json", b'{"a": 1}'),
    ("chapters.json", b"[[1, 2, 3]]"),
    ("pagemap.json", b"[[null, 5]]"),
    ("pagemap.json", b"\x00\x01"),
])
def test_a_damaged_build_record_is_discarded_with_a_warning(small_build, tmp_path, name, damage):
    shutil.copytree(small_build, tmp_path, symlinks=True, dirs_exist_ok=True)   # a project built before
    source = tmp_path / "source" / "report.md"
    assert (tmp_path / "build" / ".folio" / name).is_file()
    (tmp_path / "build" / ".folio" / name).write_bytes(damage)
    source.write_text("# Chapter\n\nOther text.\n", encoding="utf-8")
    run = _folio("build", source, "-f", "html,pdf")
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert (f"build/.folio/{name}: warning: the build record is damaged" in run.stderr
            or f"{tmp_path}/build/.folio/{name}: warning: the build record is damaged" in run.stderr)
    assert states(run) == {"html": "rebuilt", "pdf": "rebuilt"}
    assert states(_folio("build", source, "-f", "html,pdf")) == {"html": "up to date", "pdf": "up to date"}


def test_build_records_that_cannot_be_written_are_located_errors(tmp_path, monkeypatch):
    """A full disk while the build writes its own records (the outputs fit, the record not)."""
    from folio import stamps
    source = make_project(tmp_path, "# Chapter\n\nText.\n")

    def full_disk(path, data):
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr(stamps, "write_atomic", full_disk)
    result = build(Project.for_source(source), ["html"], Reporter())
    assert [str(m) for m in result.reporter.errors] == [
        "build/.folio/stamps.json: error: cannot write the build record: No space left on device [file]"]
    assert (tmp_path / "build" / "html" / "index.html").is_file()


def test_a_folder_where_the_record_should_be_is_a_located_error(tmp_path):
    source = make_project(tmp_path, "# Chapter\n\nText.\n")
    (tmp_path / "build" / ".folio" / "stamps.json").mkdir(parents=True)
    run = _folio("build", source, "-f", "html")
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert "build/.folio/stamps.json: error: cannot write the build record:" in run.stderr
    shutil.rmtree(tmp_path / "build" / ".folio")
    (tmp_path / "build" / ".folio").write_text("a file where a folder belongs")
    run = _folio("build", source, "-f", "html")
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert "error: cannot write to the output folder:" in run.stderr


def test_folio_build_and_invoke_build_share_their_stamps(tmp_path):
    """`invoke` imports the folio beside tasks.py, the `folio` command the installed one: the
    same code in two places must give the same stamps (its absolute path was hashed)."""
    source = make_project(tmp_path, "# Chapter\n\nText.\n")
    shutil.copy(ROOT / "tasks.py", tmp_path / "tasks.py")
    shutil.copytree(ROOT / "folio", tmp_path / "folio", ignore=shutil.ignore_patterns("__pycache__"))
    first = _folio("build", source, "-f", "html")                 # folio from the checkout
    assert states(first) == {"html": "rebuilt"}, first.stderr
    invoked = subprocess.run([sys.executable, "-m", "invoke", "html"], cwd=tmp_path, env=EPOCH,
                             capture_output=True, text=True, timeout=120)
    assert invoked.returncode == 0, invoked.stderr
    assert states(invoked) == {"html": "up to date"}
    assert states(_folio("build", source, "-f", "html")) == {"html": "up to date"}


def test_stamps_name_paths_relative_to_the_project(tmp_path):
    source = make_project(tmp_path, "# Chapter\n\nText.\n")
    _states(source, "html")
    record = json.loads((tmp_path / "build" / ".folio" / "stamps.json").read_text(encoding="utf-8"))
    names = list(record["outputs"]["html"]["inputs"]) + list(record["outputs"]["html"]["outputs"])
    assert "source/report.md" in names and "templates/web.html" in names and "styles/web.css" in names
    assert not [n for n in names if str(tmp_path) in n]


def _reference_document(path: Path, font: str = "Liberation Serif") -> None:
    """A reference document made by folio itself (its own styles), with one font changed."""
    import docx
    where = path.parent / "made"
    where.mkdir()
    made = make_project(where, "# Chapter\n\nText.\n")
    _states(made, "docx")
    document = docx.Document(str(where / "build" / "report.docx"))
    document.styles["Normal"].font.name = font
    document.save(str(path))
    shutil.rmtree(where)


def test_a_word_file_of_estimated_pages_is_stale_when_exact_ones_are_asked_for(tmp_path):
    """FOLIO_DOCX_PAGE_NUMBERS=estimate skips LibreOffice's pass; a later build without it must
    not call the estimated file current (it did: the variable was in no stamp)."""
    source = make_project(tmp_path, "# Chapter\n\nText.\n")

    def build(setting: str) -> dict:
        env = {k: v for k, v in EPOCH.items() if k != "FOLIO_DOCX_PAGE_NUMBERS"}
        env.update({"FOLIO_DOCX_PAGE_NUMBERS": setting} if setting else {})
        done = subprocess.run([sys.executable, "-m", "folio", "build", str(source), "-f", "docx"],
                              cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        return states(done)

    assert build("estimate") == {"docx": "rebuilt"}
    assert build("estimate") == {"docx": "up to date"}
    assert build("") == {"docx": "rebuilt"}         # exact numbers: LibreOffice's pass
    assert build("") == {"docx": "up to date"}
    assert build("estimate") == {"docx": "rebuilt"}
