"""The suggested citation, composed once and stored on the document (doc.citation), so that
the web page and the print imprint print the same words.

UN DESA's publications cite themselves by the issuing body, the year, the title and the
symbol: "United Nations, Department of Economic and Social Affairs, Population Division (2017).
World Population Prospects: The 2017 Revision, Key Findings and Advance Tables. Working Paper
No. ESA/P/WP/248." for a working paper, "… (2017). International Migration Report 2017:
Highlights (ST/ESA/SER.A/404)." for a sales publication. The front matter's `citation:` replaces
the composed text when a document needs other words."""
from __future__ import annotations

import re

from .. import model as m
from ..diagnostics import Reporter

# How the symbol follows the title, by the symbol's series; the first pattern that matches wins.
# Words come from the terms table (citation: working-paper, no-date).
SYMBOL_FORMS = [
    (re.compile(r"/WP[/.]"), "{title}{stop} {working_paper} {symbol}."),
    (re.compile(r"."), "{title} ({symbol})."),
]


def build_citation(doc: m.Document, reporter: Reporter) -> None:
    meta = doc.meta
    bodies = [b for b in (meta.get("organization"), meta.get("department"), meta.get("division")) if b]
    year = str(meta.get("year") or "") or str(meta.get("date") or "")[:4]
    title = _title(meta)
    words = (doc.terms or {}).get("citation", {})
    text = meta.get("citation") or _compose(", ".join(bodies) or meta.get("author", ""), year, title,
                                            meta.get("symbol", ""), words)
    doc.citation = m.Citation(
        text=text, title=title,
        # A library's form of a corporate name ("United Nations. Population Division"): with
        # commas, reference managers would read "United Nations" as a family name.
        author=". ".join(bodies) or meta.get("author", ""),
        date=str(meta.get("date") or "").replace("-", "/") or year,
        publisher=meta.get("organization", ""), number=meta.get("symbol", ""))


def _title(meta: dict) -> str:
    title = meta.get("title", "")
    return f"{title}: {meta['subtitle']}" if meta.get("subtitle") else title


def _compose(authority: str, year: str, title: str, symbol: str, words: dict) -> str:
    year = year or words.get("no_date", "")
    title = title.rstrip(".")
    stop = "" if title.endswith(("?", "!")) else "."   # a title's own mark ends its sentence
    if not authority:      # no author or publisher named: the title leads, as APA puts it
        return f"{title}{stop} ({year})." + (f" {symbol}." if symbol else "")
    head = f"{authority} ({year})."
    if not symbol:
        return f"{head} {title}{stop}"
    form = next(form for pattern, form in SYMBOL_FORMS if pattern.search(symbol))
    return f"{head} " + form.format(title=title, symbol=symbol, stop=stop,
                                    working_paper=words.get("working_paper", ""))
