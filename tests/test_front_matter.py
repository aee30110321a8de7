"""Front matter from a careless or hostile author: aliases refused, duplicate keys and bad values
located errors, nothing expanded, nothing slow, never a traceback."""
from __future__ import annotations

import subprocess
import sys
import time

import pytest
from conftest import ROOT

from folio.config import KEYS, read_front_matter
from folio.diagnostics import Location, Reporter

# Nine levels of nine aliases: 9**9 (387 million) strings once expanded.
BOMB = "".join(f"  - &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]\n" for i in range(1, 10))


def _read(yaml_text: str) -> tuple[dict, list[str]]:
    reporter = Reporter()
    meta = read_front_matter(yaml_text, Location("report.md", 1), reporter)
    return meta, [str(m) for m in reporter.messages]


def _messages_in_a_fresh_process(yaml_text: str, timeout: float = 20) -> subprocess.CompletedProcess:
    """Read the front matter in a child with a kill timer and a memory cap (1 GiB)."""
    code = ("import resource, sys\n"
            "resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"
            "from folio.config import read_front_matter\n"
            "from folio.diagnostics import Location, Reporter\n"
            "r = Reporter()\n"
            "read_front_matter(sys.stdin.read(), Location('report.md', 1), r)\n"
            "print('\\n'.join(map(str, r.messages)))\n")
    return subprocess.run([sys.executable, "-c", code], input=yaml_text, capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT)


@pytest.mark.parametrize("key", list(KEYS))
def test_an_alias_bomb_in_any_key_is_refused_at_once(key):
    """The "billion laughs" shape under every key folio knows: a located error naming the first
    alias, in well under a second, with no memory to speak of."""
    text = "anchors:\n  - &l0 lol\n" + BOMB + f"{key}: *l9\n"
    started = time.perf_counter()
    run = _messages_in_a_fresh_process(text)
    assert time.perf_counter() - started < 10
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    lines = run.stdout.splitlines()
    assert lines == ["report.md:4: error: malformed front matter: an alias (*l0) is not allowed here:"
                     " write the value out [front-matter]"]


@pytest.mark.parametrize("key", list(KEYS))
def test_an_alias_to_a_plain_value_is_refused_too(key):
    meta, messages = _read(f"title: &t A title\n{key}: *t\n")
    assert messages == ["report.md:3: error: malformed front matter: an alias (*t) is not allowed here:"
                        " write the value out [front-matter]"]
    assert meta["title"] == "Untitled"          # nothing of a refused front matter is used


def test_a_merge_key_with_an_alias_is_refused():
    _, messages = _read("base: &b {place: Geneva}\nmeeting:\n  <<: *b\n")
    assert messages[0].startswith("report.md:4: error: malformed front matter: an alias (*b)")


def test_duplicate_keys_are_errors_at_the_second_line():
    _, messages = _read("title: One\nyear: 2017\ntitle: Two\n")
    assert messages == ["report.md:4: error: malformed front matter: duplicate key 'title'"
                        " (first at line 1) [front-matter]"]
    _, messages = _read("meeting:\n  place: Geneva\n  place: New York\n")
    assert messages == ["report.md:4: error: malformed front matter: duplicate key 'place'"
                        " (first at line 2) [front-matter]"]


