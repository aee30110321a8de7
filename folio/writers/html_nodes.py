"""Model nodes → HTML fragments. Shared by the web edition and the print (PDF) edition,
which differ only in where footnotes go and how page references show."""
from __future__ import annotations

from html import escape

from .. import model as m
from ..links import safe_href
from ..model.text import plain_text
from .phrasing import as_phrasing


class HtmlNodes:
    def __init__(self, doc: m.Document, print_mode: bool, image_url):
        self.doc = doc
        self.print_mode = print_mode
        self.image_url = image_url       # src in the source → URL in the output
        self.front_ids = {b.id for p in doc.parts if p.front for b in [p.heading] + p.blocks
                          if getattr(b, "id", "")}
        self._ref_counts: dict[str, int] = {}
        self._note_floats = 0            # print: every note float's rank in call order

    # ---- blocks ------------------------------------------------------------

    def blocks(self, blocks) -> str:
        return "\n".join(self.block(b) for b in blocks)

    def block(self, b) -> str:
        return getattr(self, "block_" + type(b).__name__)(b)

    def block_Heading(self, h: m.Heading) -> str:
        tag = f"h{min(h.level + 1, 6)}"
        number = f'<span class="number">{escape(h.number)}.</span> ' if h.number else ""
        classes = " ".join([h.kind] + [c for c in h.classes if c not in ("front",)])
        return f'<{tag} id="{escape(h.id)}" class="{escape(classes)}">{number}{self.inlines(h.children)}</{tag}>'

    def block_Paragraph(self, p: m.Paragraph) -> str:
        ident = f' id="{escape(p.id)}"' if p.id else ""
        if p.number:
            # The space sits inside the number's box, where print's fixed width absorbs it.
            return (f'<p class="numbered"{ident}><span class="para-number">{p.number}. </span>'
                    f"{self.inlines(p.children)}</p>")
        return f"<p{ident}>{self.inlines(p.children)}</p>"

    def block_GapBlock(self, g: m.GapBlock) -> str:
        return f'<p class="gap-block">{self.inline_Gap(g.gap)}</p>'

    def block_ListBlock(self, lst: m.ListBlock) -> str:
        tag = "ol" if lst.ordered else "ul"
        start = f' start="{lst.start}"' if lst.ordered and lst.start != 1 else ""
        items = "".join(f"<li>{self._item(i)}</li>" for i in lst.items)
        return f"<{tag}{start}>{items}</{tag}>"

    def _item(self, item: m.ListItem) -> str:
        # A tight list item is one paragraph: show its text without the <p>.
        if len(item.blocks) == 1 and isinstance(item.blocks[0], m.Paragraph) and not item.blocks[0].id:
            return self.inlines(item.blocks[0].children)
        return self.blocks(item.blocks)

    def block_BlockQuote(self, q: m.BlockQuote) -> str:
        return f"<blockquote>{self.blocks(q.blocks)}</blockquote>"

    def block_CodeBlock(self, c: m.CodeBlock) -> str:
        return f"<pre><code>{escape(c.text)}</code></pre>"

    def block_Rule(self, r: m.Rule) -> str:
        return "<hr>"

    def block_Table(self, t: m.Table) -> str:
        ident = f' id="{escape(t.id)}"' if t.id else ""
        caption = ""
        if t.number or t.caption:
            caption = (f'<caption><span class="label">Table {t.number}</span>'
                       f'<span class="caption-text">{self.inlines(t.caption)}</span></caption>')
        head = "".join(f"<tr>{''.join(self._cell('th', c) for c in row)}</tr>" for row in t.head)
        body = "".join(f"<tr>{''.join(self._cell('td', c) for c in row)}</tr>" for row in t.body)
        return (f'<div class="table-wrap"><table{ident}>{caption}<thead>{head}</thead>'
                f"<tbody>{body}</tbody></table></div>")

    def _cell(self, tag: str, cell: m.TableCell) -> str:
        align = f' class="align-{cell.align}"' if cell.align else ""
        return f"<{tag}{align}>{self.inlines(cell.children)}</{tag}>"

    def block_Figure(self, f: m.Figure) -> str:
        ident = f' id="{escape(f.id)}"' if f.id else ""
        alt = escape(plain_text(f.caption))
        return (f'<figure{ident}><img src="{escape(self.image_url(f.src))}" alt="{alt}">'
                f'<figcaption><span class="label">Figure {f.number}</span> '
                f"{self.inlines(f.caption)}</figcaption></figure>")

    # ---- inlines -----------------------------------------------------------

    def inlines(self, nodes) -> str:
        return "".join(self.inline(n) for n in nodes)

    def inline(self, n) -> str:
        return getattr(self, "inline_" + type(n).__name__)(n)

    def inline_Text(self, t):
        return escape(t.text, quote=False)

    def inline_SoftBreak(self, _):
        return "\n"

    def inline_LineBreak(self, _):
        return "<br>"

    def inline_Code(self, c):
        return f"<code>{escape(c.text)}</code>"

    def inline_Emph(self, e):
        return f"<em>{self.inlines(e.children)}</em>"

    def inline_Strong(self, s):
        return f"<strong>{self.inlines(s.children)}</strong>"

    def inline_Link(self, link):
        return f'<a href="{escape(safe_href(link.href))}">{self.inlines(link.children)}</a>'

    def inline_Symbol(self, s):
        return f'<a class="symbol" href="{escape(s.href)}">{escape(s.symbol)}</a>'

    def inline_Abbr(self, a):
        return f'<abbr title="{escape(a.expansion)}">{escape(a.abbr)}</abbr>'

    def inline_Gap(self, g):
        title = "Text missing in the source" + (f": {g.reason}" if g.reason else "")
        return f'<span class="gap" title="{escape(title)}">[…]</span>'

    def inline_Image(self, i):
        return f'<img src="{escape(self.image_url(i.src))}" alt="{escape(i.alt)}">'

    def inline_XRef(self, x):
        href = escape("#" + x.label)
        if x.mode == "page" and self.print_mode:
            style = "front" if x.label in self.front_ids else "body"
            return f'<a class="xref page-ref {style}" href="{href}">page </a>'
        text = x.text or (self._target_title(x.label))
        return f'<a class="xref" href="{href}">{escape(text)}</a>'

    def _target_title(self, label: str) -> str:
        for entry in self.doc.contents:
            if entry.target == label:
                return entry.title
        return label

    def inline_FootnoteRef(self, r):
        note = self.doc.footnotes.get(r.label)
        if note is None or not note.number:
            return ""
        count = self._ref_counts[r.label] = self._ref_counts.get(r.label, 0) + 1
        ref_id = f"fnref-{r.label}" + (f"-{count}" if count > 1 else "")
        if self.print_mode and count == 1:
            return self._print_note(note)
        if self.print_mode:  # a second call: the number alone
            return f'<a class="footnote-ref" href="#fn-{escape(r.label)}"><sup>{note.number}</sup></a>'
        target = f"#fn-{r.label}"
        return (f'<a class="footnote-ref" id="{escape(ref_id)}" href="{escape(target)}"'
                f' aria-describedby="footnotes-title"><sup>{note.number}</sup></a>')

    def _print_note(self, note: m.Footnote) -> str:
        """float: footnote puts a note at the foot of the page of its call, so it is written where
        the call is: inside a <p>, which may hold only phrasing content (its blocks become spans).
        One float per block: WeasyPrint moves a float that does not fit to the next page whole,
        so a long note continues there block by block instead of running off the page."""
        label = escape(note.label)
        blocks = list(note.blocks) or [m.Paragraph([], note.loc)]
        seqs = [self._next_seq() for _ in blocks]  # before the content: a note in a note follows
        first = blocks[0]  # a first paragraph runs on beside the ::footnote-marker
        body = self.inlines(first.children) if isinstance(first, m.Paragraph) else \
            as_phrasing(self.block(first))
        chunks = [f'<span class="footnote" id="fn-{label}" data-note="{label}"'
                  f' data-number="{note.number}" data-seq="{seqs[0]}">{body}</span>']
        chunks += [f'<span class="footnote footnote-continued" data-note="{label}"'
                   f' data-seq="{seq}">{as_phrasing(self.block(b))}</span>'
                   for seq, b in zip(seqs[1:], blocks[1:], strict=True)]
        return "".join(chunks)

    def _next_seq(self) -> int:
        self._note_floats += 1
        return self._note_floats

    def footnotes_section(self) -> str:
        """The web edition's notes: numbered, each with all its blocks, linking back to its first call."""
        items = []
        for note in self.doc.footnote_order:
            back = f'<a class="footnote-back" href="#fnref-{escape(note.label)}" aria-label="Back to text">↩</a>'
            items.append(f'<li id="fn-{escape(note.label)}" value="{note.number}">'
                         f"{self._web_note(note, back)}</li>")
        return "\n".join(items)

    def _web_note(self, note: m.Footnote, back: str) -> str:
        body = self.blocks(note.blocks)
        if body.endswith("</p>"):  # the back link ends the last paragraph, not a line of its own
            return f"{body[:-4]} {back}</p>"
        return f"{body}\n<p>{back}</p>"
