"""The watcher, the preview server and the writer processes under careless and hostile use:
the watcher outlives any failing rebuild, the server answers only to this machine's names and
lets go of idle connections, and the writer processes never outlive the build."""
from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import ROOT, make_project, run_folio

from folio.project import Project
from folio.serve import PreviewHandler, State, make_server, watch

# Lays out PDFs, starts LibreOffice, Chromium or builds whole reports: the slow tier
pytestmark = pytest.mark.slow

# ---- the watcher -------------------------------------------------------------------------


def test_the_watcher_outlives_an_exception_in_a_rebuild(tmp_path):
    source = make_project(tmp_path, "# Chapter\n\nText.\n")
    calls, errors, stop = [], [], threading.Event()

    def rebuild(changed):
        calls.append(changed)
        if len(calls) == 1:
            raise ValueError("embedded null byte")

    thread = threading.Thread(target=watch, args=(Project.for_source(source), rebuild, stop),
                              kwargs={"on_error": errors.append}, daemon=True)
    thread.start()
    time.sleep(0.5)
    for text in ("# Chapter\n\nOne.\n", "# Chapter\n\nTwo.\n"):
        source.write_text(text, encoding="utf-8")
        time.sleep(1.5)
    stop.set()
    thread.join(timeout=5)
    assert len(calls) == 2 and [str(e) for e in errors] == ["embedded null byte"]


class Served:
    """`folio serve` in a child process, its output read as it comes."""

    def __init__(self, source: Path, *args):
        self.proc = subprocess.Popen([sys.executable, "-m", "folio", "serve", str(source), "--port", "0",
                                      "-f", "html", *args], cwd=ROOT, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True, start_new_session=True)
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.port = int(re.search(r"127\.0\.0\.1:(\d+)/", self.wait_for("serving http")).group(1))
        time.sleep(1.0)                                # the watcher starts after that line

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, text: str, after: int = 0, timeout: float = 60) -> str:
        deadline = time.time() + timeout
        while time.time() < deadline:
            for line in self.lines[after:]:
                if text in line:
                    return line
            time.sleep(0.05)
        raise AssertionError(f"no {text!r} in {self.lines}")

    def stop(self):
        os.killpg(self.proc.pid, signal.SIGINT)
        self.proc.wait(timeout=30)


def test_serve_survives_a_failing_rebuild_and_prints_each_message_once(tmp_path):
    source = make_project(tmp_path, "# Chapter\n\nText.\n")
    served = Served(source)
    try:
        mark = len(served.lines)
        source.write_text("# Chapter\n\nThe WHO said so.\n\n![x](images/%00.png)\n", encoding="utf-8")
        served.wait_for("not rebuilt: 1 error(s)", after=mark)    # the image is refused before writing
        since = served.lines[mark:]
        assert sum("'WHO' looks like an abbreviation" in line for line in since) == 1, since
        assert sum("error: image 'images/%00.png' is not a usable file name" in line for line in since) == 1
        mark = len(served.lines)
        source.write_text("# Chapter\n\nFixed text.\n", encoding="utf-8")
        served.wait_for("html  rebuilt", after=mark)
        page = _get(served.port, "/")[1]
        assert b"Fixed text." in page
        assert served.proc.poll() is None
        assert not [line for line in served.lines if "Traceback" in line]
    finally:
        served.stop()


def test_a_busy_or_impossible_port_is_one_clear_line(tmp_path):
    source = make_project(tmp_path, "# Chapter\n\nText.\n")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = run_folio("serve", source, "--port", port)
    assert run.returncode == 1
    assert run.stderr.strip().splitlines()[-1] == (
        f"source/report.md: error: cannot serve on 127.0.0.1:{port}: Address already in use"
        " (another program uses it: try --port 0 for any free port) [serve]")
    assert not (tmp_path / "build" / "html" / "index.html").exists()   # refused before building
    run = run_folio("serve", source, "--port", "70000")
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "70000 is not in the range 0<=x<=65535" in run.stderr


# ---- the preview server --------------------------------------------------------------------

def _get(port: int, path: str, host: str | None = None, method: str = "GET"):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.putrequest(method, path, skip_host=True)
    conn.putheader("Host", host if host is not None else f"127.0.0.1:{port}")
    conn.endheaders()
    response = conn.getresponse()
    return response.status, response.read()


@pytest.fixture
def server(tmp_path, monkeypatch):
    monkeypatch.setattr(PreviewHandler, "timeout", 1)
    source = make_project(tmp_path, "# Chapter\n\nText.\n")
    assert run_folio("build", source, "-f", "html").returncode == 0
    (tmp_path / "secret.txt").write_text("secret")
    (tmp_path / "build" / "html" / "leak.txt").symlink_to(tmp_path / "secret.txt")
    httpd = make_server(Project.for_source(source), State(), port=0)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield httpd.server_address[1]
    httpd.shutdown()


