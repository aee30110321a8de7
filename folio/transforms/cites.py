"""Citations become what the citation style makes of them, before anything is numbered: in a
note style a footnote (a real one in every edition, numbered with the author's own), in an
author-date style text in the sentence; and the works cited become a list of references, at
`::: {#refs} :::` or at the end under the locale's "References". Each citation links to its
entry, so the web edition and the Word file lead from one to the other.

citeproc-py formats (folio.bibliography reads the files); it renders HTML, which is read back
here into the model's inlines: each item is fenced by private-use marks given as its prefix and
suffix, so that the item's words, and only they, become the link to its entry."""
from __future__ import annotations

import re
from html import escape
from pathlib import Path

from .. import model as m
from ..bibliography import NARRATIVE, SUPPRESS_AUTHOR, Styles, entry_location, read_bibliography, read_styles, why
from ..diagnostics import Kind, Location, Reporter, closest
from ..model.walk import inline_lists, iter_blocks
from ..project import find_root

OPEN, KEY_END, CLOSE = "\ue000", "\ue001", "\ue002"    # item start (then its key), key end, item end
MARKS_SPLIT = re.compile(f"({OPEN}[^{KEY_END}]*{KEY_END}|{CLOSE})")
CONTAINERS = (m.Emph, m.Strong, m.Superscript, m.Subscript, m.Link, m.Cited)
PUNCTUATION = ".,;:"
STYLE_TAGS = {"i": m.Emph, "em": m.Emph, "b": m.Strong, "strong": m.Strong, "sup": m.Superscript,
              "sub": m.Subscript}


def resolve_citations(doc: m.Document, reporter: Reporter) -> None:
    order = list(_cites_in_order(doc))
    cites = [(cite, in_note) for cite, in_note in order if cite is not None]
    if not cites:
        return
    meta = doc.meta
    if not meta.get("bibliography"):
        first = cites[0][0]
        reporter.warning(first.loc, f"the text cites ({first.source}) but the front matter names no bibliography"
                         " (bibliography: refs.json or refs.bib): the citations are shown as written", Kind.CITATION)
        _replace(doc, {id(c): [m.Text(c.source, c.loc)] for c, _ in cites})
        return
    # A document read without a project (a fixture) has no folder to read a bibliography from.
    rendered = _render(doc, order, reporter) if doc.root is not None else None
    _replace(doc, rendered if rendered is not None else {id(c): [m.Text(c.source, c.loc)] for c, _ in cites})


def _cites_in_order(doc: m.Document):
    """(Cite, in a note?) in reading order: a note's citations where the note is first called,
    as the notes are numbered, so that "ibid." follows the order a reader meets them; (None,
    True) where an author's note opens, which stands between a citation and an "ibid."."""
    seen: set[str] = set()

    def visit(blocks, in_note):
        for block in iter_blocks(blocks):
            for nodes in inline_lists(block):
                yield from visit_inlines(nodes, in_note)

    def visit_inlines(nodes, in_note):
        for node in nodes:
            if isinstance(node, m.Cite):
                yield node, in_note
            elif isinstance(node, CONTAINERS):
                yield from visit_inlines(node.children, in_note)
            elif isinstance(node, m.FootnoteRef) and node.label not in seen and node.label in doc.footnotes:
                seen.add(node.label)
                yield None, True
                yield from visit(doc.footnotes[node.label].blocks, True)

    yield from visit(doc.blocks, False)
    for label, note in list(doc.footnotes.items()):
        if label not in seen:
            yield from visit(note.blocks, True)


def _read(doc: m.Document, reporter: Reporter) -> tuple | None:
    """The bibliography and the styles the front matter names, or None after an error."""
    meta = doc.meta
    line = meta.get("_lines", {})
    # The source's own project holds its bibliography, even when --root names another one
    # for the templates and styles.
    base = Path(doc.base_dir or doc.root)
    root = find_root(base / Path(doc.source).name) if doc.base_dir else Path(doc.root)
    shown = str(Path(doc.source).parent / meta["bibliography"])
    source = read_bibliography(meta["bibliography"], base, root, shown,
                               Location(doc.source, line.get("bibliography", 1)), reporter)
    styles = read_styles(meta["citation-style"], meta.get("language", "en"), base, root,
                         Location(doc.source, line.get("citation-style", line.get("bibliography", 1))), reporter)
    return None if source is None or styles is None else (source, styles)


