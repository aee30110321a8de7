"""Read every paragraph of a DOCX with its tracked changes, fields, notes and comment ranges.

python-docx has no model of revisions (its paragraph.text drops both w:ins and w:del), so the
reader walks WordprocessingML with lxml, in reading order: the body (tables in place), then the
footnotes. Field state (begin / separate / end) spans paragraphs, as a TOC does.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..controls import CONTROL, describe, visible
from ..ooxml.names import MC, W14, WORD_BREAK, W
from .comments import read_comments
from .package import DocxError, Package
from .records import ADDED, INSERTED, Change, Segment, WordDocument, WordParagraph

CHANGE_TAGS = ("ins", "del", "moveFrom", "moveTo")
# Inline containers whose children are read as if they stood in the paragraph itself.
TRANSPARENT = ("hyperlink", "smartTag", "customXml", "dir", "bdo", "sdtContent")
# Field types whose result is the author's own text, not Word's: everything else is generated.
TYPED_FIELDS = frozenset({"HYPERLINK"})
IGNORED_BOOKMARKS = ("_GoBack",)
MAX_PARAGRAPH = 1_000_000   # characters in one paragraph: a report's longest holds a few thousand
ANCHOR = 500          # characters of a comment's anchor kept (and segments looked at for them)
# Control characters (C0 but tab and line end, DEL, C1) and lone surrogates: a w:sym can carry
# any code, and none of these is text a person meant (ESC [2J clears a terminal).
REFUSED = re.compile(f"{CONTROL.pattern}|[\x80-\x9f]")
RUN_TEXT = {"tab": "\t", "cr": "\n", "noBreakHyphen": "\u2011", "softHyphen": "\u00ad"}


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


_LOCAL: dict = {}


def local(el) -> str:
    """The tag without its namespace (tags repeat: each is split once)."""
    tag = el.tag
    name = _LOCAL.get(tag)
    if name is None:
        name = _LOCAL[tag] = tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
    return name


@dataclass
class Field:
    instruction: list = field(default_factory=list)
    in_result: bool = False

    @property
    def kind(self) -> str:
        words = "".join(self.instruction).split()
        return words[0].upper() if words else ""


def read_document(pkg: Package) -> WordDocument:
    """The paragraphs of the body and the footnotes, with the comments they anchor."""
    root = pkg.xml(pkg.document_name)
    body = root.find(w("body"))
    if body is None:
        raise DocxError(f"part '{pkg.document_name}' has no w:body: not a Word document")
    notes_name = pkg.related(pkg.document_name, "footnotes")
    notes = pkg.xml(notes_name) if notes_name and pkg.has(notes_name) else None
    comments_name = pkg.related(pkg.document_name, "comments")
    comments = read_comments(pkg.xml(comments_name) if comments_name and pkg.has(comments_name) else None)
    reader = Reader(footnote_numbers(body))
    reader.story(body, "body")
    if notes is not None:
        for note in notes.iter(w("footnote")):
            if note.get(w("type")) in (None, "normal"):
                reader.story(note, "footnote", note.get(w("id"), ""))
    custom = {name: pkg.xml(name) for name in pkg.zip.namelist()
              if name.startswith("customXml/item") and name.endswith(".xml") and "Props" not in name}
    doc = WordDocument(reader.paragraphs, comments, custom, reader.numbers)
    anchor_comments(doc, reader.comment_ranges())
    return doc


def footnote_numbers(body) -> dict:
    """note id -> the number Word shows for it in the original (inserted calls not counted)."""
    numbers: dict[str, str] = {}
    for ref in body.iter(w("footnoteReference")):
        if not any(local(a) in ADDED for a in ref.iterancestors()):
            numbers.setdefault(ref.get(w("id"), ""), str(len(numbers) + 1))
    return numbers


class Reader:
    def __init__(self, numbers: dict):
        self.numbers = numbers
        self.paragraphs: list[WordParagraph] = []
        self.fields: list[Field] = []
        self.open_comments: dict[str, tuple] = {}     # id -> where its range starts
        self.comment_spans: dict[str, tuple] = {}     # id -> ((paragraph, segment), (paragraph, segment))
        self.cut = False                              # a comment's range starts or ends here
        self.length = 0                               # characters of the paragraph being read
        self.pending_bookmarks: list[str] = []
        self.tables = 0

    # ---- blocks -------------------------------------------------------------------------

    def story(self, parent, story: str, footnote: str = "", cell=None) -> None:
        for child in parent:
            kind = local(child)
            if kind == "p":
                self.paragraph(child, story, footnote, cell)
            elif kind == "tbl":
                self.table(child, story, footnote)
            elif kind in ("sdt", "customXml", "sdtContent"):
                self.story(_content(child), story, footnote, cell)
            elif kind == "bookmarkStart":
                self._bookmark(child, self.pending_bookmarks)
            elif kind in ("commentRangeStart", "commentRangeEnd"):
                self.comment_range(child, kind)

    def table(self, tbl, story: str, footnote: str) -> None:
        number, self.tables = self.tables, self.tables + 1
        for r, row in enumerate(tbl.iter(w("tr"))):
            if row.getparent() is not tbl:
                continue  # a nested table's rows are read with their own table
            row_change = self._row_change(row)
            for c, cell in enumerate(row.findall(w("tc"))):
                start = len(self.paragraphs)
                self.story(cell, story, footnote, (number, r, c))
                for para in self.paragraphs[start:]:
                    para.mark = para.mark or row_change

    def _row_change(self, row) -> Change | None:
        props = row.find(w("trPr"))
        for kind in ("ins", "del"):
            el = props.find(w(kind)) if props is not None else None
            if el is not None:
                return _change(el, kind)
        return None

    def paragraph(self, p, story: str, footnote: str, cell) -> None:
        para = WordParagraph(index=len(self.paragraphs), story=story, footnote=footnote, cell=cell,
                             para_id=p.get(f"{{{W14}}}paraId", ""), bookmarks=self.pending_bookmarks)
        self.pending_bookmarks = []
        self.length = 0
        props = p.find(w("pPr"))
        if props is not None:
            self.paragraph_props(props, para)
        self.inline(p, para, None)
        self.paragraphs.append(para)

    def paragraph_props(self, props, para: WordParagraph) -> None:
        style = props.find(w("pStyle"))
        para.style = style.get(w("val"), "") if style is not None else ""
        para.format_changes += len(props.findall(w("pPrChange")))
        mark = props.find(w("rPr"))
        for kind in CHANGE_TAGS if mark is not None else ():
            el = mark.find(w(kind))
            if el is not None:
                para.mark = _change(el, kind)

    # ---- inlines ------------------------------------------------------------------------

    def inline(self, parent, para: WordParagraph, change: Change | None) -> None:
        for child in parent:
            kind = local(child)
            if kind == "r":
                self.run(child, para, change)
            elif kind in CHANGE_TAGS:
                inner = _change(child, kind)
                if change is not None and change.kind == INSERTED and inner.kind != INSERTED:
                    continue  # inserted, then deleted again: in neither the original nor the result
                self.inline(child, para, inner if change is None or inner.kind != INSERTED else change)
            elif kind in TRANSPARENT:
                self.inline(child, para, change)
            elif kind == "sdt":
                self.inline(_content(child), para, change)
            elif kind == "fldSimple":
                self.fields.append(Field([child.get(w("instr"), "")], in_result=True))
                self.inline(child, para, change)
                self.fields.pop()
            elif kind == "bookmarkStart":
                self._bookmark(child, para.bookmarks)
            elif kind in ("commentRangeStart", "commentRangeEnd"):
                self.comment_range(child, kind, para)
            elif kind == "AlternateContent":
                fallback = child.find(f"{{{MC}}}Fallback")
                self.inline(fallback if fallback is not None else [], para, change)

    def run(self, r, para: WordParagraph, change: Change | None) -> None:
        for child in r:
            kind = local(child)
            if kind in ("t", "delText"):
                if child.text != WORD_BREAK:    # a long word's break the writer added: no text
                    self.text(para, child.text or "", change)
            elif kind in RUN_TEXT:
                self.text(para, RUN_TEXT[kind], change)
            elif kind == "br":
                self.text(para, "" if child.get(w("type")) in ("page", "column") else "\n", change)
            elif kind == "sym":
                self.text(para, _symbol(child), change)
            elif kind in ("instrText", "delInstrText"):
                if self.fields and not self.fields[-1].in_result:
                    self.fields[-1].instruction.append(child.text or "")
            elif kind == "fldChar":
                self.field_char(child.get(w("fldCharType")))
            elif kind in ("footnoteReference", "footnoteRef"):
                self.footnote(child, kind, para, change)
            elif kind == "commentReference":
                para.comment_points.append(child.get(w("id"), ""))
            elif kind == "rPr":
                para.format_changes += len(child.findall(w("rPrChange")))

    def field_char(self, kind: str | None) -> None:
        if kind == "begin":
            self.fields.append(Field())
        elif kind == "separate" and self.fields:
            self.fields[-1].in_result = True
        elif kind == "end" and self.fields:
            self.fields.pop()

    def footnote(self, el, kind: str, para: WordParagraph, change) -> None:
        if kind == "footnoteRef":  # the note's own number, at its head
            number = self.numbers.get(para.footnote, "")
            self.add(para, Segment(number, change, "footnote-mark", footnote=para.footnote))
        else:
            ident = el.get(w("id"), "")
            self.add(para, Segment(self.numbers.get(ident, "*"), change, "footnote", footnote=ident))

    def text(self, para: WordParagraph, text: str, change: Change | None) -> None:
        if not text or any(not f.in_result for f in self.fields):
            return  # field instructions are not text
        self.length += len(text)
        if self.length > MAX_PARAGRAPH:
            raise DocxError(f"paragraph {len(self.paragraphs) + 1} of the Word file holds more than {MAX_PARAGRAPH:,}"
                            " characters: refused (a report's longest paragraph holds a few thousand)")
        bad = REFUSED.search(text)
        if bad:
            before = visible("".join(s.text for s in para.segments))[-40:]
            where = f"paragraph {len(self.paragraphs) + 1}" + (" (a note's)" if para.story == "footnote" else "")
            raise DocxError(f"{where} of the Word file, after '{before}', holds {describe(bad.group())}:"
                            " refused, since it would reach the source as it is (remove it in Word)")
        generated, instruction = "", ""
        if self.fields:
            top = self.fields[-1]
            instruction = "".join(top.instruction).strip()
            generated = "" if top.kind in TYPED_FIELDS else top.kind
        self.add(para, Segment(text, change, generated, instruction))

    def add(self, para: WordParagraph, seg: Segment) -> None:
        last = para.segments[-1] if para.segments else None
        if (last is not None and not self.cut and not seg.footnote and not last.footnote and last.change == seg.change
                and (last.generated, last.instruction) == (seg.generated, seg.instruction)):
            last.text += seg.text
        else:
            para.segments.append(seg)
        self.cut = False

    # ---- marks --------------------------------------------------------------------------

    def _bookmark(self, el, into: list) -> None:
        name = el.get(w("name"), "")
        if name and name not in IGNORED_BOOKMARKS:
            into.append(name)

    def comment_range(self, el, kind: str, para: WordParagraph | None = None) -> None:
        """Where a comment's range starts and ends: (paragraph, segment) positions, kept once per
        comment (not on every segment it covers: 12,000 ranges never closed were 5.8 GB)."""
        ident = el.get(w("id"), "")
        self.cut = True
        if kind == "commentRangeStart":
            if ident not in self.open_comments and ident not in self.comment_spans:
                here = (para.index, len(para.segments)) if para is not None else (len(self.paragraphs), 0)
                self.open_comments[ident] = here
        elif ident in self.open_comments:
            if para is not None:
                here = (para.index, len(para.segments) - 1)
            else:
                here = (len(self.paragraphs) - 1, len(self.paragraphs[-1].segments) - 1 if self.paragraphs else -1)
            self.comment_spans[ident] = (self.open_comments.pop(ident), here)

    def comment_ranges(self) -> dict:
        """Every range; one never closed is a point where it starts."""
        spans = dict(self.comment_spans)
        for ident, start in self.open_comments.items():
            spans[ident] = (start, (start[0], -1))
        return spans


def _content(el):
    """A content control's content (or the element itself for other wrappers)."""
    if local(el) != "sdt":
        return el
    content = el.find(w("sdtContent"))
    return content if content is not None else []


