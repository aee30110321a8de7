"""Spans: where in the source each block and inline node came from.

markdown-it gives blocks their lines (`token.map`) and inline tokens nothing. An inline
token's place is found by walking its block's inline content with a cursor that only moves
forward, looking for each token's text in a bounded window: linear on any input, exact for
folio's own constructs (their plugins record where they matched), and close for the rest
(smart quotes, escapes and entities change the text markdown-it hands over)."""
from __future__ import annotations

from bisect import bisect_right

from ...diagnostics import Location

# Typographic quotes markdown-it makes from straight ones: compared as one character.
_QUOTES = str.maketrans({c: "'" for c in "‘’“”\"«»"})
WINDOW = 256  # how far past the cursor a token's text is looked for


class SourceText:
    """The cleaned source text with its line starts, for offsets ↔ lines."""

    def __init__(self, path: str, text: str):
        self.path = path
        self.text = text
        self.starts = [0]
        position = text.find("\n")
        while position >= 0:
            self.starts.append(position + 1)
            position = text.find("\n", position + 1)

    def line_text(self, index: int) -> str:
        """The 0-based line `index`, without its newline."""
        if index >= len(self.starts):
            return ""
        end = self.starts[index + 1] - 1 if index + 1 < len(self.starts) else len(self.text)
        return self.text[self.starts[index]:end]

    def block(self, first: int, last: int) -> Location:
        """Lines [first, last) 0-based, as markdown-it maps a block."""
        last = max(last, first + 1)
        start = self.starts[first] if first < len(self.starts) else len(self.text)
        end = self.starts[last] - 1 if last < len(self.starts) else len(self.text)
        return Location(self.path, first + 1, last, 1, start, max(start, end))

    def at(self, start: int, end: int) -> Location:
        line = bisect_right(self.starts, start) - 1
        end_line = bisect_right(self.starts, max(start, end - 1)) - 1
        return Location(self.path, line + 1, end_line + 1, start - self.starts[line] + 1, start, end)


class InlineCursor:
    """Maps positions in one inline token's content to offsets in the source."""

    def __init__(self, source: SourceText, content: str, first_line: int):
        self.source = source
        self.content = content
        self.norm = content.translate(_QUOTES)
        self.pos = 0
        # Each content line is its source line with the block's prefix (indentation, '>',
        # a list marker, '#') taken off: record where each one starts in the source.
        self.line_starts: list[int] = []   # offsets in content
        self.bases: list[int] = []         # the matching offsets in the source
        offset = 0
        for i, piece in enumerate(content.split("\n")):
            src = source.line_text(first_line + i)
            tail = len(src.rstrip()) - len(piece.rstrip())
            column = tail if tail >= 0 and src.rstrip().endswith(piece.rstrip()) else max(0, src.find(piece))
            self.line_starts.append(offset)
            line_start = source.starts[first_line + i] if first_line + i < len(source.starts) else len(source.text)
            self.bases.append(line_start + column)
            offset += len(piece) + 1

    def source_offset(self, pos: int) -> int:
        k = bisect_right(self.line_starts, pos) - 1
        return self.bases[k] + (pos - self.line_starts[k])

    def find(self, needle: str, reach: int = 0) -> tuple[int, int]:
        """Content positions of needle at or after the cursor (within `reach` + a bounded
        window), moving the cursor past it; the cursor's own position, empty, if not there."""
        if needle:
            window_end = self.pos + len(needle) + WINDOW + reach
            found = self.norm.find(needle.translate(_QUOTES), self.pos, window_end)
            if found >= 0:
                self.pos = found + len(needle)
                return found, self.pos
        return self.pos, self.pos

    def skip_to(self, pos: int) -> None:
        self.pos = max(self.pos, min(pos, len(self.content)))

    def span(self, start: int, end: int) -> Location:
        return self.source.at(self.source_offset(start), self.source_offset(end) if end > start
                              else self.source_offset(start))
