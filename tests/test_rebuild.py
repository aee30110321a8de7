"""Rebuilding after corrections: only what changed, the same bytes, never a broken file."""
from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, build_here, make_project, need, run_folio

from folio.project import Project

# Lays out PDFs, starts LibreOffice, Chromium or builds whole reports: the slow tier
pytestmark = pytest.mark.slow

ALL = "html,pdf,docx"


def states(run) -> dict:
    """{format: 'rebuilt' | 'up to date'} from folio's one-line summaries."""
    found = {}
    for line in run.stdout.splitlines():
        parts = line.split()
        if parts and parts[0] in ("html", "pdf", "docx"):
            found[parts[0]] = "up to date" if parts[1:3] == ["up", "to"] else parts[1]
    return found


def outputs(where: Path) -> dict:
    build = where / "build"
    return {p.relative_to(build).as_posix(): p.read_bytes() for p in sorted(build.rglob("*"))
            if p.is_file() and ".folio" not in p.parts}


def label_of_page_showing(where: Path, words: str) -> str:
    """The printed page number (page label) of the one PDF page whose text has `words`."""
    from pypdf import PdfReader
    reader = PdfReader(where / "build" / "report.pdf")
    found = [i for i, page in enumerate(reader.pages)
             if words in " ".join((page.extract_text() or "").split())]
    assert len(found) == 1, (words, found)
    return reader.page_labels[found[0]]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    where = tmp_path_factory.mktemp("rebuild")
    source = make_project(where)
    first = run_folio("build", source, "-f", ALL)
    assert first.returncode == 0, first.stderr
    assert states(first) == {"html": "rebuilt", "pdf": "rebuilt", "docx": "rebuilt"}
    return where, source


def test_nothing_changed_nothing_rebuilt(built):
    where, source = built
    run = run_folio("build", source, "-f", ALL)
    assert run.returncode == 0
    assert states(run) == {"html": "up to date", "pdf": "up to date", "docx": "up to date"}


def test_noop_build_imports_neither_weasyprint_nor_docx(built):
    where, source = built
    code = ("import sys; from folio.cli import main\n"
            "try: main(['build', sys.argv[1], '-f', 'html,pdf,docx'])\n"
            "except SystemExit: pass\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('weasyprint', 'docx', 'markdown_it')))")
    run = subprocess.run([sys.executable, "-c", code, str(source)], capture_output=True, text=True, cwd=ROOT)
    assert run.stdout.strip().splitlines()[-1] == "[]"


def test_a_css_change_rebuilds_only_the_html(built):
    where, source = built
    with (where / "styles" / "web.css").open("a") as css:
        css.write("\n/* a designer's change */\n")
    run = run_folio("build", source, "-f", ALL)
    assert states(run) == {"html": "rebuilt", "pdf": "up to date", "docx": "up to date"}


def test_a_text_correction_rebuilds_all_three_and_equals_a_clean_build(built, tmp_path):
    where, source = built
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("excellent work", "excellent, careful work"), encoding="utf-8")
    run = run_folio("build", source, "-f", ALL)
    assert states(run) == {"html": "rebuilt", "pdf": "rebuilt", "docx": "rebuilt"}
    # only the page that shows the corrected sentence, named by its printed number
    assert f"PDF pages to read again: {label_of_page_showing(where, 'careful')}\n" in run.stdout
    assert "chapters changed (HTML, DOCX): XI. Closing of the meeting" in run.stdout

    clean = tmp_path / "clean"
    shutil.copytree(where, clean, ignore=shutil.ignore_patterns("build"))
    assert run_folio("build", clean / "source" / "report.md", "-f", ALL).returncode == 0
    assert outputs(clean) == outputs(where)


def test_deleting_an_output_rebuilds_it(built):
    where, source = built
    (where / "build" / "report.docx").unlink()
    run = run_folio("build", source, "-f", ALL)
    assert states(run) == {"html": "up to date", "pdf": "up to date", "docx": "rebuilt"}


