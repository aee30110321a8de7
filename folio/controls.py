"""Characters Word and XML cannot hold, and ones that only come from pasting: one pattern,
used wherever text enters folio (the source, the front matter's YAML escapes) and where XML is
written. And characters that are invisible but change what a reader sees: bidi embeddings,
overrides and isolates reorder the text around them (a heading can read differently from what
it is); zero-width characters hide inside names and labels."""
import re
import unicodedata

CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
BIDI = "\u202a-\u202e\u2066-\u2069"
ZERO_WIDTH = "\u200b-\u200d\u2060\ufeff"
# In running text of scripts that need them (Arabic, Persian, Indic), ZWJ, ZWNJ and the
# directional marks are ordinary; in a label or an abbreviation's name nothing invisible is.
INVISIBLE = re.compile(f"[{BIDI}\u200b\u2060\ufeff]|(?<=[ -~])[\u200c\u200d](?=[ -~])")
INVISIBLE_IN_NAMES = re.compile(f"[{BIDI}{ZERO_WIDTH}\u200e\u200f\u061c]")
# A message is one line: line breaks quoted from the source (an inline note '^[\r]') are shown
# as <U+000D> too, with every other control character.
SHOWN = re.compile(f"[{BIDI}{ZERO_WIDTH}\u200e\u200f\u061c\x00-\x1f\x7f-\x9f\u2028\u2029]")


def strip_controls(text: str) -> str:
    return CONTROL.sub("", text)


def invisible_characters(text: str, names: bool = False) -> list[str]:
    """'U+202E (RIGHT-TO-LEFT OVERRIDE)' for each invisible character in text, in order."""
    found = (INVISIBLE_IN_NAMES if names else INVISIBLE).findall(text)
    return [describe(c) for c in dict.fromkeys(found)]


def describe(char: str) -> str:
    return f"U+{ord(char):04X} ({unicodedata.name(char, 'unnamed')})"


def visible(text: str) -> str:
    """text with every invisible character written <U+XXXX>: safe to print on a terminal."""
    return SHOWN.sub(lambda m: f"<U+{ord(m.group()):04X}>", text) if SHOWN.search(text) else text
