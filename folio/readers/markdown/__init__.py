"""Read a source file into a Document: decode, clean, tokenize, convert."""
from __future__ import annotations

import re
from pathlib import Path

from ... import model as m
from ...config import close_front_matter, read_front_matter, validate
from ...controls import CONTROL
from ...diagnostics import Kind, Location, Reporter
from ...inputs import read_input
from .markdown import markdown
from .to_model import ToModel

FOOTNOTE_DEFINITION = re.compile(r"^ {0,3}\[\^([^\]\n]+)\]:", re.M)


def read_text(path: Path, shown: str, reporter: Reporter) -> str:
    data = read_input(path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        reporter.error(Location(shown, line), f"not UTF-8 text: byte 0x{data[exc.start]:02x}"
                       f" at offset {exc.start}; save the file as UTF-8", Kind.ENCODING)
        text = data.decode("utf-8", errors="replace")
    return clean_controls(text, shown, reporter)


def clean_controls(text: str, shown: str, reporter: Reporter) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    line, counted = 1, 0  # lines counted on from the last match: a count from 0 each time is n²
    for match in CONTROL.finditer(text):
        line += text.count("\n", counted, match.start())
        counted = match.start()
        reporter.warning(Location(shown, line), f"control character U+{ord(match.group()):04X}"
                         " removed", Kind.CONTROL_CHAR)
    return CONTROL.sub("", text)


def parse_text(text: str, shown: str, reporter: Reporter) -> m.Document:
    env: dict = {}
    text = close_front_matter(text, shown, reporter)
    tokens = markdown().parse(text, env)
    converter = ToModel(shown, reporter, text, env)
    blocks = converter.blocks(tokens)
    _warn_uncalled_footnotes(text, env, converter.footnotes, shown, reporter)
    if converter.front_matter:
        meta = read_front_matter(*converter.front_matter, reporter)
    else:
        meta = validate({}, Location(shown, 1), {}, reporter)
    reporter.silence(meta["ignore"])  # kinds the document itself accepts
    if not blocks:
        reporter.error(Location(shown, 1), "the document has no text", Kind.SYNTAX)
    return m.Document(meta=meta, source=shown, blocks=blocks, footnotes=converter.footnotes,
                      abbreviations={**converter.html_abbreviations, **converter.abbreviations}, text=text)


def _warn_uncalled_footnotes(text, env, defined, shown, reporter) -> None:
    """markdown-it drops a footnote that is never called; say so instead of losing it."""
    uncalled = [key[1:] for key in env.get("footnotes", {}).get("refs", {})  # stored as ":label"
                if key[1:] not in defined]
    lines = _definition_lines(text) if uncalled else {}
    for label in uncalled:
        reporter.warning(Location(shown, lines.get(label, 0)), f"footnote '[^{label}]' is never called",
                         Kind.FOOTNOTE_UNKNOWN)


def _definition_lines(text: str) -> dict[str, int]:
    """label → line of its first '[^label]:', in one pass (a search per label was n²)."""
    lines, line, counted = {}, 1, 0
    for match in FOOTNOTE_DEFINITION.finditer(text):
        line += text.count("\n", counted, match.start())
        counted = match.start()
        lines.setdefault(match.group(1), line)
    return lines


def parse_file(path: Path, shown: str, reporter: Reporter) -> m.Document:
    doc = parse_text(read_text(path, shown, reporter), shown, reporter)
    doc.base_dir = str(path.parent)
    return doc