@pytest.mark.parametrize("line, message", [
    ("year: 0x" + "f" * 5000, "malformed front matter: a number of 5002 characters is not a setting"
                              " (at most 40) [front-matter]"),
    ("year: " + "9" * 5000, "malformed front matter: a number of 5000 characters is not a setting"
                            " (at most 40) [front-matter]"),
    ("year: 0x" + "f" * 30, "'year' must be between 0 and 9999, not 1329227995784915872903807060280344575"
                            " [front-matter-type]"),
    ("year: 2017.5", "'year' must be a whole number, not a number [front-matter-type]"),
    ("year: 1e400", "'year' must be a whole number, not text [front-matter-type]"),
    ("contents-depth: -5", "'contents-depth' must be between 1 and 3, not -5 [front-matter-type]"),
    ("contents-depth: 4", "'contents-depth' must be between 1 and 3, not 4 [front-matter-type]"),
    ("contents-depth: yes", "'contents-depth' must be a whole number, not true or false [front-matter-type]"),
    ('language: en" onload="x', "'language' must be a language tag such as en, fr or es-419,"
                                " not 'en\" onload=\"x' [front-matter-type]"),
    ("language: english-language-tag-that-goes-on", "'language' must be a language tag such as en, fr or"
                                                    " es-419, not 'english-language-tag-that-goes-on'"
                                                    " [front-matter-type]"),
    ("date: 2017-13-01", "malformed front matter: '2017-13-01' is not a date (month must be in 1..12)"
                         " [front-matter]"),
    ("date: 2017-05-01 10:00:00", "'date' must be a date written YYYY-MM-DD, not '2017-05-01 10:00:00'"
                                  " [front-matter-type]"),
    ("meeting: {place: [Geneva]}", "meeting 'place' must be text, not a list [front-matter-type]"),
    ("meeting: {venue: Geneva}", "unknown key 'venue' in meeting (known: place, dates) [front-matter-key]"),
    ("abbreviations-allow: [[a]]", "'abbreviations-allow' must be a list of words, not of a list"
                                   " [front-matter-type]"),
    ("reference-doc: /etc/passwd", "'reference-doc' must name a file in styles/ (no absolute path, no '..'),"
                                   " not '/etc/passwd' [front-matter-type]"),
    ("reference-doc: ../../x.docx", "'reference-doc' must name a file in styles/ (no absolute path, no '..'),"
                                    " not '../../x.docx' [front-matter-type]"),
    ("reference-doc: sub/../../x.docx", "'reference-doc' must name a file in styles/ (no absolute path,"
                                        " no '..'), not 'sub/../../x.docx' [front-matter-type]"),
    ("title: " + "x" * 100, "xx"),
])
def test_every_value_is_checked_by_type_and_range(line, message):
    meta, messages = _read("title: A report\n" + line + "\n" if not line.startswith("title") else line + "\n")
    if message == "xx":                       # a long title is fine: no message at all
        assert messages == [] and meta["title"] == "x" * 100
        return
    line_number = 3 if not line.startswith("title") else 2
    assert messages == [f"report.md:{line_number}: error: {message}"]


def test_good_values_pass_unchanged():
    meta, messages = _read("language: es-419\ncontents-depth: 3\nyear: 2017\ndate: 2017-05-01\n"
                           "meeting: {place: Geneva, dates: 1-3 May}\nreference-doc: house/reference.docx\n")
    assert messages == []
    assert (meta["language"], meta["contents-depth"], meta["year"], meta["date"]) == ("es-419", 3, 2017,
                                                                                       "2017-05-01")
    assert meta["meeting"] == {"place": "Geneva", "dates": "1-3 May"}
    assert meta["reference-doc"] == "house/reference.docx"


def test_invisible_characters_in_the_front_matter_are_warned_and_shown_escaped():
    meta, messages = _read('title: "Annual \\u202Ereport"\n')
    assert messages == ["report.md:2: warning: invisible character U+202E (RIGHT-TO-LEFT OVERRIDE) in the"
                        " front matter [invisible-char]"]
    assert meta["title"] == "Annual \u202ereport"   # kept: a warning, the author decides
    _, messages = _read('"ti\\u202Etle": x\n')      # quoted back in a message: escaped, not obeyed
    assert messages == ["report.md:2: error: unknown front-matter key 'ti<U+202E>tle' (did you mean"
                        " 'title'?); keep values of your own under 'meta:' (meta: {ti<U+202E>tle: …})"
                        " [front-matter-key]"]


def test_a_deeply_nested_value_is_a_located_error_at_once():
    """PyYAML's scanner is quadratic in the depth of flow collections (3,000 `[` took 10 s):
    deeper than 64 is refused before it reads them; quoted brackets do not count."""
    started = time.perf_counter()
    _, messages = _read("year: 2017\ntitle: " + "[" * 20000 + "\n")
    assert messages == ["report.md:3: error: malformed front matter: lists or mappings nested more than"
                        " 64 deep [front-matter]"]
    assert time.perf_counter() - started < 1
    _, messages = _read('title: "' + "[" * 100 + '"\nabbreviations-allow: [[[[a]]]]\n')
    assert messages == ["report.md:3: error: 'abbreviations-allow' must be a list of words, not of a list"
                        " [front-matter-type]"]
