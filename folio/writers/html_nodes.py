"""Model nodes → HTML fragments. Shared by the web edition and the print (PDF) edition,
which differ only in where footnotes go and how page references show.

Every block carries its stable id as its element's id, so that a link, a page map entry and
a Word paragraph all name the same thing."""
from __future__ import annotations

import re
from contextlib import contextmanager
from html import escape

from .. import model as m
from ..i18n import numerals, wording
from ..i18n.locale import paragraph_mark, right_to_left
from ..links import safe_href
from ..model import walk
from ..model.boxes import box_kind
from ..model.text import is_lost, plain_text
from ..model.walk import document_blocks, iter_inlines
from .bidi_runs import isolated
from .hyphenate import Hints, hyphenate
from .phrasing import as_phrasing

LONG_TABLE = 15   # rows: a longer table may start on the page of its text (print.css: .long)

# In print, a run of more than LONG_RUN characters with no break opportunity (across text and
# inline elements alike) gets one (U+200B) every BREAK_EVERY characters. WeasyPrint re-reads
# the rest of such a run for every word or element in it when it breaks a line (`A.` or
# `x[^a]` repeated thousands of times was quadratic, minutes at 4,000), and the run ran off
# the page. No word of a real text comes near that length. The opportunity is written <wbr>
# (WeasyPrint draws it as U+200B): each piece is then a text box of its own, and a table
# cell's narrowest width no longer lays out the rest of the word for every piece (a word of
# 40,000 letters in a cell took 32 s, quadratic; now 6 s).
LONG_RUN, BREAK_EVERY = 120, 40
WHITESPACE = re.compile(r"(\s+)")
ZWSP = "\u200b"


def break_long_runs(text: str, carried: int) -> tuple[str, int]:
    """text with break opportunities added, and the length of the run it ends with;
    carried is the length of the run the text continues."""
    pieces = WHITESPACE.split(text)
    for i in range(0, len(pieces), 2):      # words; the odd pieces are whitespace
        word, run = pieces[i], carried if i == 0 else 0
        if run + len(word) > LONG_RUN:
            pieces[i] = ZWSP + ZWSP.join(word[j:j + BREAK_EVERY] for j in range(0, len(word), BREAK_EVERY))
            run = len(word) % BREAK_EVERY
        else:
            run += len(word)
        carried = run
    return "".join(pieces), carried


_MEMO: list = [None, {}]


def _print_texts(doc: m.Document) -> dict:
    """The print HTML of each text node as its paragraph's hints left it, for the last document
    rendered: each hyphenation round renders the whole print HTML again, and only the
    paragraphs the round gave hints to change (keyed by the node itself, whose document this
    keeps alive, and its text; another document starts afresh)."""
    if _MEMO[0] is not doc:
        _MEMO[:] = [doc, {}]
    return _MEMO[1]


