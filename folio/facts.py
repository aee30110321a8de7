"""Facts besides files that an output may depend on (inputs.note_fact records them), each
recomputed to check a stamp. Imports nothing of folio's: a build with nothing to do checks them
before anything else is loaded (folio.noop)."""
from __future__ import annotations

import subprocess
from pathlib import Path


def last_commit_stamp(source: Path) -> str:
    """Seconds since 1970 of the source's last commit, as git prints them, or ''."""
    try:
        run = subprocess.run(["git", "log", "-1", "--format=%ct", "--", source.name], cwd=source.parent,
                             capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return ""
    stamp = run.stdout.strip()
    return stamp if run.returncode == 0 and stamp.isdigit() else ""


# name → how to find the fact's value now, for a project
FACTS = {"commit-time": lambda project: last_commit_stamp(project.source)}


def current(project, name: str) -> str | None:
    """The fact's value now (None for a fact this folio does not know: the output is stale)."""
    return FACTS[name](project) if name in FACTS else None
