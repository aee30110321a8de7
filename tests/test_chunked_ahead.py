"""A correction's hyphenation rounds make and split each revision's print HTML once: a round
laid out ahead (folio/layout/chunked/route.py, _speculate) made the page the revision after it
has, and that revision takes it (route.Splits; the writer's guess, pdf/chunked.py). That it
gives the same bytes is tests/test_chunked_fix.py's business."""
from __future__ import annotations

import json
import shutil

import pytest
from conftest import ROOT, run_folio
from runon_text import runon

CHUNKS = ("build", ".folio", "chunks")


def _build(source) -> dict:
    run = run_folio("build", source, "-f", "pdf")
    assert run.returncode == 0, run.stderr
    assert "[layout]" not in run.stderr, run.stderr      # the chunked route settled, no fallback
    return json.loads(source.parent.parent.joinpath(*CHUNKS, "last-run.json").read_text(encoding="utf-8"))


@pytest.mark.slow
def test_a_revision_guessed_right_is_split_once(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.setenv("FOLIO_CUT_SHARE", "0.7")
    for folder in ("templates", "styles"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    (tmp_path / "source").mkdir()
    source = tmp_path / "source" / "doc.md"
    text = runon(chapters=3)
    source.write_text(text, encoding="utf-8")
    _build(source)
    rounds = json.loads(tmp_path.joinpath(*CHUNKS, "rounds.json").read_text(encoding="utf-8"))["flow"]
    assert len(rounds) > 1, rounds                       # hyphenation asked for more than one round
    start = text.index("# Chapter 2 of")
    head = [p for p in text[start:].split("\n\n")[1:] if p and p[0].isalpha()][4][:40]
    source.write_text(text.replace(head, head.replace(" ", " able ", 1), 1), encoding="utf-8")
    run = _build(source)
    assert run["revisions"] == len(rounds) and run["ahead taken"] >= 1, run   # the rounds were guessed
    # Revision 0's page, then each later one's once, by the guess (twice before: guess, revision).
    assert run["splits"] == run["revisions"], run
