"""Characters Word and XML cannot hold, and ones that only come from pasting: one pattern,
used wherever text enters folio (the source, the front matter's YAML escapes) and where XML is
written."""
import re

CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def strip_controls(text: str) -> str:
    return CONTROL.sub("", text)
