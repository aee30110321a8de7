"""DOCX → PDF through a LibreOffice kept alive between builds (office_keeper.py), or once.

Starting LibreOffice is most of a small conversion's cost; the keeper pays it once and then lays
each build's DOCX out in the same process. It lives in build/.folio/ (its socket, and a state
file of mode 0600 with its pid and a token: a socket that does not answer with that token is not
ours), detached from the build that started it, and stops itself after FOLIO_OFFICE_IDLE seconds
without a request (default 900). A keeper that does not answer in time, or answers with an
error, is killed and replaced once; if that fails too, the conversion runs once as before
(`soffice --convert-to`). FOLIO_OFFICE=once (`folio build --no-keep`) starts none and uses none.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

from ... import progress

FOLDER = ".folio/office"
SYSTEM_PYTHON = "/usr/bin/python3"          # Debian's python3-uno lives there, not in the venv
KEEPER = Path(__file__).with_name("office_keeper.py")
START_SECONDS = 60                          # LibreOffice's start, a fresh profile included
CONVERT_SECONDS = 300                       # one layout of a long report
HELLO_SECONDS = 5                           # a keeper (and its LibreOffice) that answers


def keep() -> bool:
    """A keeper may be used or started: FOLIO_OFFICE unset or 'keep'; python3-uno present."""
    return os.environ.get("FOLIO_OFFICE", "keep") != "once" and os.path.isfile(SYSTEM_PYTHON) \
        and _has_uno()


def convert(out_dir: Path, profile: Path, docx: Path, pdf: Path) -> bool:
    """Write PDF from DOCX in the project's keeper (started if none listens); False if no keeper
    could do it (the caller converts once instead)."""
    folder = out_dir / FOLDER
    for _attempt in range(2):
        state = _state(folder)
        if state is None:
            progress.emit("docx", "starting LibreOffice (kept for the next build)")
            state = _start(folder, profile)
            if state is None:
                return False
        progress.emit("docx", "LibreOffice's page-number pass (kept LibreOffice)")
        hello = _ask(folder, state, {"hello": True}, HELLO_SECONDS)    # hung or dead: not waited for
        reply = hello and hello.get("ok") and _ask(folder, state, {"docx": str(docx), "pdf": str(pdf)},
                                                   CONVERT_SECONDS)
        if reply and reply.get("ok") and pdf.is_file():
            return True
        stop(out_dir)                       # hung, dead or failing: replaced once
    return False


def stop(out_dir: Path) -> None:
    """End the project's keeper and its LibreOffice, if one is ours and alive."""
    folder = out_dir / FOLDER
    state = _state(folder, check_socket=False)
    if state is not None:
        _kill(state.get("pid"))
    for name in ("office.sock", "office.json"):
        (folder / name).unlink(missing_ok=True)


def touch(out_dir: Path) -> bool:
    """Tell the project's keeper it is still wanted (its idle time starts again)."""
    state = _state(out_dir / FOLDER)
    reply = state and _ask(out_dir / FOLDER, state, {"hello": True}, HELLO_SECONDS)
    return bool(reply and reply.get("ok"))


def running(out_dir: Path) -> dict | None:
    """The keeper's state (pid, LibreOffice's pid, its start-up seconds), if one is ours."""
    return _state(out_dir / FOLDER)


def _state(folder: Path, check_socket: bool = True) -> dict | None:
    """The recorded keeper, if the file is ours (not world-readable) and its pid is a keeper."""
    path = folder / "office.json"
    try:
        info = path.stat()
        if info.st_uid != os.getuid() or info.st_mode & 0o077:
            return None
        state = json.loads(path.read_text(encoding="utf-8"))
        pid = int(state["pid"])
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            if KEEPER.name.encode() not in f.read():
                return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if check_socket and not (folder / "office.sock").exists():
        return None
    return state


def _start(folder: Path, profile: Path) -> dict | None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "office.json").unlink(missing_ok=True)
    _make_profile(profile)
    idle = os.environ.get("FOLIO_OFFICE_IDLE", "900")
    keeper = subprocess.Popen([SYSTEM_PYTHON, str(KEEPER), str(folder.resolve()), str(profile.resolve()), idle],
                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True, close_fds=True)   # outlives this build
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline and keeper.poll() is None:
        state = _state(folder)
        if state is not None and state.get("pid") == keeper.pid:
            return state
        time.sleep(0.05)
    _kill(keeper.pid)
    return None


def _make_profile(profile: Path) -> None:
    """A fresh profile makes soffice restart itself once after creating it, which would cut the
    keeper's first connection: the profile is made first, in a run that ends by itself."""
    if (profile / "user").is_dir():
        return
    profile.mkdir(parents=True, exist_ok=True)
    subprocess.run(["soffice", "--headless", "--invisible", "--nologo", "--norestore", "--nodefault",
                    f"-env:UserInstallation={profile.resolve().as_uri()}", "--terminate_after_init"],
                   stdin=subprocess.DEVNULL, capture_output=True, timeout=START_SECONDS, check=False,
                   env={**os.environ, "HOME": str(profile)})


def _ask(folder: Path, state: dict, request: dict, timeout: float) -> dict | None:
    """The keeper's JSON reply, or None (no answer in time, connection refused, not ours)."""
    fd = None
    try:
        fd = os.open(folder, os.O_PATH | os.O_DIRECTORY)
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(timeout)
            conn.connect(f"/proc/self/fd/{fd}/office.sock")   # any depth: AF_UNIX names are short
            conn.sendall(json.dumps({"token": state.get("token"), **request}).encode() + b"\n")
            data = b""
            while not data.endswith(b"\n"):
                chunk = conn.recv(4096)
                if not chunk:
                    return None
                data += chunk
        return json.loads(data)
    except (OSError, ValueError):
        return None
    finally:
        if fd is not None:
            os.close(fd)


def _kill(pid) -> None:
    """The keeper and its LibreOffice: the keeper leads a process group of its own."""
    try:
        os.killpg(int(pid), signal.SIGKILL)
    except (OSError, TypeError, ValueError):
        pass


def _has_uno() -> bool:
    return Path("/usr/lib/python3/dist-packages/uno.py").is_file()
