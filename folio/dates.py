"""The one moment a build stamps into its outputs, so the same source gives the same bytes.

SOURCE_DATE_EPOCH if set (the reproducible-builds convention), else the front matter's
`date`, else the last commit of the source file, else 1 January of the report's year."""
from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

from .diagnostics import Kind, Location, Reporter
from .facts import last_commit_stamp
from .inputs import note_fact

UTC = dt.UTC


# The latest moment every edition can carry: a DOCX is a zip, whose member dates end in 2107
# (its earliest, 1980, is met by dating members no earlier; PDF dates run to 9999).
LATEST = dt.datetime(2107, 12, 31, 23, 59, 58, tzinfo=UTC)
EPOCH = re.compile(r"[0-9]{1,12}")      # seconds since 1970, ASCII digits (isdigit takes '²')


def publication_moment(meta: dict, source: Path) -> dt.datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if EPOCH.fullmatch(epoch) and int(epoch) <= LATEST.timestamp():
        return dt.datetime.fromtimestamp(int(epoch), UTC)
    if meta.get("date"):
        day = dt.date.fromisoformat(str(meta["date"]))
        return dt.datetime(day.year, day.month, day.day, tzinfo=UTC)
    stamp = last_commit_stamp(source)
    note_fact("commit-time", stamp)        # the outputs depend on it: a new commit makes them stale
    if stamp:
        return dt.datetime.fromtimestamp(int(stamp), UTC)
    return dt.datetime(min(meta.get("year") or 2000, LATEST.year), 1, 1, tzinfo=UTC)


def check_epoch(reporter: Reporter, loc: Location) -> bool:
    """A typo in SOURCE_DATE_EPOCH is an error before any writer runs (it was a traceback in
    them; letters were ignored without a word)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch and not (EPOCH.fullmatch(epoch) and int(epoch) <= LATEST.timestamp()):
        reporter.error(loc, f"SOURCE_DATE_EPOCH is '{epoch[:40]}': it must be seconds since 1970 in digits,"
                       f" at most {int(LATEST.timestamp())} (the end of {LATEST.year})", Kind.FRONT_MATTER_TYPE)
        return False
    return True
