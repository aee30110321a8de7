"""The PDF writer's chunked route: what the single pass does on WeasyPrint's pages (numbering
by the composition, structure ids, notes that do not fit, hyphenated lines in a row, the page
map), done chunk by chunk in the layout workers of folio/writers/chunked/, then gathered."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

from ... import model as m
from ...diagnostics import Kind, Location, Reporter
from ...i18n.numerals import page_label
from ...layout import carry, lines, pagemap
from ...project import Project
from ..hyphenate import Hints


def write(doc: m.Document, project: Project, reporter: Reporter, html: str | None) -> list[Path]:
    from ...layout.chunked import route
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

    def page() -> str:
        """The print HTML, with what the hyphenation rounds asked for so far."""
        made = first.pop() if first and first[0] is not None and not hints.keep and not hints.allow else None
        return made if made is not None else editions.print_html(doc, project, reporter, hints, tight[0])

    def revise(extras: list) -> bool:
        """What the chunks' lines ask of hyphenation (as the single pass): lay out again?"""
        more = False
        for extra in extras:
            more = hints.add((extra or {}).get("keep", {}), (extra or {}).get("allow", {})) or more
        return more

    options = route.Options(
        numbering=lambda pages: pdf.page_numbers(doc, SimpleNamespace(pages=pages)), label=_label,
        facts=("folio.writers.pdf.chunked:page_facts", (ids, pdf.part_heads(doc))),
        document=("folio.writers.pdf.chunked:chunk_facts", (ids,)),
        setup="folio.layout.weasy:fixes", tagging="folio.layout.weasy.tags:structure_ids",
        no_heads=lambda facts: bool(facts.extra and facts.extra[3]), revise=revise, revisions=pdf.HYPHEN_ROUNDS,
        begins=begins)
    try:
        out = route.write(page, project, reporter, options)
        tight[0] = carry.tight_regions(doc, _facts(out.pages))
        if tight[0]:                # laid out again: only the chunks the tighter parts are in
            first.clear()
            again = route.write(page, project, reporter, replace(options, variant="tight"))
            route.record_build(project, [out.stats, again.stats])
            if carry.text_end(_facts(again.pages)) < carry.text_end(_facts(out.pages)):
                out = again
    except route.Unsettled as exc:
        reporter.warning(Location(project.shown(project.source)), f"the chunked PDF layout did not settle"
                         f" ({exc}); the PDF was laid out in one pass", Kind.LAYOUT)
        return pdf.single_pass(doc, project, reporter, None)
    _lost_notes(doc, out.extras, reporter)
    written = editions.write_editions(doc, project, out.pdf, [page.label for page in out.pages],
                                 {i for i, page in enumerate(out.pages) if page.chunk is None})
    pagemap.save(project.out_dir, _page_map(doc, out.pages))
    return written


def _facts(pages: list) -> list:
    """(lines, {block id: [first line, last line]}) of each page, as folio.layout.carry reads them."""
    return [tuple(page.chunk.extra[:2]) if page.chunk is not None else (0, {}) for page in pages]


def begins(before, facts) -> list[str]:
    """The blocks a chunk page begins with: their first line is its first, and the page before
    does not hold them (the route may cut there: folio.writers.chunked.cuts)."""
    if not facts.extra or not before.extra:
        return []
    held = before.extra[1]
    return sorted(i for i, (first, _) in facts.extra[1].items() if first == 1 and i not in held)


def _label(number: int | None, style: str) -> str:
    return page_label(number, style) if number is not None else style   # a named page: its name


# ---- run in the layout workers ------------------------------------------------------------------

def page_facts(page_box, ids: frozenset, heads: frozenset) -> list:
    """[lines, {id: [first, last]}, text, opened by a part] of one chunk page (its margin boxes
    are laid out apart; a page a part opens gets none at the top, as in the single pass)."""
    count, spans, text = pagemap.page_lines(page_box, ids)
    return [count, spans, text, bool(pagemap.first_line_owners(page_box, heads) & heads)]


def chunk_facts(document, html: str, ids: frozenset) -> dict:
    """Of one laid-out chunk: what its lines ask of hyphenation (folio.layout.lines) and the
    notes it could not print in full."""
    from ...layout.weasy.notes import lost_notes
    keep, allow = lines.review(document.pages, ids)
    return {"keep": {ident: sorted(words) for ident, words in keep.items()},
            "allow": {ident: sorted(words) for ident, words in allow.items()}, "lost": lost_notes(document, html)}


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
        count, spans, text = page.chunk.extra[:3] if page.chunk is not None else (0, {}, "")
        facts.append({"label": page.label, "lines": count,
                      "text": pagemap.text_digest(text + (page.frame.text if page.frame else ""))})
        for ident, (first, last) in spans.items():
            blocks.setdefault(ident, []).append([index, first, last])
    return {"source": doc.source, "source_sha256": hashlib.sha256(doc.text.encode("utf-8")).hexdigest(),
            "pages": facts, "blocks": blocks}
