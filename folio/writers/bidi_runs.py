"""Left-to-right runs inside right-to-left text (Arabic), isolated so that they keep their order.

In an Arabic paragraph the Unicode bidi algorithm reads a number written with a space between
its groups ("1 200", as UN documents write thousands) as two numbers set right to left: the
reader sees "200 1". A Latin name or symbol (IOM, A/RES/70/1, New York) beside a number or a
parenthesis can be reordered the same way. Each such run is wrapped in <bdi dir="ltr">: a
browser and WeasyPrint lay it out left to right as one piece, its neighbours taking no part.
The direction is explicit because WeasyPrint does not resolve dir=auto (a <bdi> alone took the
paragraph's direction and reversed "1 200" all the same)."""
from __future__ import annotations

import re

_LATIN = "A-Za-z\u00c0-\u024f"
_PART = f"[{_LATIN}0-9\u00ad\u200b]"         # soft hyphens and break chances print may insert
_SYMBOL = f"[{_LATIN}]{_PART}*(?:[./:\\-?=&%_#~@+]+{_PART}+|[ ]+[{_LATIN}]{_PART}*)*"
_GROUPED = "(?<![0-9])[0-9]{1,3}(?:[ \u00a0\u202f][0-9]{3})+(?![0-9])"
RUN = re.compile(f"{_GROUPED}|{_SYMBOL}")


def ltr_runs(text: str) -> list[tuple[str, bool]]:
    """text cut into (piece, whether it is a left-to-right run to isolate), in order."""
    pieces, at = [], 0
    for match in RUN.finditer(text):
        if match.start() > at:
            pieces.append((text[at:match.start()], False))
        pieces.append((match.group(), True))
        at = match.end()
    if at < len(text):
        pieces.append((text[at:], False))
    return pieces


def isolated(text: str, escape) -> str:
    """text as HTML (each piece through escape), its left-to-right runs in <bdi dir="ltr">."""
    return "".join(f'<bdi dir="ltr">{escape(piece)}</bdi>' if ltr else escape(piece)
                   for piece, ltr in ltr_runs(text))
