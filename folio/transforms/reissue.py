"""A document reissued for technical reasons (front matter `reissued: YYYY-MM-DD`, which
`folio reissue` sets for its build): the UN marks it by an asterisk after the symbol and a
footnote giving the date of reissue, in the language of the version. Decided once here and
stored on the document (doc.reissue); the templates and writers only show it."""
from __future__ import annotations

import datetime

from .. import model as m
from ..diagnostics import Kind, Location, Reporter

MARK = "*"


def mark_reissue(doc: m.Document, reporter: Reporter) -> None:
    day = doc.meta.get("reissued")
    if not day:
        return
    if not doc.meta.get("symbol"):    # the asterisk and its note hang on the symbol
        line = doc.meta.get("_lines", {}).get("reissued", 1)
        reporter.error(Location(doc.source, line), "a reissue is marked after the document symbol, and the"
                       " front matter names none: add 'symbol:'", Kind.FRONT_MATTER_TYPE)
        return
    date = datetime.date.fromisoformat(day)
    shown = doc.locale.date(date) if doc.locale else date.isoformat()
    note = (doc.terms or {}).get("reissued", "{date}").replace("{date}", shown)
    doc.reissue = m.Reissue(date=day, mark=MARK, note=note)
