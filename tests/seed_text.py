"""The seed report's prose, as a reader should find it in every output.

Read from the seed file itself; the only changes applied are the repairs that
source/NOTES.md lists (its "Repaired artefacts" table), so a word dropped or
invented anywhere in the pipeline makes a paragraph go missing."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "seeds" / "000_85393ee9b1ec9064.txt"
NOTES = ROOT / "source" / "NOTES.md"

HEADING = re.compile(r"^(#+\s*|\*\*)?\s*(?:(?P<num>[IVXL]+)\.\s+)?(?P<title>[A-Z][A-Z0-9 :,’'-]+?)\**$")


def _blocks() -> list[str]:
    text = SEED.read_text(encoding="utf-8")
    start = text.index("## PREFACE")  # before it: cover and title page, which are layout
    return [b.strip() for b in re.split(r"\n\s*\n", text[start:]) if b.strip()]


def _is_layout(block: str) -> bool:
    return (block in ("---", "This page is intentionally left blank", "**CONTENTS**")
            or "....." in block or "\t" in block)


def repairs() -> list[tuple[str, str]]:
    """(seed text, what the reader sees) rows of NOTES.md's repaired-artefacts table."""
    section = NOTES.read_text(encoding="utf-8").split("## Repaired artefacts", 1)[1]
    rows = re.findall(r"^\| `([^`]+)` \| `([^`]+)` \|", section, flags=re.M)
    # Heading rows (capitals, heading level) are checked by headings(), not as prose.
    return [(seed, shown) for seed, shown in rows
            if not seed.startswith("#") and not (seed.isupper() and "/" not in seed)]


def headings() -> list[tuple[str, str]]:
    """(number, title) of every heading in the seed's report, e.g. ("II", "IMPLEMENTING …")."""
    found = []
    for block in _blocks():
        line = block.replace("**", "").strip()
        if "\n" in line or _is_layout(block):
            continue
        match = HEADING.match(line)
        if match and (line.startswith("#") or match.group("num")):
            found.append((match.group("num") or "", match.group("title").strip()))
    return found


def seed_paragraphs() -> list[str]:
    """Every paragraph of prose, with the NOTES.md repairs applied, normalised."""
    heading_lines = {t for _, t in headings()}
    out = []
    for block in _blocks():
        plain = block.replace("**", "").lstrip("# ").strip()
        if _is_layout(block) or any(plain.endswith(t) for t in heading_lines):
            continue
        for seed, shown in repairs():
            block = block.replace(seed, shown)
        out.append(normalise(block))
    return out


def normalise(text: str) -> str:
    """Compare words, not typography: quotes, line breaks, auto-hyphens and spaces."""
    text = re.sub("[\u2010\u00ad]\\s*\n?", "", text)           # hyphenation at line ends
    text = re.sub("[’‘′]", "'", text)
    text = re.sub("[“”]", '"', text)
    text = re.sub(r"\s+", " ", text)
    return text.strip()
