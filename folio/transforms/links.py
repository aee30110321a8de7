"""Links the editions may carry, checked once for all of them (folio.links has the allow-list):
a refused link is a located warning, and its text stays in the document without the link."""
from __future__ import annotations

from pathlib import Path

from .. import model as m
from ..diagnostics import Kind, Reporter
from ..links import refusal
from ..model.walk import document_blocks, inline_lists, iter_inlines


def check_links(doc: m.Document, reporter: Reporter) -> None:
    root = Path(doc.root) if doc.root is not None else None
    base = Path(doc.base_dir or doc.root) if root is not None else None
    for block in document_blocks(doc):
        for nodes in inline_lists(block):
            for node in iter_inlines(nodes):
                if isinstance(node, m.Link) and not isinstance(node, m.HeadingRef):
                    why = refusal(node.href, base, root)
                    if why:
                        reporter.warning(node.loc if node.loc.line else block.loc,
                                         f"link to '{node.href[:80]}' {why}: its text is kept, without the link",
                                         Kind.LINK)
                        node.href = ""