def _change(el, kind: str) -> Change:
    return Change(kind, el.get(w("author"), ""), el.get(w("date"), ""), el.get(w("id"), ""))


def _symbol(el) -> str:
    try:
        return chr(int(el.get(w("char"), ""), 16))
    except ValueError:
        return ""


def anchor_comments(doc: WordDocument, ranges: dict) -> None:
    """Each comment learns the paragraphs where its range starts and ends, and the original text
    it is anchored to (its first ANCHOR characters: it is shown as a reminder, not compared)."""
    last = len(doc.paragraphs) - 1
    for ident, comment in doc.comments.items():
        if ident in ranges:
            (p0, s0), (p1, s1) = ranges[ident]
        else:
            p0 = p1 = next((p.index for p in doc.paragraphs if ident in p.comment_points), -1)
            s0, s1 = 0, -1
        if not 0 <= p0 <= last:
            continue
        p1 = min(max(p1, p0), last)
        comment.start, comment.end = (p0, s0), (p1, s1)
        comment.paragraphs = [p0] if p1 == p0 else [p0, p1]
        doc.paragraphs[p1].comment_ends.append(ident)
        comment.anchor = _anchor(doc.paragraphs, p0, s0, p1, s1)


def _anchor(paragraphs: list, p0: int, s0: int, p1: int, s1: int) -> str:
    out, length, looked = [], 0, 0
    for p in range(p0, p1 + 1):
        segments = paragraphs[p].segments
        looked += 1
        for k in range(s0 if p == p0 else 0, (s1 + 1 if s1 >= 0 else 0) if p == p1 else len(segments)):
            looked += 1
            if not segments[k].added:
                out.append(segments[k].text)
                length += len(segments[k].text)
            if length >= ANCHOR or looked >= ANCHOR:
                return "".join(out)[:ANCHOR]
    return "".join(out)[:ANCHOR]
