"""The plain text of inline nodes, as a reader sees it."""
from __future__ import annotations

from . import nodes as m


def plain_text(nodes) -> str:
    out = []
    for node in nodes:
        if isinstance(node, m.Text):
            out.append(node.text)
        elif isinstance(node, (m.SoftBreak, m.LineBreak)):
            out.append(" ")
        elif isinstance(node, (m.Code,)):
            out.append(node.text)
        elif isinstance(node, (m.Emph, m.Strong, m.Link)):
            out.append(plain_text(node.children))
        elif isinstance(node, m.Symbol):
            out.append(node.symbol)
        elif isinstance(node, m.Abbr):
            out.append(node.abbr)
        elif isinstance(node, m.Gap):
            out.append("[…]")
        elif isinstance(node, m.XRef):
            out.append(node.text)
    return "".join(out).strip()