def test_the_server_answers_only_to_this_machines_names(server):
    port = server
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", "localhost", "127.0.0.1", f"LOCALHOST:{port}"):
        assert _get(port, "/", host)[0] == 200, host
    for host in ("evil.example", f"evil.example:{port}", f"127.0.0.1.evil.example:{port}", "", "127.0.0.1:1",
                 f"[::1]:{port}", f"localhost.:{port}"):
        assert _get(port, "/", host)[0] == 403, host
        assert _get(port, "/", host, method="HEAD")[0] == 403, host


def test_head_gets_the_same_path_checks_as_get(server):
    port = server
    for path in ("/leak.txt", "/../secret.txt", "/%2e%2e/secret.txt", "/../../../../etc/passwd"):
        assert _get(port, path)[0] == 404, path
        assert _get(port, path, method="HEAD")[0] == 404, path
    assert _get(port, "/web.css", method="HEAD")[0] == 200


def test_an_idle_or_slow_connection_is_let_go(server):
    port = server
    idle = socket.create_connection(("127.0.0.1", port), timeout=5)
    slow = socket.create_connection(("127.0.0.1", port), timeout=5)
    slow.sendall(b"GET / HTTP/1.1\r\n")                       # and never the rest
    started = time.time()
    assert idle.recv(1024) == b"" and slow.recv(1024) == b""    # closed by the server
    assert time.time() - started < 4
    assert _get(port, "/")[0] == 200                            # and it still serves


def test_the_server_is_quiet_when_clients_hang_up(tmp_path):
    source = make_project(tmp_path, "# Chapter\n\n" + "Text. " * 50000 + "\n")
    served = Served(source)
    try:
        for _ in range(20):
            with socket.create_connection(("127.0.0.1", served.port)) as client:
                client.sendall(f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{served.port}\r\n\r\n".encode())
                client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        with socket.create_connection(("127.0.0.1", served.port)) as client:      # the event stream
            client.sendall(f"GET /__folio/events HTTP/1.1\r\nHost: 127.0.0.1:{served.port}\r\n\r\n".encode())
            client.recv(100)
        time.sleep(1)
        assert _get(served.port, "/")[0] == 200
    finally:
        served.stop()
    assert not [line for line in served.lines if "Traceback" in line or "Error" in line], served.lines


# ---- the writer processes ------------------------------------------------------------------

def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _start_build_with_workers(source: Path) -> tuple[subprocess.Popen, list[int]]:
    proc = subprocess.Popen([sys.executable, "-m", "folio", "build", str(source), "-f", "html,pdf,docx",
                             "--force"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    deadline = time.time() + 30
    while time.time() < deadline:
        workers = _children(proc.pid)
        if len(workers) >= 2:
            return proc, workers
        time.sleep(0.02)
    raise AssertionError("the build started no writer processes")


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
def test_a_killed_parent_leaves_no_worker_behind(tmp_path):
    source = make_project(tmp_path)
    for _ in range(5):
        proc, workers = _start_build_with_workers(source)
        proc.kill()                                   # the parent alone, as a crash or `kill -9` would
        proc.wait()
        deadline = time.time() + 1.0
        while time.time() < deadline and any(_alive(w) for w in workers):
            time.sleep(0.02)
        assert not [w for w in workers if _alive(w)], "workers outlived their parent by a second"
    assert not list((tmp_path / "build").glob(".*.tmp"))


@pytest.fixture(scope="module")
def report_built(tmp_path_factory) -> Path:
    """The report's project with its PDFs and Word file built: each interrupted build below
    works on a copy (the build before the interruption was the same for both)."""
    where = tmp_path_factory.mktemp("built")
    assert run_folio("build", make_project(where), "-f", "pdf,docx").returncode == 0
    return where


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
@pytest.mark.parametrize("how", ["ctrl-c", "sigterm"])
def test_ctrl_c_and_sigterm_end_the_workers_without_a_traceback(report_built, tmp_path, how):
    shutil.copytree(report_built, tmp_path, symlinks=True, dirs_exist_ok=True)
    source = tmp_path / "source" / "report.md"
    before = {p.name: p.read_bytes() for p in (tmp_path / "build").glob("report.*")}
    assert set(before) == {"report.pdf", "report.docx"}
    proc, workers = _start_build_with_workers(source)
    time.sleep(1.0)
    if how == "ctrl-c":
        os.killpg(proc.pid, signal.SIGINT)           # the terminal sends it to the whole group
    else:
        proc.terminate()
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == (130 if how == "ctrl-c" else 143)
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    time.sleep(0.5)
    assert not [w for w in workers if _alive(w)]
    assert not list((tmp_path / "build").glob(".*.tmp"))
    for name, data in before.items():                 # the previous outputs, or whole new ones
        now = tmp_path / "build" / name
        assert now.read_bytes() == data or _whole(now)


def _whole(path: Path) -> bool:
    import zipfile
    if path.suffix == ".pdf":
        return path.read_bytes().rstrip().endswith(b"%%EOF")
    with zipfile.ZipFile(path) as package:
        return package.testzip() is None
