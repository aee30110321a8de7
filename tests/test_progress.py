"""A long build's progress (issue 22): shown on a terminal, what each output is doing and how
far it is; nothing at all when the output goes to a pipe or a file."""
from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
import time

import pytest
from conftest import make_project, run_folio

pytestmark = pytest.mark.slow

TEXT = """---
title: A report long enough to watch
short-title: Progress
symbol: TEST/2026/22
---

# Opening of the meeting

{body}
"""

PARA = "The meeting considered the plan in detail and heard every delegation on the measures proposed. " * 8


def _project(tmp_path):
    return make_project(tmp_path / "p", TEXT.replace("{body}", "\n\n".join([PARA] * 60)))


def _in_a_terminal(args: list[str], cwd) -> str:
    """What the command writes to a pseudo-terminal, escape sequences removed."""
    main, child = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "folio", *args], cwd=cwd, stdin=child, stdout=child,
                               stderr=child, env={**os.environ, "TERM": "xterm", "COLUMNS": "120"})
    os.close(child)
    out, deadline = b"", time.monotonic() + 600
    while time.monotonic() < deadline:
        ready, _, _ = select.select([main], [], [], 1)
        if ready:
            try:
                data = os.read(main, 65536)
            except OSError:            # the child closed its end
                break
            if not data:
                break
            out += data
        elif process.poll() is not None:
            break
    process.wait(timeout=60)
    os.close(main)
    assert process.returncode == 0, out.decode(errors="replace")
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "\n", out.decode(errors="replace")).replace("\r", "\n")


def test_a_terminal_sees_the_pages_laid_out_and_each_output_finish(tmp_path):
    source = _project(tmp_path)
    shown = _in_a_terminal(["build", str(source), "-f", "pdf,html"], tmp_path / "p")
    pages = [int(n) for n in re.findall(r"pdf\s+laying out[^:\n]*: page (\d+)", shown)]
    assert pages and max(pages) >= 2, shown[-2000:]
    assert re.search(r"source\s+read", shown) and re.search(r"html\s+done", shown), shown[-2000:]
    assert re.search(r"^pdf\s+rebuilt", shown, re.M)            # the summary follows the display


def test_a_pipe_gets_no_progress(tmp_path):
    source = _project(tmp_path)
    run = run_folio("build", str(source), "-f", "pdf,html", cwd=tmp_path / "p")
    assert run.returncode == 0, run.stderr
    assert run.stderr == "", run.stderr                            # no progress, no escape sequences
    assert [line.split()[:2] for line in run.stdout.splitlines()] == [["pdf", "rebuilt"], ["html", "rebuilt"]]