def _render(doc: m.Document, cites: list, reporter: Reporter) -> dict | None:
    from citeproc import Citation, CitationItem, CitationStylesBibliography, Locator, formatter

    read = _read(doc, reporter)
    if read is None:
        return None
    source, styles = read
    known = {key.lower(): key for key in source}
    books = {name: CitationStylesBibliography(style, source, formatter.html)
             for name, style in [("main", styles.main), *styles.variants.items()]}

    def citation(cite: m.Cite, main: bool):
        items = []
        for item in cite.items:
            if item.key.lower() not in known:
                if main:                 # said once, not again for the citation's variant
                    reporter.error(cite.loc, f"unknown citation key '{item.key}'"
                                   f"{closest(item.key, known.values())}", Kind.CITATION)
                continue
            extra = {"locator": Locator(*item.locator)} if item.locator else {}
            prefix = escape(item.prefix, quote=False) + " " if item.prefix else ""
            suffix = escape(item.suffix, quote=False)
            suffix = suffix if not suffix or not suffix[0].isalnum() else " " + suffix
            items.append(CitationItem(item.key.lower(), prefix=f"{OPEN}{item.key.lower()}{KEY_END}{prefix}",
                                      suffix=suffix + CLOSE, **extra))
        return Citation(items) if items else None

    planned = []
    for cite, in_note in cites:
        if cite is None:
            planned.append(None)
            continue
        made = {name: citation(cite, name == "main") if name in ("main", _variant(cite, styles)) else None
                for name in books}
        for name, one in made.items():
            if one is not None:
                books[name].register(one)
        planned.append((cite, in_note, made))
    formatted = _format(planned, books, styles, source, reporter)
    if formatted is None:
        return None
    shown_html, entries = formatted
    labels = _entry_labels(books["main"].keys)
    out = {id(plan[0]): _shown(doc, plan[0], plan[1], html, styles, labels)
           for plan, html in zip(planned, shown_html, strict=True) if plan is not None}
    _reference_list(doc, entries, labels, Location(doc.source, doc.meta["_lines"].get("bibliography", 1)))
    return out


def _format(planned: list, books: dict, styles: Styles, source, reporter: Reporter):
    """citeproc-py's HTML for each citation (its variant's, then its own) and the entries
    ((key, html) in the list's order); None after an error: an entry the library cannot
    format is an error at that entry."""
    try:
        for book in books.values():
            book.sort()
        shown = []
        for plan in planned:
            if plan is None:         # an author's note: the next citation is no "ibid."
                books["main"]._cites.append(_note_between())
                shown.append(None)
                continue
            cite, _, made = plan
            variant = _variant(cite, styles)
            shown.append(("" if not variant or made["main"] is None else books[variant].cite(made[variant], _nothing),
                          None if made["main"] is None else books["main"].cite(made["main"], _nothing)))
        entries = list(zip(books["main"].keys, books["main"].bibliography(), strict=False))
    except Exception as exc:     # noqa: BLE001 — citeproc-py formatting what an author wrote
        _report_unformattable(books["main"].keys, styles, source, exc, reporter)
        return None
    return shown, entries


def _note_between():
    """What citeproc-py's position test (first, subsequent, ibid) takes for a note between two
    citations: a citation of no work, alone in its note. (The library counts citations, not
    notes; this is the one place folio reaches into its state.)"""
    from citeproc import Citation, CitationItem

    item = CitationItem(OPEN)
    Citation([item])
    return item


def _report_unformattable(keys: list, styles: Styles, source, exc: Exception, reporter: Reporter) -> None:
    """Which entries citeproc-py cannot format, each tried alone, each an error at its place."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source import BibliographySource

    found = False
    for key in keys:
        alone = BibliographySource()
        alone.add(source[key])
        for style in [styles.main, *styles.variants.values()]:
            book = CitationStylesBibliography(style, alone, formatter.html)
            one = Citation([CitationItem(key)])
            try:
                book.register(one)
                book.sort()
                book.cite(one, _nothing)
                book.bibliography()
            except Exception as problem:     # noqa: BLE001 — as above
                reporter.error(entry_location(source, key), f"bibliography entry '{key}' cannot be"
                               f" formatted: {why(problem)}", Kind.BIBLIOGRAPHY)
                found = True
                break
    if not found:
        reporter.error(entry_location(source, ""), f"the bibliography cannot be formatted: {why(exc)}",
                       Kind.BIBLIOGRAPHY)


def _variant(cite: m.Cite, styles: Styles) -> str:
    """The style variant a citation is also rendered in ('' for none)."""
    if cite.in_text and NARRATIVE in styles.variants:
        return NARRATIVE
    if not styles.note and all(i.suppress_author for i in cite.items) and SUPPRESS_AUTHOR in styles.variants:
        return SUPPRESS_AUTHOR
    return ""


def _shown(doc, cite, in_note, html: tuple, styles: Styles, labels: dict) -> list:
    """The inlines that stand where the citation was written."""
    variant_html, main_html = html
    if main_html is None:            # no key of it is known: its keys stay visible
        return [m.Text(cite.source, cite.loc)]
    text = _inlines(variant_html, labels, cite.loc) if variant_html else []
    if not styles.note:
        return [m.Cited(text or _inlines(main_html, labels, cite.loc), cite.source, cite.loc)]
    full = _inlines(main_html, labels, cite.loc)
    if in_note:                      # a citation inside a note is written out in the note
        shown = text + [m.Text(" (", cite.loc)] + full + [m.Text(")", cite.loc)] if text else full
        return [m.Cited(shown, cite.source, cite.loc)]
    _capitalize(full)                # a note is a sentence: "See …", "Ibid."
    label = _free_label(doc)
    note = m.Paragraph([m.Cited(full, cite.source, cite.loc)], cite.loc)
    doc.footnotes[label] = m.Footnote(label, [note], cite.loc, id="fn-" + label)
    return ([m.Cited(text, cite.source, cite.loc)] if text else []) + [m.FootnoteRef(label, cite.loc)]


def _capitalize(nodes: list) -> None:
    node = nodes[0] if nodes else None
    while isinstance(node, CONTAINERS) and node.children:
        node = node.children[0]
    if isinstance(node, m.Text):
        node.text = node.text[:1].upper() + node.text[1:]


def _nothing(item) -> str:
    return ""


def _free_label(doc: m.Document) -> str:
    n = len(doc.footnotes) + 1
    while f"cite-{n}" in doc.footnotes:
        n += 1
    return f"cite-{n}"


def _entry_labels(keys: list) -> dict:
    """key → the label (the anchor) of its entry: 'ref-' and the key, in characters every
    edition's anchors take."""
    labels, taken = {}, set()
    for key in keys:
        label = "ref-" + re.sub(r"[^A-Za-z0-9_.-]", "-", key)
        while label in taken:
            label += "-"
        taken.add(label)
        labels[key] = label
    return labels


