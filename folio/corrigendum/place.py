"""Where a change is in the OLD edition's pages, in the words of a UN corrigendum:
"Page 3, second full paragraph, line 4", "Page 4, footnote 1", "Page 5, table 2".

The page map (build/.folio/pagemap.json) gives each block's pages and its lines there; the
OLD PDF's own text (pdflines) gives which words are on which of those lines. Paragraphs are
named by their number where the document numbers them, else counted on the page: a paragraph
that begins on the page is a "full" one; one begun on an earlier page is "continued"."""
from __future__ import annotations

import difflib
from dataclasses import dataclass

from .. import model as m
from ..i18n import numerals, wording
from ..model.text import plain_text

CONTENTS = "contents-title"     # the id of the contents' heading in the print templates


@dataclass
class Place:
    page: int          # the page's index in the PDF
    line: int          # the line's number among the page's lines (for sorting)
    text: str          # "Page 3, second full paragraph, line 4"


def units(blocks):
    """The blocks a corrigendum names, in reading order: lists, quotes and boxes are looked
    into; a table is one block."""
    for block in blocks:
        if isinstance(block, (m.BlockQuote, m.Div)):
            yield from units(block.blocks)
        elif isinstance(block, m.ListBlock):
            for item in block.items:
                yield from units(item.blocks)
        elif not isinstance(block, m.DefinitionList):
            yield block


class Pages:
    """OLD's pages: its page map, the PDF's lines and the model, for naming places."""

    def __init__(self, doc: m.Document, pagemap: dict, lines):
        self.doc, self.map, self.pdf = doc, pagemap, lines
        self.words = doc.terms.get("corrigendum", {})
        self.labels = [str(p.get("label", "")) for p in pagemap["pages"]]
        self.spans = pagemap.get("blocks", {})
        self.paragraphs = {b.id for b in _body_paragraphs(doc)}
        body = {b.id for part in doc.parts if not part.front
                for b in ([part.heading] if part.heading else []) + list(units(part.blocks))}
        self.body = min((spans[0][0] for ident, spans in self.spans.items() if ident in body and spans),
                        default=len(self.labels))

    def at(self, block, what: str, text: str, offset: int | None) -> Place:
        """The place of the character `offset` of the block's shown text (None: the block as a
        whole, named without a line)."""
        spans = self.spans.get(block.id) or [[0, 1, 1]]
        page, line_in_block = spans[0][0], None
        if offset is not None:
            page, line_in_block = self._line(block.id, spans, text, offset)
        span = next(s for s in spans if s[0] == page)
        parts = [self._page(page), self._block(block, what, page)]
        if line_in_block is not None and span[2] > span[1] and not isinstance(block, (m.Table, m.Heading)):
            parts.append(self.words.get("line", "line {line}").format(line=line_in_block))
        return Place(page, span[1] + (line_in_block or 1) - 1, ", ".join(w for w in parts if w))

    def after(self, block, what: str) -> Place:
        """The place just after a block: where a new one goes."""
        spans = self.spans.get(block.id) or [[0, 1, 1]]
        page, _, last = spans[-1]
        phrase = self._block(block, what, page, table="after")
        return Place(page, last, f"{self._page(page)}, {phrase}")

    def contents(self, title: str) -> Place | None:
        """The contents page that lists a heading (by its old title), if the PDF has one: the
        contents come before the body, on the pages from the one showing its title."""
        wanted = "".join(title.split()).casefold()
        pages = range(min(self.body, len(self.labels)))
        start = next((p for p in pages if self.pdf.holds(p, CONTENTS)), None)
        for page in pages if start is not None and wanted else ():
            if page >= start and wanted in self.pdf.text(page).casefold():
                return Place(page, 0, f"{self._page(page)}, {self.words.get('contents', '')}")
        return None

    def abbreviations(self, row: str) -> Place | None:
        """The page of the list of abbreviations that shows a row (its abbreviation and
        expansion), from the page the list's part opens on."""
        part = next((p for p in self.doc.parts if p.heading and "abbreviations" in p.heading.classes), None)
        spans = self.spans.get(part.heading.id) if part is not None else None
        wanted = "".join(row.split()).casefold()
        for page in range(spans[0][0], len(self.labels)) if spans and wanted else ():
            if wanted in self.pdf.text(page).casefold():
                return Place(page, 10 ** 6, f"{self._page(page)}, {self.words.get('abbreviations', '')}")
        return None

    def _page(self, index: int) -> str:
        return self.words.get("page", "Page {page}").format(page=self.labels[index] if index < len(self.labels) else "")

    def _block(self, block, what: str, page: int, table: str = "place") -> str:
        forms = self.words.get(table, {})
        if isinstance(block, m.Footnote):
            return forms.get("footnote", "").format(number=numerals.own(block.number))
        if isinstance(block, m.Heading):
            if block.number is not None:
                part = wording.cited(self.doc.terms, block.kind, numerals.full(block.number))
                return forms.get("heading", "").format(part=part)
            return forms.get("heading_titled", "").format(title=plain_text(block.children))
        if isinstance(block, m.Table):
            number = numerals.full(block.number) if block.number is not None else ""
            return forms.get("table" if number else "table_unnumbered", "").format(number=number)
        if isinstance(block, m.Paragraph) and block.number is not None:
            return forms.get("paragraph", "").format(number=numerals.full(block.number))
        if isinstance(block, m.Paragraph):
            first = (self.spans.get(block.id) or [[page]])[0][0]
            if first < page:
                return forms.get("continued", "").format(page=self.labels[page - 1])
            return forms.get("full_paragraph", "").format(ordinal=self._ordinal(block, page))
        return forms.get("text", "")

    def _ordinal(self, block, page: int) -> str:
        """'second': the paragraph's rank among the paragraphs that begin on the page."""
        begun = [ident for _, ident in sorted((spans[0][1], ident) for ident, spans in self.spans.items()
                                              if ident in self.paragraphs and spans and spans[0][0] == page)]
        rank = begun.index(block.id) + 1 if block.id in begun else 1
        ordinals = self.words.get("ordinals", [])
        return ordinals[rank - 1] if rank <= len(ordinals) else \
            self.words.get("ordinal_other", "{n}").format(n=rank)

    def _line(self, ident: str, spans: list, text: str, offset: int) -> tuple[int, int]:
        """(page index, line within the block on that page) of the character at `offset` of
        the block's shown text, aligned with the block's characters in the PDF (spaces, the
        hyphens of broken words and note numbers are the PDF's own)."""
        shown = [(page, n) for page, _, _ in spans for n, line in enumerate(self.pdf.lines(page, ident), 1)
                 for _ in line.text.casefold()]
        # casefolded: a style may print a heading in capitals
        printed = "".join(line.text for page, _, _ in spans for line in self.pdf.lines(page, ident)).casefold()
        wanted = len("".join(text[:offset].split()))
        source = "".join(text.split()).casefold()
        if not printed:
            return spans[0][0], None
        matcher = difflib.SequenceMatcher(None, source, printed, autojunk=False)
        for a, b, size in matcher.get_matching_blocks():
            if a + size > wanted:
                return shown[min(b + max(wanted - a, 0), len(shown) - 1)]
        return shown[-1]


def _body_paragraphs(doc: m.Document):
    """The paragraphs a reader counts on a page: the body's, not those of notes or tables."""
    for block in units(doc.blocks):
        if isinstance(block, m.Paragraph):
            yield block
