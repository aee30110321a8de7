"""A report N times its size: the body chapters repeated, every label made unique."""
from __future__ import annotations

import re
from pathlib import Path

LABEL = re.compile(r"(?<=[{ ]#)(sec|para|tbl|fig)-([\w-]+)|(?<=@)(sec|para|tbl|fig)-([\w-]+)")


def scaled(text: str, times: int) -> str:
    """Front matter and front parts once; the report body `times` times over."""
    body_start = text.index("\n# ", text.index("{.front .abbreviations}"))
    defs_start = text.index("\n*[")
    head, body, defs = text[:body_start], text[body_start:defs_start], text[defs_start:]
    copies = [body] + [_relabel(body, k) for k in range(2, times + 1)]
    return head + "".join(copies) + defs


def _relabel(body: str, k: int) -> str:
    body = re.sub(r"\{[^{}]*#report[^{}]*\}", "{.unnumbered}", body)
    body = re.sub(r" number=[IVXLC]+", "", body)          # copies number on automatically
    return LABEL.sub(lambda m: f"{m.group(1) or m.group(3)}-{m.group(2) or m.group(4)}-{k}", body)


if __name__ == "__main__":
    import sys
    source, times, out = Path(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
    out.write_text(scaled(source.read_text(encoding="utf-8"), times), encoding="utf-8")
