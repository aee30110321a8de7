"""Text in scripts Times New Roman lacks gets a font that has them, named per run.

Word draws complex-script characters (Arabic, the Indic scripts) in the run's w:rFonts/@w:cs
font; a document mixing Malayalam and Arabic needs a different one per run, so text is cut
where its script changes. The fonts come from docx-styles.yaml's `script-fonts` (the same
faces the PDF embeds); a reader without them installed gets Word's own substitute."""
from __future__ import annotations

import re

# script → (code point ranges, written right to left)
SCRIPTS = {
    "Arabic": ("\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff", True),
    "Devanagari": ("\u0900-\u097f\ua8e0-\ua8ff", False),
    "Kannada": ("\u0c80-\u0cff", False),
    "Malayalam": ("\u0d00-\u0d7f", False),
}


def segments(text: str, fonts: dict) -> list[tuple[str, str | None, bool]]:
    """(piece, its font or None, right to left) in order; one piece when no script needs a font."""
    wanted = {name: spec for name, spec in SCRIPTS.items() if fonts.get(name)}
    if not wanted:
        return [(text, None, False)]
    pattern = _pattern(tuple(sorted(wanted)))
    out, pos = [], 0
    for match in pattern.finditer(text):
        if match.start() > pos:
            out.append((text[pos:match.start()], None, False))
        name = match.lastgroup
        out.append((match.group(), fonts[name], SCRIPTS[name][1]))
        pos = match.end()
    if pos < len(text) or not out:
        out.append((text[pos:], None, False))
    return out


_CACHE: dict = {}


def _pattern(names: tuple) -> re.Pattern:
    """Runs of one script, the spaces and marks between its words included."""
    if names not in _CACHE:
        _CACHE[names] = re.compile("|".join(
            f"(?P<{n}>[{SCRIPTS[n][0]}](?:[{SCRIPTS[n][0]}\u200c\u200d ]*[{SCRIPTS[n][0]}])?)" for n in names))
    return _CACHE[names]
