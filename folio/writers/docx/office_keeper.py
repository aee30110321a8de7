"""One LibreOffice kept alive between builds, serving DOCX → PDF conversions on a Unix socket.

Run by Debian's /usr/bin/python3 (python3-uno lives there, not in folio's venv), detached from
the build that starts it (folio/writers/docx/office.py):

    /usr/bin/python3 office_keeper.py FOLDER PROFILE IDLE_SECONDS

It starts soffice listening on a pipe of its own, connects to it, then answers one JSON line per
connection on FOLDER/office.sock: {"token": …, "docx": path, "pdf": path} → {"ok": true} once
the PDF is written (blank pages kept, as --convert-to with IsSkipEmptyPages false). A request
without the token in FOLDER/office.json (mode 0600) is refused. After IDLE_SECONDS without a
request, when soffice dies, or on SIGTERM, it stops soffice and removes its socket and state.
Deliberately free of folio's imports: another interpreter runs it."""
from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import uno  # noqa: F401  (Debian's python3-uno)
import unohelper
from com.sun.star.connection import NoConnectException
from com.sun.star.frame import TerminationVetoException, XTerminateListener

SOCKET, STATE = "office.sock", "office.json"
KEEP_BLANKS = 'pdf:writer_pdf_Export:{"IsSkipEmptyPages":{"type":"boolean","value":"false"}}'


def short(path: Path) -> tuple[str, int]:
    """A name for bind/connect that fits AF_UNIX's 108 bytes however deep the build folder is:
    the socket's folder through a descriptor of this process (Linux)."""
    fd = os.open(path.parent, os.O_PATH | os.O_DIRECTORY)
    return f"/proc/self/fd/{fd}/{path.name}", fd


def start_office(profile: Path, pipe: str) -> subprocess.Popen:
    return subprocess.Popen(["soffice", "--headless", "--invisible", "--nologo", "--norestore", "--nodefault",
                             f"-env:UserInstallation={profile.as_uri()}", f"--accept=pipe,name={pipe};urp;"],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "HOME": str(profile)})


def connect(pipe: str, office: subprocess.Popen, timeout: float = 60.0):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + timeout
    while True:
        try:
            ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
            desktop.addTerminateListener(KeepRunning())
            return desktop
        except NoConnectException:
            if office.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"LibreOffice did not start (status {office.poll()})") from None
            time.sleep(0.05)


def convert(profile: Path, docx: str, pdf: str) -> None:
    """`soffice --convert-to` with the running LibreOffice's profile: the new process hands the
    request to the running one and waits for it (no start-up), which converts it on its main
    thread exactly as a conversion run alone (desktop/source/app/dispatchwatcher.cxx). Loading
    and storing through UNO instead lets LibreOffice's idle layout run in between, and a
    heading at a page's foot moved to the next page."""
    out = Path(pdf).parent
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation={profile.as_uri()}", "--convert-to",
                    KEEP_BLANKS, "--outdir", str(out), docx], stdin=subprocess.DEVNULL, capture_output=True,
                   timeout=300, check=True)
    made = out / (Path(docx).stem + ".pdf")
    if str(made) != pdf:
        os.replace(made, pdf)


class KeepRunning(unohelper.Base, XTerminateListener):
    """A conversion handed over ends by closing the office when no document is left open:
    vetoed, so that the next build finds it running."""

    def queryTermination(self, event):
        raise TerminationVetoException()

    def notifyTermination(self, event):
        pass

    def disposing(self, event):
        pass


def serve(folder: Path, profile: Path, idle: float) -> None:
    token = secrets.token_hex(16)
    pipe = f"folio-{os.getpid()}-{token[:8]}"
    office = start_office(profile, pipe)
    stop = lambda *_: (_ for _ in ()).throw(SystemExit(0))  # noqa: E731 - SIGTERM ends the loop
    signal.signal(signal.SIGTERM, stop)
    listener = None
    try:
        started = time.perf_counter()
        desktop = connect(pipe, office)
        ready = time.perf_counter() - started
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        name, fd = short(folder / SOCKET)
        try:
            os.unlink(name)
        except FileNotFoundError:
            pass
        listener.bind(name)
        os.close(fd)
        listener.listen(4)
        state = folder / STATE
        tmp = folder / f".{STATE}.{os.getpid()}"
        with open(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as f:
            json.dump({"pid": os.getpid(), "office": office.pid, "token": token, "start": ready}, f)
        os.replace(tmp, state)
        listener.settimeout(1.0)
        last = time.monotonic()
        # Until idle, LibreOffice gone, or the build folder removed under it (invoke clean).
        while office.poll() is None and time.monotonic() - last < idle and (folder / SOCKET).exists():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            with conn:
                answer(conn, desktop, token, profile)
            last = time.monotonic()
    finally:
        if listener is not None:
            listener.close()
        try:                                 # the socket and state, unless a newer keeper's
            if json.loads((folder / STATE).read_text()).get("pid") == os.getpid():
                for name in (SOCKET, STATE):
                    (folder / name).unlink(missing_ok=True)
        except (OSError, ValueError):
            pass
        os.killpg(os.getpgid(0), signal.SIGKILL)   # LibreOffice (vetoes a polite end) and this keeper


def answer(conn: socket.socket, desktop, token: str, profile: Path) -> None:
    conn.settimeout(10)
    data = b""
    while not data.endswith(b"\n") and len(data) < 65536:
        chunk = conn.recv(4096)
        if not chunk:
            return
        data += chunk
    request = json.loads(data)
    if not secrets.compare_digest(str(request.get("token", "")), token):
        conn.sendall(b'{"ok": false, "error": "not ours"}\n')
        return
    if request.get("hello"):             # a round trip to LibreOffice too: a hung one does not answer
        desktop.getComponents()
        reply = {"ok": True, "pid": os.getpid()}
    else:
        started = time.perf_counter()
        try:
            convert(profile, request["docx"], request["pdf"])
            reply = {"ok": True, "seconds": time.perf_counter() - started}
        except Exception as exc:  # noqa: BLE001 - said to the build, which falls back
            reply = {"ok": False, "error": f"{exc.__class__.__name__}: {exc}"}
    conn.sendall(json.dumps(reply).encode() + b"\n")


if __name__ == "__main__":
    serve(Path(sys.argv[1]), Path(sys.argv[2]), float(sys.argv[3]))
