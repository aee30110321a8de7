"""The plain text of inline nodes and blocks.

`plain_text` is what a reader sees; a cross-reference shows what `xref` makes of it (the
writers pass folio.i18n's wording), else its label. `block_text` is the text a block's
stable id is derived from: what the author wrote, never a number folio computed, so that
renumbering never changes an id."""
from __future__ import annotations

from . import nodes as m
from .walk import inline_lists, iter_blocks

GAP_MARK = "[…]"


def plain_text(nodes, xref=None, gap: str = GAP_MARK) -> str:
    out: list[str] = []
    _collect(nodes, out, xref or (lambda node: node.label), gap)
    return "".join(out).strip()


def _collect(nodes, out: list, xref, gap: str) -> None:
    for node in nodes:
        if isinstance(node, (m.Text, m.Code)):
            out.append(node.text)
        elif isinstance(node, (m.SoftBreak, m.LineBreak)):
            out.append(" ")
        elif isinstance(node, (m.Emph, m.Strong, m.Superscript, m.Subscript, m.Link, m.Cited)):
            _collect(node.children, out, xref, gap)
        elif isinstance(node, m.Symbol):
            out.append(node.symbol)
        elif isinstance(node, m.Abbr):
            out.append(node.abbr)
        elif isinstance(node, m.Gap):
            out.append(gap)
        elif isinstance(node, m.XRef):
            out.append(xref(node))


def source_text(nodes) -> str:
    """The inline text as the author wrote it: references, notes and gaps as markup."""
    out: list[str] = []
    for node in nodes:
        if isinstance(node, m.Cited):
            out.append(node.source)
        elif isinstance(node, (m.Emph, m.Strong, m.Superscript, m.Subscript, m.Link)):
            out.append(source_text(node.children))
        elif isinstance(node, m.XRef):
            out.append(f"@{node.label}")
        elif isinstance(node, m.FootnoteRef):
            out.append(f"[^{node.label}]")
        elif isinstance(node, m.Gap):
            out.append("{gap: " + node.reason + "}")
        elif isinstance(node, m.Image):
            out.append(f"![{node.alt}]({node.src})")
        else:
            _collect([node], out, lambda x: "", GAP_MARK)
    return "".join(out)


def block_text(block) -> str:
    """Everything a block says, as the author wrote it (nested blocks and cells included)."""
    parts = []
    for inner in iter_blocks([block]):
        parts += [source_text(nodes) for nodes in inline_lists(inner)]
        if isinstance(inner, m.CodeBlock):
            parts.append(inner.text)
        elif isinstance(inner, m.GapBlock):
            parts.append("{gap: " + inner.gap.reason + "}")
        elif isinstance(inner, m.Figure):
            parts.append(inner.src)
    return " ".join(p for p in parts if p)


def is_lost(heading) -> bool:
    """A heading that is only a gap (`# {gap: chapters III and IV missing from the source}`): a part whose
    title, and perhaps whole text, the source has lost."""
    shown = [n for n in heading.children if not (isinstance(n, m.Text) and not n.text.strip())]
    return bool(shown) and all(isinstance(n, m.Gap) for n in shown)
