"""Pyphen's parsed patterns are kept in the user's cache (folio.writers.hyphenate): the next
process breaks every word as a fresh parse does, without parsing; a damaged entry or another
version of the dictionary is parsed again."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pyphen
import pytest

from folio.writers import hyphenate

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_85393ee9b1ec9064.txt"
WORDS = ["internationalization", "representatives", "méditerranéenne", "migration", "coordination",
         "responsibilities", "intergovernmental", "interdisciplinary", "acknowledgements"]


@pytest.fixture
def fresh(tmp_path, monkeypatch):
    """A new process's view: no parsed dictionary in Pyphen's table or folio's, and a cache
    of the test's own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(pyphen, "hdcache", {})
    hyphenate._dictionary.cache_clear()
    hyphenate._broken.cache_clear()
    yield tmp_path / "cache" / "folio" / "hyphenation"
    hyphenate._dictionary.cache_clear()
    hyphenate._broken.cache_clear()


def _again(monkeypatch, parse_allowed: bool):
    monkeypatch.setattr(pyphen, "hdcache", {})
    hyphenate._dictionary.cache_clear()
    hyphenate._broken.cache_clear()
    if not parse_allowed:
        def refuse(self, path):
            raise AssertionError(f"parsed {path} again")
        monkeypatch.setattr(pyphen.HyphDict, "__init__", refuse)


def _words() -> list[str]:
    text = SEED.read_text(encoding="utf-8") if SEED.exists() else ""
    return sorted(set(WORDS) | {w for w in re.findall(r"[a-z]{6,}", text)})


def test_kept_patterns_break_every_word_as_a_fresh_parse(fresh, monkeypatch):
    words = _words()
    parsed = [hyphenate._dictionary("en").inserted(w, hyphen="-") for w in words]
    assert "inter-na-tion-al-iza-tion" in parsed
    assert len(list(fresh.iterdir())) == 1
    _again(monkeypatch, parse_allowed=False)
    assert [hyphenate._dictionary("en").inserted(w, hyphen="-") for w in words] == parsed


def test_a_damaged_entry_is_parsed_again(fresh, monkeypatch):
    expected = hyphenate._dictionary("en").inserted("representatives", hyphen="-")
    (entry,) = fresh.iterdir()
    data = entry.read_bytes()
    entry.write_bytes(data[:len(data) // 2])
    _again(monkeypatch, parse_allowed=True)
    assert hyphenate._dictionary("en").inserted("representatives", hyphen="-") == expected
    _again(monkeypatch, parse_allowed=False)       # and kept whole again
    assert hyphenate._dictionary("en").inserted("representatives", hyphen="-") == expected


def test_another_dictionary_file_is_another_entry(fresh, tmp_path, monkeypatch):
    hyphenate._dictionary("en")
    copy = tmp_path / "hyph_en_US.dic"
    shutil.copyfile(pyphen.LANGUAGES["en_US"], copy)
    monkeypatch.setitem(pyphen.LANGUAGES, "en_US", copy)
    _again(monkeypatch, parse_allowed=True)
    hyphenate._dictionary("en")
    assert len(list(fresh.iterdir())) == 2


def test_a_dictionary_with_nonstandard_breaks_is_not_kept(fresh):
    hungarian = next((lang for lang in ("hu_HU", "hu") if lang in pyphen.LANGUAGES), None)
    if hungarian is None:
        pytest.skip("Pyphen has no Hungarian dictionary here")
    hyphenate._patterns_kept(pyphen, pyphen.LANGUAGES[hungarian])
    assert pyphen.LANGUAGES[hungarian] in pyphen.hdcache
    assert not fresh.exists() or not list(fresh.iterdir())