class HtmlNodes:
    def __init__(self, doc: m.Document, print_mode: bool, image_url, terms: dict, hints: Hints | None = None):
        self.doc = doc
        self.print_mode = print_mode
        self.image_url = image_url       # src in the source → URL in the output
        self.terms = terms
        self.front_ids = {b.id for p in doc.parts if p.front for b in [p.heading] + p.blocks
                          if getattr(b, "id", "")}
        self._note_floats = 0            # print: every note float's rank in call order
        self._in_note = False            # print: writing a note's float
        self._guests = walk.note_guests(doc)     # print: notes set after the note whose text calls them
        self.language = doc.meta.get("language", "en")
        self._rtl = right_to_left(doc.locale)    # isolate left-to-right runs (writers/bidi_runs.py)
        self._hyphens = None    # in print, inside running text: the paragraph's last text node
        self.hints = hints or Hints()    # print: what the rounds after layout ask of hyphenation
        self._keep: frozenset = frozenset()
        self._allow: frozenset = frozenset()
        self._unbroken = 0               # print: characters since the last break opportunity
        self._texts = _print_texts(doc) if print_mode else {}
        self._web_init(doc)

    @contextmanager
    def running_text(self, nodes, block_id: str = ""):
        """Inlines of running text (a paragraph, a list item): print hyphenates them."""
        if not self.print_mode:
            yield
            return
        texts = [n for n in iter_inlines(nodes) if isinstance(n, m.Text)]
        outer = self._hyphens, self._keep, self._allow
        self._hyphens = texts[-1] if texts else False
        self._keep = frozenset(self.hints.keep.get(block_id, ()))
        self._allow = frozenset(self.hints.allow.get(block_id, ()))
        try:
            yield
        finally:
            self._hyphens, self._keep, self._allow = outer

    def text_of(self, nodes) -> str:
        """Plain text of inlines as this edition words references."""
        return plain_text(nodes, lambda x: wording.reference(x, self.terms), self.terms.get("gap", "[…]"))

    # ---- blocks ------------------------------------------------------------

    def blocks(self, blocks) -> str:
        return "\n".join(self.block(b) for b in blocks)

    def block(self, b) -> str:
        self._unbroken = 0
        return getattr(self, "block_" + type(b).__name__)(b)

    def block_Heading(self, h: m.Heading) -> str:
        tag = f"h{min(h.level + 1, 6)}"
        # The space sits inside the number's box: after it, print's hanging indent would set the
        # title's first line a space right of its second.
        number = f'<span class="number">{escape(numerals.labelled(h.number))} </span>' if h.number else ""
        classes = " ".join([h.kind] + (["numbered"] if h.number else []) + [c for c in h.classes if c != "front"])
        # A chapter in print carries its running head (print.css: string-set), worded where
        # Word's headers take theirs; a lost heading carries it in every edition, as it always has.
        head = (f' data-running-head="{escape(wording.running_head(h, self.terms))}"'
                if (self.print_mode and h.kind == "chapter") or is_lost(h) else "")
        if not is_lost(h):
            return (f'<{tag} id="{escape(h.id)}" class="{escape(classes)}"{head}>'
                    f'{number}{self.inlines(h.children)}</{tag}>')
        return (f'<{tag} id="{escape(h.id)}" class="{escape(classes)} lost"{head}>'
                f'{number}{self._lost_title(h)}</{tag}>')

    def _lost_title(self, h: m.Heading) -> str:
        """A lost part's heading says what its contents entry and bookmark say: the marker and
        why the part is lost, the reason set apart as the editor's words, not the report's."""
        gap = next(n for n in h.children if isinstance(n, m.Gap))
        ident = f' id="{escape(gap.id)}"' if gap.id else ""
        title = self.terms.get("gap_title", "")
        reason = gap.reason or self.terms.get("gap_no_reason", "")
        return (f'<span class="gap"{ident} title="{escape(title)}">{escape(self.terms.get("gap", "[…]"))}</span> '
                f'<span class="lost-reason">{escape(reason)}</span>')

    def block_Paragraph(self, p: m.Paragraph) -> str:
        ident = _id(p)
        with self.running_text(p.children, p.id):
            text = self.inlines(p.children)
        if p.number:
            # The space sits inside the number's box, where print's fixed width absorbs it.
            return (f'<p class="numbered"{ident}>{self.permalink("para", p.number)}'
                    f'<span class="para-number">{numerals.own(p.number)}{paragraph_mark(self.doc.locale)} </span>'
                    f"{text}</p>")
        return f"<p{ident}>{text}</p>"

    def block_GapBlock(self, g: m.GapBlock) -> str:
        return f'<p class="gap-block"{_id(g)}>{self.inline_Gap(g.gap)}</p>'

    def block_ListBlock(self, lst: m.ListBlock) -> str:
        tag = "ol" if lst.ordered else "ul"
        start = f' start="{lst.start}"' if lst.ordered and lst.start != 1 else ""
        items = "".join(self._item(i) for i in lst.items)
        return f"<{tag}{_id(lst)}{start}>{items}</{tag}>"

    def _item(self, item: m.ListItem) -> str:
        # A tight list item is one paragraph: show its text without the <p>, its id on the item.
        if len(item.blocks) == 1 and isinstance(item.blocks[0], m.Paragraph):
            only = item.blocks[0]
            with self.running_text(only.children, only.id):
                return f"<li{_id(only)}>{self.inlines(only.children)}</li>"
        return f"<li>{self.blocks(item.blocks)}</li>"

    def block_BlockQuote(self, q: m.BlockQuote) -> str:
        return f"<blockquote{_id(q)}>{self.blocks(q.blocks)}</blockquote>"

    def block_CodeBlock(self, c: m.CodeBlock) -> str:
        return f"<pre{_id(c)}><code>{escape(c.text)}</code></pre>"

    def block_Rule(self, r: m.Rule) -> str:
        return f"<hr{_id(r)}>"

    def block_Table(self, t: m.Table) -> str:
        caption = ""
        if t.number or t.caption:
            label = escape(wording.caption_label("table", t.number, self.terms))
            caption = (f'<caption>{self.permalink("table", t.number)}<span class="label">{label}</span>'
                       f'<span class="caption-text">{self.inlines(t.caption)}</span></caption>')
        head = "".join(f"<tr>{''.join(self._cell('th', c) for c in row)}</tr>" for row in t.head)
        body = "".join(f"<tr>{''.join(self._cell('td', c) for c in row)}</tr>" for row in t.body)
        wrap = "table-wrap long" if len(t.body) > LONG_TABLE else "table-wrap"
        return (f'<div class="{wrap}"{self._scroll_region(t)}><table{_id(t)}>{caption}<thead>{head}</thead>'
                f"<tbody>{body}</tbody></table></div>")

    def _cell(self, tag: str, cell: m.TableCell) -> str:
        align = f' class="align-{cell.align}"' if cell.align else ""
        align += f' colspan="{cell.colspan}"' if cell.colspan > 1 else ""
        align += f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else ""
        content = self.blocks(cell.blocks) if cell.blocks else self.inlines(cell.children)
        return f"<{tag}{align}>{content}</{tag}>"

    def block_Figure(self, f: m.Figure) -> str:
        label = escape(wording.caption_label("figure", f.number, self.terms))
        alt = escape(self.text_of(f.caption)) or label      # a caption that was only "Figure 2"
        return (f'<figure{_id(f)}><img src="{escape(self.image_url(f.src))}" alt="{alt}">'
                f'<figcaption>{self.permalink("figure", f.number)}<span class="label">{label}</span> '
                f"{self.inlines(f.caption)}</figcaption></figure>")

    def block_DefinitionList(self, dl: m.DefinitionList) -> str:
        items = "".join(f"<dt>{self.inlines(item.term)}</dt>" + "".join(self._definition(d) for d in item.definitions)
                        for item in dl.items)
        return f"<dl{_id(dl)}>{items}</dl>"

    def _definition(self, blocks: list) -> str:
        # As a tight list item: a definition of one paragraph is its text, with the paragraph's id.
        if len(blocks) == 1 and isinstance(blocks[0], m.Paragraph):
            only = blocks[0]
            with self.running_text(only.children, only.id):
                return f"<dd{_id(only)}>{self.inlines(only.children)}</dd>"
        return f"<dd>{self.blocks(blocks)}</dd>"

    def block_Div(self, d: m.Div) -> str:
        kind = box_kind(d.classes)
        classes = " ".join(["div"] + ([f"box box-{kind}"] if kind else []) + d.classes)
        title = ""
        if kind:
            words = self.inlines(d.title) if d.title else escape(self.terms.get("boxes", {}).get(kind, ""))
            title = f'<p class="box-title">{words}</p>'
        return f'<div{_id(d)} class="{escape(classes)}">{title}{self.blocks(d.blocks)}</div>'

    # ---- inlines -----------------------------------------------------------

    def inlines(self, nodes) -> str:
        return "".join(self.inline(n) for n in nodes)

    def inline(self, n) -> str:
        html = getattr(self, "inline_" + type(n).__name__)(n)
        if self.print_mode and not isinstance(n, (m.Text, m.Emph, m.Strong, m.Superscript, m.Subscript, m.Link,
                                                  m.Cited)):
            html = self._count_unbroken(n, html)
        return html

    def _count_unbroken(self, n, html: str) -> str:
        """An inline element continues the current unbroken run (a break resets it)."""
        if isinstance(n, (m.SoftBreak, m.LineBreak)):
            self._unbroken = 0
            return html
        self._unbroken += max(1, len(plain_text([n])))
        if self._unbroken > LONG_RUN:
            self._unbroken = 0
            return ZWSP + html
        return html

    def inline_Text(self, t):
        self._last_text = t.text
        if not self.print_mode:
            return self._escaped(t.text)
        hyphenated = self._hyphens is not None and self._hyphens is not False
        asked = (t is self._hyphens, self._keep, self._allow) if hyphenated else None
        key = (id(t), t.text, asked, self._unbroken)
        made = self._texts.get(key)
        if made is not None and made[0] is t:
            self._unbroken = made[2]
            return made[1]
        text = t.text
        if hyphenated:
            text = hyphenate(text, self.language, spare_last_word=t is self._hyphens, keep=self._keep,
                             allow=self._allow)
        text, self._unbroken = break_long_runs(text, self._unbroken)
        html = self._escaped(text).replace(ZWSP, "<wbr>")
        self._texts[key] = (t, html, self._unbroken)
        return html

    def _escaped(self, text: str, quote: bool = False) -> str:
        """text as HTML; in right-to-left text, its left-to-right runs isolated."""
        if self._rtl:
            return isolated(text, lambda piece: escape(piece, quote=quote))
        return escape(text, quote=quote)

    def inline_SoftBreak(self, _):
        # A space in print: WeasyPrint breaks the line at a newline inside a footnote float.
        return " " if self.print_mode else "\n"

    def inline_LineBreak(self, _):
        return "<br>"

    def inline_Code(self, c):
        return f"<code>{escape(c.text)}</code>"

    def inline_Emph(self, e):
        return f"<em>{self.inlines(e.children)}</em>"

    def inline_Strong(self, s):
        return f"<strong>{self.inlines(s.children)}</strong>"

    def inline_Superscript(self, s):
        return f"<sup>{self.inlines(s.children)}</sup>"

    def inline_Cited(self, c):
        return self.inlines(c.children)

    def inline_Cite(self, c):
        """Resolved by the citations transform; shown as written should one ever get here."""
        return escape(c.source, quote=False)

    def inline_Subscript(self, s):
        return f"<sub>{self.inlines(s.children)}</sub>"

    def inline_Link(self, link):
        href = safe_href(link.href)     # the links transform has warned of a refused one
        if not href:
            return self.inlines(link.children)
        return f'<a href="{escape(href)}">{self.inlines(link.children)}</a>'

    inline_HeadingRef = inline_Link

    def inline_Symbol(self, s):
        return f'<a class="symbol" href="{escape(s.href)}">{self._escaped(s.symbol, True)}</a>'

    def inline_Abbr(self, a):
        return f'<abbr title="{escape(a.expansion)}">{self._escaped(a.abbr, True)}</abbr>{self._spoken_expansion(a)}'

    def inline_Gap(self, g):
        title = self.terms.get("gap_title", "") + (f": {g.reason}" if g.reason else "")
        ident = f' id="{escape(g.id)}"' if g.id else ""
        if not self.print_mode:
            return self._spoken_gap(title, ident)
        return f'<span class="gap"{ident} title="{escape(title)}">{escape(self.terms.get("gap", "[…]"))}</span>'

    def inline_Image(self, i):
        return f'<img src="{escape(self.image_url(i.src))}" alt="{escape(i.alt)}">'

    def inline_XRef(self, x):
        href = escape("#" + (x.target or x.label))
        if x.mode == "page" and self.print_mode:
            style = "front" if x.target in self.front_ids else "body"
            return f'<a class="xref page-ref {style}" href="{href}">{escape(self.terms.get("page_ref", ""))} </a>'
        return f'<a class="xref" href="{href}">{escape(wording.reference(x, self.terms))}</a>'

    def inline_FootnoteRef(self, r):
        note = self.doc.footnotes.get(r.label)
        if note is None or note.number is None:
            return ""
        number = numerals.own(note.number)
        ref_id = f"fnref-{r.label}" if r.first else ""
        if self.print_mode and r.first and not self._in_note:
            return "".join(self._print_note(n, numerals.own(n.number), guest=n is not note)
                           for n in [note, *self._guests.get(note.label, ())])
        ident = f' id="{escape(ref_id)}"' if ref_id else ""
        # print has no notes list to be described by: a second call there is its number alone
        # (and so is a call from a note's text: the note it calls follows that note's float)
        described = "" if self.print_mode else ' aria-describedby="footnotes-title"'
        return f'<a class="footnote-ref"{ident} href="#{escape(note.id)}"{described}><sup>{number}</sup></a>'

    def _print_note(self, note: m.Footnote, number: str, guest: bool = False) -> str:
        """float: footnote puts a note at the foot of the page of its call, so it is written where
        the call is: inside a <p>, which may hold only phrasing content (its blocks become spans).
        One float per block: WeasyPrint moves a float that does not fit to the next page whole,
        so a long note continues there block by block instead of running off the page. A guest
        (a note first called from a note's text) is a float of its own after its host's, with
        its number and no call in the text: floats inside floats lost notes off the page."""
        label, ident = escape(note.label), escape(note.id)
        blocks = list(note.blocks) or [m.Paragraph([], note.loc)]
        seqs = [self._next_seq() for _ in blocks]
        first = blocks[0]  # a first paragraph runs on beside the ::footnote-marker
        self._in_note = True
        try:
            if isinstance(first, m.Paragraph):
                with self.running_text(first.children, first.id):
                    body = self.inlines(first.children)
            else:
                body = as_phrasing(self.block(first))
            rest = [as_phrasing(self.block(b)) for b in blocks[1:]]
        finally:
            self._in_note = False
        kind = "footnote footnote-guest" if guest else "footnote"
        chunks = [f'<span class="{kind}" id="{ident}" data-note="{label}"'
                  f' data-number="{number}" data-seq="{seqs[0]}">{body}</span>']
        chunks += [f'<span class="footnote footnote-continued" data-note="{label}"'
                   f' data-seq="{seq}">{text}</span>' for seq, text in zip(seqs[1:], rest, strict=True)]
        return "".join(chunks)

    def _next_seq(self) -> int:
        self._note_floats += 1
        return self._note_floats

    def footnotes_section(self) -> str:
        """The web edition's notes: numbered, each with all its blocks, linking back to its first call."""
        items = []
        back_label = escape(self.terms.get("back_to_text", ""))
        for note in self.doc.footnote_order:
            back = f'<a class="footnote-back" href="#fnref-{escape(note.label)}" aria-label="{back_label}">↩</a>'
            items.append(f'<li id="{escape(note.id)}" value="{numerals.own(note.number)}">'
                         f'{self.permalink("note", note.number)}'
                         f"{self._web_note(note, back)}</li>")
        return "\n".join(items)

    def _web_note(self, note: m.Footnote, back: str) -> str:
        body = self.blocks(note.blocks)
        if body.endswith("</p>"):  # the back link ends the last paragraph, not a line of its own
            return f"{body[:-4]} {back}</p>"
        return f"{body}\n<p>{back}</p>"

    # ---- the web edition: citable anchors, and what a screen reader says ------------------

    def _web_init(self, doc: m.Document) -> None:
        self._taken = {b.id for b in document_blocks(doc)} | {n.id for n in doc.footnotes.values()}
        self._last_text = ""
        self._expanded: set[str] = set()

    def permalink(self, kind: str, number) -> str:
        """A stable anchor named as a reader cites the block (#para-12, #table-1, #note-3), on
        a link to itself that shows on hover and focus, to be copied. The id sits on the link,
        so the block keeps its own id, and an author's {#para-12} elsewhere keeps its place."""
        shown = numerals.full(number)
        anchor = f"{kind}-{shown}"
        if self.print_mode or not shown or anchor in self._taken:
            return ""
        self._taken.add(anchor)
        name = f'{self.terms.get("permalink", {}).get(kind, "")} {shown}'.strip()
        return (f'<a class="permalink" id="{escape(anchor)}" href="#{escape(anchor)}"><span aria-hidden="true">#'
                f'</span><span class="visually-hidden">{escape(name)}</span></a>')

    def _scroll_region(self, t: m.Table) -> str:
        """A table wider than a phone scrolls in its frame: keyboard users must reach it."""
        if self.print_mode:
            return ""
        name = wording.caption_label("table", t.number, self.terms)
        return f' tabindex="0" role="region" aria-label="{escape(name)}"'

    def _spoken_gap(self, title: str, ident: str = "") -> str:
        """The marker for the eye, its reason for the ear: a tooltip alone reaches neither a
        phone nor a screen reader."""
        return (f'<span class="gap"{ident} title="{escape(title)}"><span aria-hidden="true">'
                f'{escape(self.terms.get("gap", "[…]"))}</span>'
                f'<span class="visually-hidden">[{escape(title)}]</span></span>')

    def _spoken_expansion(self, a) -> str:
        """At an abbreviation's first use on the page, its expansion for screen readers (which
        do not read <abbr title>), unless the text has just spelled it out: "… Refugees (UNHCR)"."""
        if self.print_mode or a.abbr in self._expanded or not a.expansion:
            return ""
        self._expanded.add(a.abbr)
        if self._last_text.rstrip(" (（").endswith(a.expansion):
            return ""
        return f'<span class="visually-hidden"> ({escape(a.expansion)})</span>'


def _id(block) -> str:
    return f' id="{escape(block.id)}"' if block.id else ""
