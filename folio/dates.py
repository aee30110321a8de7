"""The one moment a build stamps into its outputs, so the same source gives the same bytes.

SOURCE_DATE_EPOCH if set (the reproducible-builds convention), else the front matter's
`date`, else the last commit of the source file, else 1 January of the report's year."""
from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

UTC = dt.UTC


def publication_moment(meta: dict, source: Path) -> dt.datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), UTC)
    if meta.get("date"):
        day = dt.date.fromisoformat(str(meta["date"]))
        return dt.datetime(day.year, day.month, day.day, tzinfo=UTC)
    committed = _last_commit(source)
    if committed is not None:
        return committed
    return dt.datetime(meta.get("year") or 2000, 1, 1, tzinfo=UTC)


def _last_commit(source: Path) -> dt.datetime | None:
    try:
        run = subprocess.run(["git", "log", "-1", "--format=%ct", "--", source.name], cwd=source.parent,
                             capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    stamp = run.stdout.strip()
    return dt.datetime.fromtimestamp(int(stamp), UTC) if run.returncode == 0 and stamp.isdigit() else None
