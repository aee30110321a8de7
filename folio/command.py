"""The `folio` command's entry: a build with nothing to do is answered before the command line
(click, the model, the writers) is even imported (folio.noop); all else goes to folio.cli."""
from __future__ import annotations

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