def _reference_list(doc: m.Document, entries: list, labels: dict, loc: Location) -> None:
    entries = [m.Paragraph([m.Cited(_inlines(str(html), {}, loc), "", loc)], loc, label=labels[key])
               for key, html in entries]
    place = next((b for b in iter_blocks(doc.blocks) if isinstance(b, m.Div) and b.label == "refs"), None)
    if place is not None:
        place.blocks = entries
        place.classes = [*place.classes, "references"]
        return
    title = (doc.terms or {}).get("references", "References")
    doc.blocks += [m.Heading(1, [m.Text(title, loc)], loc, classes=["unnumbered"]),
                   m.Div(entries, loc, classes=["references"])]


def _inlines(html: str, labels: dict, loc: Location) -> list:
    """citeproc-py's HTML → inlines; each marked item becomes a link to its entry."""
    from lxml import html as lxml_html

    root = lxml_html.fragment_fromstring(str(html or ""), create_parent="span")
    out: list = []
    target = out                     # where text goes: the item's link while inside one
    for text, tags in _runs(root, ()):
        for piece in MARKS_SPLIT.split(text):
            if piece.startswith(OPEN) and piece[1:-1] in labels:
                link = m.Link("#" + labels[piece[1:-1]], [], loc)
                out.append(link)
                target = link.children
            elif piece.startswith(OPEN) or piece == CLOSE:
                target = out
            elif piece:
                target.append(_styled(piece, tags, loc))
    return out


def _runs(el, tags: tuple):
    """(text, enclosing style tags) in document order."""
    inner = tags + ((el.tag,) if el.tag in STYLE_TAGS else ())
    if el.text:
        yield el.text, inner
    for child in el:
        yield from _runs(child, inner)
        if child.tail:
            yield child.tail, inner


def _styled(text: str, tags: tuple, loc: Location):
    node = m.Text(text, loc)
    for tag in reversed(tags):
        node = STYLE_TAGS[tag]([node], loc)
    return node


def _replace(doc: m.Document, shown: dict) -> None:
    """Each Cite in the model replaced by its inlines."""
    def fix(nodes: list) -> None:
        new = []
        for node in nodes:
            if isinstance(node, m.Cite):
                made = shown.get(id(node), [m.Text(node.source, node.loc)])
                if isinstance(made[0], m.FootnoteRef) and new and isinstance(new[-1], m.Text):
                    new[-1].text = new[-1].text.rstrip()      # "grows¹", as a note is called
                new.extend(made)
                continue
            if isinstance(node, CONTAINERS):
                fix(node.children)
            if isinstance(node, m.Text) and new and node.text[:1] in PUNCTUATION:
                _settle(new, node)
            new.append(node)
        nodes[:] = new

    for blocks in [doc.blocks, *(note.blocks for note in list(doc.footnotes.values()))]:
        for block in iter_blocks(blocks):
            for nodes in inline_lists(block):
                fix(nodes)


def _settle(before: list, text: m.Text) -> None:
    """The punctuation after a citation, as the UN sets it: a note's number after the full stop
    or comma ("grows.¹", not "grows ¹."), and one full stop where a citation ends a sentence."""
    last = before[-1]
    if isinstance(last, m.FootnoteRef) and last.label.startswith("cite-"):
        mark, text.text = text.text[0], text.text[1:]
        at = len(before) - 1
        if at and isinstance(before[at - 1], m.Text):
            before[at - 1].text = before[at - 1].text.rstrip() + mark
        else:
            before.insert(at, m.Text(mark, text.loc))
    elif text.text.startswith(".") and _ends_with_stop(last):
        text.text = text.text[1:]


def _ends_with_stop(node) -> bool:
    while isinstance(node, CONTAINERS) and node.children:
        node = node.children[-1]
    return isinstance(node, m.Text) and node.text.endswith(".")