def test_clean_builds_are_byte_identical_across_folders_and_time_zones(tmp_path):
    runs = []
    for name, zone, locale in (("a", "UTC", "C.UTF-8"), ("b", "Pacific/Kiritimati", "C")):
        where = tmp_path / name
        where.mkdir()
        source = make_project(where)
        env = {**os.environ, "SOURCE_DATE_EPOCH": "1487289600", "TZ": zone, "LC_ALL": locale}
        run = subprocess.run([sys.executable, "-m", "folio", "build", str(source), "-f", ALL],
                             cwd=ROOT, env=env, capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
        runs.append(outputs(where))
    assert runs[0].keys() == runs[1].keys() and len(runs[0]) >= 3
    for name in runs[0]:
        assert runs[0][name] == runs[1][name], name


def test_dates_in_the_outputs_come_from_source_date_epoch_or_the_front_matter(tmp_path):
    import docx
    import pikepdf
    # the report's front matter (its meeting dates, its year) over one short chapter: the dates
    # come from the front matter and the environment, not from the body
    report = (ROOT / "source" / "report.md").read_text(encoding="utf-8")
    text = report[:report.index("\n---\n", 4) + 5] + "\n# Chapter\n\nText.\n"
    assert "year: 2017\n" in text and "dates: 16–17 February 2017" in text
    source = make_project(tmp_path, text)
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1487289600"}          # 17 February 2017, 00:00 UTC
    for args, environment, expected in (
            ((), env, "2017-02-17"),
            (("date: 2017-12-01",), {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"},
             "2017-12-01")):
        source.write_text(text.replace("year: 2017\n", "year: 2017\n" + "".join(a + "\n" for a in args)),
                          encoding="utf-8")
        run = subprocess.run([sys.executable, "-m", "folio", "build", str(source), "-f", "pdf,docx"],
                             cwd=ROOT, env=environment, capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
        created = docx.Document(tmp_path / "build" / "report.docx").core_properties.created
        assert created.date().isoformat() == expected
        with pikepdf.open(tmp_path / "build" / "report.pdf") as pdf:
            assert str(pdf.docinfo["/CreationDate"]).startswith("D:" + expected.replace("-", ""))


# `folio build` with every file it opens for writing watched: on the argv[3]th write of the file
# named argv[2] (the output or its temporary file), half the bytes are written, then the build and
# its writer processes (forked from it, so watched too) are killed, as `kill -9` or a power cut would.
KILLED_IN_A_WRITE = """
import builtins, io, os, signal, sys
source, name, nth = sys.argv[1], sys.argv[2], int(sys.argv[3])
seen = [0]

def cut(handle):
    write = handle.write
    def half_then_killed(data):
        write(data[:len(data) // 2])
        handle.flush()
        os.killpg(os.getpgid(0), signal.SIGKILL)
    handle.write = half_then_killed
    return handle

def ours(path):
    base = os.path.basename(str(path))
    return base == name or (base.startswith("." + name + ".") and base.endswith(".tmp"))

def watched(opener, path_of):
    def opened(file, mode="r", *args, **kwargs):
        handle = opener(file, mode, *args, **kwargs)
        if any(c in mode for c in "wax+") and ours(path_of(file)):
            seen[0] += 1
            if seen[0] == nth:
                return cut(handle)
        return handle
    return opened

builtins.open = io.open = watched(io.open, lambda f: os.readlink(f"/proc/self/fd/{f}") if isinstance(f, int) else f)
os.fdopen = watched(os.fdopen, lambda fd: os.readlink(f"/proc/self/fd/{fd}"))
from folio.cli import main
main(["build", source, "-f", "html,pdf,docx"])
"""

# Every output, and the build record (written after each output: a build of a new text writes it
# at least three times). A file written again with the same bytes is not written (files.py), so
# only first writes of the outputs are sure to happen.
KILLS = [("index.html", 1), ("report.pdf", 1), ("report-print.pdf", 1), ("report.docx", 1),
         ("stamps.json", 1), ("stamps.json", 3)]


def test_a_killed_build_never_leaves_a_truncated_output(tmp_path):
    """Killed inside the write of each output in turn (not at random moments, which mostly
    fell before any write): the previous file stays whole, and the next build repairs all."""
    need("qpdf")
    source = make_project(tmp_path, "# Chapter\n\nText.\n")
    assert run_folio("build", source, "-f", ALL).returncode == 0
    build = tmp_path / "build"
    for attempt, (name, nth) in enumerate(KILLS):
        source.write_text(f"# Chapter\n\nText {attempt}.\n", encoding="utf-8")
        before = {p: p.read_bytes() for p in (build / "html" / "index.html", build / "report.pdf",
                                             build / "report-print.pdf", build / "report.docx")}
        run = subprocess.run([sys.executable, "-c", KILLED_IN_A_WRITE, str(source), name, str(nth)], cwd=ROOT,
                             capture_output=True, text=True, start_new_session=True, timeout=300)
        assert run.returncode == -signal.SIGKILL, (name, nth, run.returncode, run.stderr)  # killed in that write
        check = subprocess.run(["qpdf", "--check", str(build / "report.pdf")], capture_output=True, text=True)
        assert check.returncode == 0, (name, check.stdout)
        with zipfile.ZipFile(build / "report.docx") as docx:
            assert docx.testzip() is None
        assert (build / "html" / "index.html").read_text(encoding="utf-8").rstrip().endswith("</html>")
        for path, data in before.items():
            if path.name == name:
                assert path.read_bytes() == data, name        # the previous file, whole
    # and the next build after all that repairs everything that is stale
    final = run_folio("build", source, "-f", ALL)
    assert final.returncode == 0
    assert run_folio("build", source, "-f", ALL).stdout.count("up to date") == 3


def test_folio_diff_names_the_pages_that_changed(built, tmp_path):
    where, source = built
    before = tmp_path / "before"
    shutil.copytree(where / "build", before)
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("Mr. William Lacy Swing", "Mr. William L. Swing"), encoding="utf-8")
    assert run_folio("build", source, "-f", ALL).returncode == 0
    run = run_folio("diff", before, where / "build")
    assert run.returncode == 0
    assert f"PDF pages to read again: {label_of_page_showing(where, 'William L. Swing')}\n" in run.stdout
    assert "Implementing the New York Declaration" in run.stdout


# ---- watching and previewing -------------------------------------------------------------


def test_watcher_rebuilds_once_per_burst_and_never_for_build_writes(tmp_path):
    from folio.serve import watch
    source = make_project(tmp_path)
    (tmp_path / "build").mkdir()
    project = Project.for_source(source)
    calls, stop = [], threading.Event()
    thread = threading.Thread(target=watch, args=(project, calls.append, stop), daemon=True)
    thread.start()
    time.sleep(0.5)                                           # the watcher is listening
    for _ in range(5):                                        # an editor's save: several events
        source.write_text(source.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        time.sleep(0.02)
    time.sleep(1.5)
    assert len(calls) == 1
    for i in range(5):                                        # folio's own writes
        (tmp_path / "build" / f"out{i}.html").write_text("x")
    time.sleep(1.5)
    stop.set()
    thread.join(timeout=5)
    assert len(calls) == 1


def test_preview_answers_on_loopback_only_and_only_for_build_html(tmp_path):
    from folio.serve import State, make_server
    source = make_project(tmp_path)
    build_here(source, "html")
    server = make_server(Project.for_source(source), State(), port=0)
    host, port = server.server_address
    assert host == "127.0.0.1"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        def get(path):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.putrequest("GET", path, skip_host=False)   # sent as written, no normalising
            conn.endheaders()
            response = conn.getresponse()
            return response.status, response.read()
        status, page = get("/")
        assert status == 200 and b"/__folio/events" in page
        assert b"__folio" not in (tmp_path / "build" / "html" / "index.html").read_bytes()
        for path in ("/../source/report.md", "/%2e%2e/source/report.md", "/..%2fsource/report.md",
                     "//etc/passwd", "/../../../../etc/passwd"):
            assert get(path)[0] == 404, path
        with pytest.raises(OSError):
            socket.create_connection((_non_loopback_address(), port), timeout=1).close()
    finally:
        server.shutdown()


def _non_loopback_address() -> str:
    """This machine's own address on a non-loopback interface (or skip)."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("192.0.2.1", 9))        # TEST-NET: no packet is sent for a UDP connect
        address = probe.getsockname()[0]
    except OSError:
        pytest.skip("no non-loopback interface")
    finally:
        probe.close()
    if address.startswith("127."):
        pytest.skip("no non-loopback interface")
    return address
