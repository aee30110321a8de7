"""A correction's hyphenation rounds make and split each revision's print HTML once: a round
laid out ahead (folio/layout/chunked/route.py, _speculate) made the page the revision after it
has, and that revision takes it (route.Splits; the writer's guess, pdf/chunked.py). That it
gives the same bytes is tests/test_chunked_fix.py's business."""
from __future__ import annotations

import json

import pytest
from chunked_pdf import RUNON, RUNON_ENV, build, copied, runon_clean, stats


@pytest.mark.slow
def test_a_revision_guessed_right_is_split_once(built_once, tmp_path, monkeypatch):
    for key, value in RUNON_ENV.items():                 # reproducible, more cuts
        monkeypatch.setenv(key, value)
    source = copied(runon_clean(built_once, *RUNON), tmp_path / "copy")    # the run, built once
    text = source.read_text(encoding="utf-8")
    rounds = json.loads((tmp_path / "copy" / "build" / ".folio" / "chunks" / "rounds.json")
                        .read_text(encoding="utf-8"))["flow"]
    assert len(rounds) > 1, rounds                       # hyphenation asked for more than one round
    start = text.index("# Chapter 2 of")
    head = [p for p in text[start:].split("\n\n")[1:] if p and p[0].isalpha()][4][:40]
    source.write_text(text.replace(head, head.replace(" ", " able ", 1), 1), encoding="utf-8")
    build(source)
    run = stats(source)
    assert run["revisions"] == len(rounds) and run["ahead taken"] >= 1, run   # the rounds were guessed
    # Revision 0's page, then each later one's once, by the guess (twice before: guess, revision).
    assert run["splits"] == run["revisions"], run
