"""A report whose chapters run on (`chapter-opening: continue`), written for the tests of the
chunks cut where its pages begin blocks (tests/test_chunked_runon.py): plain paragraphs of
varied length, a few notes and a table, made from a fixed word list with a fixed seed."""
from __future__ import annotations

import random

WORDS = ("committee delegation programme secretariat procedure assessment resolution document "
         "meeting session member regional national review budget report draft agenda item "
         "question proposal framework strategy support capacity cooperation development "
         "implementation consultation coordination recommendation participation transparency "
         "the of and to in for on with by was were had that its their this which from").split()


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 22))]
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random, chapter: int, number: int) -> str:
    text = " ".join(sentence(rng) for _ in range(rng.randint(3, 9)))
    if number % 4 == 2:
        text += f" The item was noted.[^n{chapter}-{number}]\n\n[^n{chapter}-{number}]: " + sentence(rng)
    return text


TABLE = """| Region | Sessions | Reports |
|---|---|---|
| Africa | 4 | 12 |
| Asia and the Pacific | 3 | 9 |
| Europe | 5 | 14 |

Table: Sessions held by region {#tbl-sessions}"""


def runon(chapters: int = 6, paragraphs: int = 10, seed: int = 7) -> str:
    rng = random.Random(seed)
    parts = ["---\ntitle: Report of the committee on procedure\nshort-title: Procedure\nyear: 2026\n"
             "chapter-opening: continue\npdf-layout: chunked\n---\n"]
    for c in range(1, chapters + 1):
        parts.append(f"# Chapter {c} of the proceedings" + (" {.unnumbered #report}" if c == 1 else ""))
        for n in range(1, paragraphs + 1):
            parts.append(paragraph(rng, c, n))
            if c == 3 and n == 5:
                parts.append(TABLE)
    return "\n\n".join(parts) + "\n"
