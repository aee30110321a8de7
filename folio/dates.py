"""The one moment a build stamps into its outputs, so the same source gives the same bytes.

SOURCE_DATE_EPOCH if set (the reproducible-builds convention), else the front matter's
`date`, else the last commit of the source file, else 1 January of the report's year."""
from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

from .inputs import note_fact

UTC = dt.UTC


def publication_moment(meta: dict, source: Path) -> dt.datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), UTC)
    if meta.get("date"):
        day = dt.date.fromisoformat(str(meta["date"]))
        return dt.datetime(day.year, day.month, day.day, tzinfo=UTC)
    stamp = last_commit_stamp(source)
    note_fact("commit-time", stamp)        # the outputs depend on it: a new commit makes them stale
    if stamp:
        return dt.datetime.fromtimestamp(int(stamp), UTC)
    return dt.datetime(meta.get("year") or 2000, 1, 1, tzinfo=UTC)


def last_commit_stamp(source: Path) -> str:
    """Seconds since 1970 of the source's last commit, as git prints them, or ''."""
    try:
        run = subprocess.run(["git", "log", "-1", "--format=%ct", "--", source.name], cwd=source.parent,
                             capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return ""
    stamp = run.stdout.strip()
    return stamp if run.returncode == 0 and stamp.isdigit() else ""
