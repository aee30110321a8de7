"""The ids of the paragraphs folio writes, as the source map names them: a block's id for its
first paragraph, `#1`, `#2` … after it for its further ones (a table's cells, a figure's
caption, a definition list's terms)."""
from __future__ import annotations


def paragraph_id(block_id: str, index: int) -> str:
    """The id of a block's index-th paragraph."""
    return block_id if index == 0 else f"{block_id}#{index}"
