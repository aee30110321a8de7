"""The `folio` command's entry: a build with nothing to do is answered before the command line
(click, the model, the writers) is even imported (folio.noop); all else goes to folio.cli."""
from __future__ import annotations

import os
import sys

from .noop import answer


def run() -> None:
    try:
        if answer(sys.argv[1:]):
            return
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(130)
    from .cli import run as full
    full()


def main() -> None:
    """The console script and `python -m folio`: run(), then end the process without the
    interpreter's teardown, which freed the model, the caches and the PDF's objects one by one:
    0.07 s of a one-word correction's 1.45 s at 10x. By then every output is written and
    closed, the workers and writer processes are stopped, and no folio code leaves an exit
    handler (the layout workers end the same way). An error that is folio's own fault (a
    traceback) ends the ordinary way."""
    try:
        run()
        code = 0
    except SystemExit as exc:
        code = exc.code
    if sys.getprofile() is not None or sys.gettrace() is not None:
        sys.exit(code)          # a profiler or coverage writes its record at exit: let it
    if code is not None and not isinstance(code, int):
        sys.stderr.write(f"{code}\n")
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code or 0)
