"""What keeps a correction's PDF cheap without changing a byte: the printer's edition's colour
conversion kept between builds (folio.writers.pdf.editions.Memo), and the test that tells a
layout worker a chunk's PDF will not be used (folio.writers.pdf.chunked.asks_more), and a
hyphenation round laid out ahead (folio/layout/chunked/route.py, _speculate): the same bytes."""
from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pikepdf
import pytest
from chunked_pdf import RUNON, RUNON_ENV, runon_clean
from conftest import ROOT, run_folio

from folio.writers.pdf import editions
from folio.writers.pdf.chunked import asks_more

PROFILE = ROOT / "styles" / "color" / "FOGRA39-coated.icc"


def _pdf(pages: list[bytes]) -> bytes:
    """A PDF whose pages draw the given content streams."""
    pdf = pikepdf.new()
    for content in pages:
        pdf.add_blank_page(page_size=(200, 200))
        pdf.pages[-1].obj.Contents = pdf.make_stream(content)
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True)   # the instance id is the input's digest: the same bytes each call
    return out.getvalue()


def _operators(data: bytes) -> list:
    """Each page's operators, with their operands where they set a colour."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return [[(str(op), [float(v) for v in operands] if str(op) in COLOURS else [])
                 for operands, op in pikepdf.parse_content_stream(page)] for page in pdf.pages]


COLOURS = ("k", "K", "rg", "RG", "g", "G")


def _print(data: bytes, memo: Path | None) -> bytes:
    settings = editions.PrintSettings(PROFILE, "FOGRA39", identity="memo test")
    return editions.for_print(data, settings, ["1", "2", "3"], memo=memo)


PAGES = [b"1 0 0 rg 0 0 10 10 re f", b"0.5 g BT /F1 9 Tf (x) Tj ET 0 0 1 RG 0 0 m 5 5 l S", b"0 0 10 10 re f"]


def test_the_kept_conversion_gives_the_same_printers_edition(tmp_path):
    data = _pdf(PAGES)
    plain = _print(data, None)
    memo = tmp_path / "cmyk.bin"
    first = _print(data, memo)
    assert memo.exists() and memo.stat().st_size > 0
    second = _print(data, memo)                 # every stream from the memo
    assert plain == first == second
    ops = _operators(second)
    assert ("k", [0.0, 1.0, 1.0, 0.0]) in ops[0]            # red fill as CMYK
    assert ("K", [1.0, 1.0, 0.0, 0.0]) in ops[1]            # blue stroke as CMYK
    assert not any(op in ("rg", "RG") for page in ops for op, _ in page)


def test_a_changed_page_is_converted_and_the_others_kept(tmp_path):
    memo = tmp_path / "cmyk.bin"
    _print(_pdf(PAGES), memo)
    changed = [PAGES[0], b"0 1 0 rg 0 0 10 10 re f", PAGES[2]]
    assert _print(_pdf(changed), memo) == _print(_pdf(changed), None)
    assert ("k", [1.0, 0.0, 1.0, 0.0]) in _operators(_print(_pdf(changed), memo))[1]


def test_a_damaged_memo_is_converted_again(tmp_path):
    memo = tmp_path / "cmyk.bin"
    data = _pdf(PAGES)
    _print(data, memo)
    memo.write_bytes(memo.read_bytes()[:-7])     # cut short
    assert _print(data, memo) == _print(data, None)
    memo.write_bytes(b"not a memo")
    assert _print(data, memo) == _print(data, None)


def test_a_chunk_asks_more_only_for_hints_it_was_not_given():
    asked = {"keep": {"p-1": ["reconstruction"]}, "allow": {"p-2": ["plan"]}, "lost": []}
    assert asks_more(asked, {}, {})
    assert asks_more(asked, {"p-1": ["reconstruction"]}, {})
    assert not asks_more(asked, {"p-1": ["reconstruction"]}, {"p-2": ["plan", "team"]})
    assert not asks_more({"keep": {}, "allow": {}, "lost": []}, {}, {})
    assert not asks_more(None, {}, {})
    # a chunk that begins on a left-hand page, laid out as if on a right-hand one: its lines
    # ask what they ask of the sides they print on ("flipped")
    sided = {"keep": {}, "allow": {}, "flipped": {"keep": {"p-3": ["transformation"]}, "allow": {}}}
    assert asks_more(sided, {}, {}, flipped=True) and not asks_more(sided, {}, {}, flipped=False)


# ---- a round laid out ahead (slow: lays out a 14-page report whose chapters run on) ----------

OUTPUTS = ("doc.pdf", "doc-print.pdf", ".folio/pagemap.json")
CHUNKS = Path("build") / ".folio" / "chunks"


@pytest.fixture(scope="module")
def runon_built(built_once) -> Path:
    """The run-on report built once from nothing: test_chunked_runon.py's build, shared."""
    with pytest.MonkeyPatch.context() as patch:
        for key, value in RUNON_ENV.items():       # the corrected builds are made as it was
            patch.setenv(key, value)
        yield runon_clean(built_once, *RUNON)


def _build(source: Path) -> dict:
    run = run_folio("build", source, "-f", "pdf")
    assert run.returncode == 0, run.stderr
    assert "[layout]" not in run.stderr, run.stderr      # the chunked route settled, no fallback
    return json.loads((source.parent.parent / CHUNKS / "last-run.json").read_text(encoding="utf-8"))


def _corrected(built: Path, where: Path, guess: bool) -> tuple[dict, dict]:
    """A copy of the built folder with a one-word correction in chapter 2, built again (without
    the last build's rounds where `guess` is False: nothing to guess); its record and outputs."""
    shutil.copytree(built.parent.parent, where)
    if not guess:
        (where / CHUNKS / "rounds.json").unlink()
    source = where / "source" / "doc.md"
    text = source.read_text(encoding="utf-8")
    start = text.index("# Chapter 2 of")
    head = [p for p in text[start:].split("\n\n")[1:] if p and p[0].isalpha()][4][:40]
    source.write_text(text.replace(head, head.replace(" ", " able ", 1), 1), encoding="utf-8")
    run = _build(source)
    return run, {name: (where / "build" / name).read_bytes() for name in OUTPUTS}


@pytest.mark.slow
def test_a_round_laid_out_ahead_gives_the_same_bytes(runon_built, tmp_path):
    assert len(json.loads((runon_built.parent.parent / CHUNKS / "rounds.json").read_text())["flow"]) > 1
    guessed, mine = _corrected(runon_built, tmp_path / "guessed", guess=True)
    plain, theirs = _corrected(runon_built, tmp_path / "plain", guess=False)
    assert guessed["ahead taken"] >= 1, guessed           # a round took a layout made ahead
    assert plain["laid out ahead"] == 0, plain
    for name in OUTPUTS:
        assert mine[name] == theirs[name], name
    assert guessed["laid out"] == plain["laid out"]       # the same chunks in the file laid out
