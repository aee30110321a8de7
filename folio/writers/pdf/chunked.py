"""The PDF writer's chunked route: what the single pass does on WeasyPrint's pages (numbering
by the composition, structure ids, notes that do not fit, hyphenated lines in a row, the page
map), done chunk by chunk in the layout workers of folio/layout/chunked/, then gathered.
What the workers find on each page comes back as a ChunkPage."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace
from typing import NamedTuple

from ... import model as m
from ...diagnostics import Kind, Location, Reporter
from ...i18n.numerals import page_label
from ...layout import carry, lines, pagemap
from ...project import Project
from ..hyphenate import Hints


class ChunkPage(NamedTuple):
    """What page_facts found on one chunk page, in its worker (the engine keeps it as the
    page's `PageFacts.extra`, opaque): the single pass reads the same of its pages."""
    lines: int                      # lines of text (folio.layout.pagemap: running heads left out)
    spans: dict                     # block id → [first line, last line] on the page
    text: str                       # its text, margin boxes left out (laid out apart: frames)
    opened: bool                    # a part opens the page: no running head at its top

    @classmethod
    def of(cls, facts) -> ChunkPage:
        """The record of a chunk page's facts (a list once it has been through the chunk
        cache's JSON); an empty one for a page that has none (None: a blank page)."""
        return cls(*facts.extra) if facts is not None and facts.extra else NO_PAGE


NO_PAGE = ChunkPage(0, {}, "", False)


def write(doc: m.Document, project: Project, reporter: Reporter, html: str | None) -> list[Path]:
    from ...layout.chunked import keys, route
    from . import editions
    from . import single as pdf

    ids = pdf._block_ids(doc)
    # From none, as a build from nothing begins: what the rounds ask depends on the layouts they
    # met on the way (hints are only ever added), so a build that began from the last build's
    # would keep words whole that a build from nothing breaks. The rounds' unchanged chunks come
    # from the cache (route.py replays each revision with the cuts the last build settled for it).
    hints = Hints()
    first = [html]
    tight = [frozenset()]           # the regions set tighter to pull a carry-over back
    rounds_file = _rounds_file(project)
    last_rounds = keys.load(rounds_file).get("flow", [])     # the last build's, for guess()
    rounds: list = []               # the hints each revision of this build began with
    guessed: dict = {}              # (hints, tight) → (print HTML, its messages) made by guess()

    def page() -> str:
        """The print HTML, with what the hyphenation rounds asked for so far."""
        rounds.append({"keep": _listed(hints.keep), "allow": _listed(hints.allow)})
        made = first.pop() if first and first[0] is not None and not hints.keep and not hints.allow else None
        if made is None and (repr(rounds[-1]), tight[0]) in guessed:    # the guess was right: the same page
            made, messages = guessed.pop((repr(rounds[-1]), tight[0]))
            reporter.extend(messages)
        return made if made is not None else editions.print_html(doc, project, reporter, hints, tight[0])

    def guess(revision: int) -> str | None:
        """The print HTML of a revision with the hints the last build's began with (route.py
        lays out ahead what it changes); its messages are the real revision's to give."""
        if revision >= len(last_rounds):
            return None
        then = Hints({i: set(w) for i, w in last_rounds[revision]["keep"].items()},
                     {i: set(w) for i, w in last_rounds[revision]["allow"].items()})
        aside = Reporter(ignore=reporter.ignore)
        html = editions.print_html(doc, project, aside, then, tight[0])
        said = {"keep": _listed(then.keep), "allow": _listed(then.allow)}
        guessed[repr(said), tight[0]] = (html, aside.messages + aside.ignored)
        return html

    def revise(extras: list, flips: list) -> bool:
        """What the chunks' lines ask of hyphenation (as the single pass): lay out again?"""
        more = False
        for extra, flipped in zip(extras, flips, strict=True):
            more = hints.add(*hyphens_asked(extra, flipped)) or more
        return more

    def unwanted(anchors: frozenset, flipped: bool) -> tuple:
        """A chunk's hints so far: where its lines ask for more, the next round lays it out
        again, and this round's PDF of it is never used (asks_more, in the worker)."""
        return (ASKS_MORE,
                (*({i: sorted(words) for i, words in sorted(known.items()) if i in anchors}
                   for known in (hints.keep, hints.allow)), flipped))

    options = route.Options(
        numbering=lambda pages: pdf.page_numbers(doc, SimpleNamespace(pages=pages)), label=_label,
        facts=(PAGE_FACTS, (ids, pdf.part_heads(doc))), document=(CHUNK_FACTS, (ids,)),
        setup=SETUP, tagging=TAGGING,
        no_heads=lambda facts: ChunkPage.of(facts).opened, revise=revise, revisions=pdf.HYPHEN_ROUNDS,
        unwanted=unwanted, guess=guess if len(last_rounds) > 1 else None, begins=begins)
    try:
        # The workers stay for both layouts, then one makes the printer's edition while this
        # process makes the screen's (editions.write_editions).
        with route.workers(options) as workers:
            out = route.write(page, project, reporter, options, workers)
            keys.save(rounds_file, {"flow": rounds})
            tight[0] = carry.tight_regions(doc, _facts(out.pages))
            if tight[0]:                # laid out again: only the chunks the tighter parts are in
                first.clear()
                again = route.write(page, project, reporter, replace(options, variant="tight", guess=None), workers)
                route.record_build(project, [out.stats, again.stats])
                if carry.text_end(_facts(again.pages)) < carry.text_end(_facts(out.pages)):
                    out = again
            _lost_notes(doc, out.extras, reporter)
            written = editions.write_editions(doc, project, out.pdf, [page.label for page in out.pages],
                                              {i for i, page in enumerate(out.pages) if page.chunk is None},
                                              helper=workers)
    except route.Unsettled as exc:
        reporter.warning(Location(project.shown(project.source)), f"the chunked PDF layout did not settle"
                         f" ({exc}); the PDF was laid out in one pass", Kind.LAYOUT)
        return pdf.single_pass(doc, project, reporter, None)
    pagemap.save(project.out_dir, _page_map(doc, out.pages))
    return written


ROUNDS = "rounds.json"     # the hints each hyphenation round of the last build began with


def _rounds_file(project: Project) -> Path:
    from ...layout.chunked.cache import FOLDER
    return project.out_dir / FOLDER / ROUNDS


def guesses_ahead(project: Project) -> bool | None:
    """Will this build lay out a revision's chunks ahead (route.Options.guess: the last build
    made more than one hyphenation round)? None where there was no last build (every chunk
    is laid out: every worker is wanted)."""
    from ...layout.chunked.keys import load
    found = load(_rounds_file(project)).get("flow")
    return None if found is None else len(found) > 1


# What the layout workers call, by name (they import this module, not the writer's caller).
PAGE_FACTS, CHUNK_FACTS = "folio.writers.pdf.chunked:page_facts", "folio.writers.pdf.chunked:chunk_facts"
ASKS_MORE = "folio.writers.pdf.chunked:asks_more"
SETUP, TAGGING = "folio.layout.weasy:fixes", "folio.layout.weasy.tags:structure_ids"
# Their modules, imported by workers started before the source is parsed (prepare()) as they
# warm up, with WeasyPrint: the first layout no longer waits for them.
WORKER_MODULES = tuple(dict.fromkeys(hook.partition(":")[0]
                                     for hook in (PAGE_FACTS, CHUNK_FACTS, ASKS_MORE, SETUP, TAGGING)))


def _listed(hints: dict) -> dict:
    return {ident: sorted(words) for ident, words in sorted(hints.items())}


def _facts(pages: list) -> list:
    """(lines, {block id: [first line, last line]}) of each page, as folio.layout.carry reads them."""
    return [(found.lines, found.spans) for found in map(ChunkPage.of, (page.chunk for page in pages))]


def begins(before, facts) -> list[str]:
    """The blocks a chunk page begins with: their first line is its first, and the page before
    does not hold them (the route may cut there: folio.layout.chunked.cuts)."""
    if not facts.extra or not before.extra:
        return []
    held = ChunkPage.of(before).spans
    return sorted(i for i, (first, _) in ChunkPage.of(facts).spans.items() if first == 1 and i not in held)


def _label(number: int | None, style: str) -> str:
    return page_label(number, style) if number is not None else style   # a named page: its name


# ---- run in the layout workers ------------------------------------------------------------------

def page_facts(page_box, ids: frozenset, heads: frozenset) -> ChunkPage:
    """The ChunkPage of one chunk page (its margin boxes are laid out apart; a page a part
    opens gets none at the top, as in the single pass)."""
    count, spans, text = pagemap.page_lines(page_box, ids)
    return ChunkPage(count, spans, text, bool(pagemap.first_line_owners(page_box, heads) & heads))


def asks_more(extra: dict | None, keep: dict, allow: dict, flipped: bool = False) -> bool:
    """Do a chunk's lines (chunk_facts) ask for a hint it was not laid out with? Then `revise`
    (Hints.add) says new, whatever the other chunks ask."""
    return any(not set(words) <= set(known.get(ident, ()))
               for asked, known in zip(hyphens_asked(extra, flipped), (keep, allow), strict=True)
               for ident, words in asked.items())


def hyphens_asked(extra: dict | None, flipped: bool) -> tuple[dict, dict]:
    """(keep, allow) that a chunk's lines ask for, its pages on the sides they were laid out
    on, or `flipped` (a chunk laid out as if it began on a right-hand page that begins on a
    left one: the turn of a leaf falls after its other pages)."""
    asked = (extra or {}).get("flipped", {}) if flipped else (extra or {})
    return asked.get("keep", {}), asked.get("allow", {})


def chunk_facts(document, html: str, ids: frozenset) -> dict:
    """Of one laid-out chunk: what its lines ask of hyphenation (folio.layout.lines) and the
    notes it could not print in full."""
    from ...layout.weasy.notes import lost_notes
    laid, flipped = ({"keep": _listed(keep), "allow": _listed(allow)}
                     for keep, allow in lines.review_both(document.pages, ids))
    return {**laid, "flipped": flipped, "lost": lost_notes(document, html)}


# ---- gathered ---------------------------------------------------------------------------------

def _lost_notes(doc: m.Document, extras: list, reporter: Reporter) -> None:
    from .single import warn_lost_notes
    warn_lost_notes(doc, [label for extra in extras for label in (extra or {}).get("lost", [])], reporter)


def _page_map(doc: m.Document, pages: list) -> dict:
    """The page map as the single pass writes it: a page's text is its chunk page's, then its
    frame's (running heads and number), as WeasyPrint orders a page's boxes."""
    import hashlib
    facts, blocks = [], {}
    for index, page in enumerate(pages):
        found = ChunkPage.of(page.chunk)
        facts.append({"label": page.label, "lines": found.lines,
                      "text": pagemap.text_digest(found.text + (page.frame.text if page.frame else ""))})
        for ident, (first, last) in found.spans.items():
            blocks.setdefault(ident, []).append([index, first, last])
    return {"source": doc.source, "source_sha256": hashlib.sha256(doc.text.encode("utf-8")).hexdigest(),
            "pages": facts, "blocks": blocks}
