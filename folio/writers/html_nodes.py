"""Model nodes → HTML fragments. Shared by the web edition and the print (PDF) edition,
which differ only in where footnotes go and how page references show."""
from __future__ import annotations

import re
from html import escape

from .. import model as m
from ..links import safe_href
from ..model.text import plain_text

# In print, a run of more than LONG_RUN characters with no break opportunity (across text and
# inline elements alike) gets one (U+200B) every BREAK_EVERY characters. WeasyPrint re-reads
# the rest of such a run for every word or element in it when it breaks a line (`A.` or
# `x[^a]` repeated thousands of times was quadratic, minutes at 4,000), and the run ran off
# the page. No word of a real text comes near that length.
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


class HtmlNodes:
    def __init__(self, doc: m.Document, print_mode: bool, image_url):
        self.doc = doc
        self.print_mode = print_mode
        self.image_url = image_url       # src in the source → URL in the output
        self.front_ids = {b.id for p in doc.parts if p.front for b in [p.heading] + p.blocks
                          if getattr(b, "id", "")}
        self._ref_counts: dict[str, int] = {}
        self._unbroken = 0               # print: characters since the last break opportunity

    # ---- blocks ------------------------------------------------------------

    def blocks(self, blocks) -> str:
        return "\n".join(self.block(b) for b in blocks)

    def block(self, b) -> str:
        self._unbroken = 0
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
        html = getattr(self, "inline_" + type(n).__name__)(n)
        if self.print_mode and not isinstance(n, (m.Text, m.Emph, m.Strong, m.Link)):
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
        if not self.print_mode:
            return escape(t.text, quote=False)
        text, self._unbroken = break_long_runs(t.text, self._unbroken)
        return escape(text, quote=False)

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
            # float: footnote puts the body at the foot of the page of the call.
            return (f'<span class="footnote" id="fn-{escape(r.label)}">'
                    f"{self._footnote_body(note)}</span>")
        target = f"#fn-{r.label}"
        return (f'<a class="footnote-ref" id="{escape(ref_id)}" href="{escape(target)}"'
                f' aria-describedby="footnotes-title"><sup>{note.number}</sup></a>')

    def _footnote_body(self, note: m.Footnote) -> str:
        parts = []
        for b in note.blocks:
            parts.append(self.inlines(b.children) if isinstance(b, m.Paragraph) else self.block(b))
        return " ".join(parts)

    def footnotes_section(self) -> str:
        """The web edition's notes: numbered, each linking back to its first call."""
        items = []
        for note in self.doc.footnote_order:
            back = f'<a class="footnote-back" href="#fnref-{escape(note.label)}" aria-label="Back to text">↩</a>'
            items.append(f'<li id="fn-{escape(note.label)}" value="{note.number}">'
                         f"{self._footnote_body(note)} {back}</li>")
        return "\n".join(items)

