"""The locale record: the words are checked by name when the locale loads, and the scheme it
carries (direction, heading numbering, bullets, plural rule, dates) reaches the editions."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from conftest import ROOT, make_project, run_folio
from lxml import html as lhtml

from folio.diagnostics import Reporter
from folio.i18n import locale as locales
from folio.i18n.terms import known_names

SMALL = """---
title: A small report
---

# First chapter {#sec-one}

## A section {#sec-a}

Text that cites @sec-b.

## Another section {#sec-b}

- one
  - two
    - three

# Second chapter

Text.
"""


def _project(tmp_path: Path, table: str | None) -> Path:
    source = make_project(tmp_path, SMALL)
    if table is not None:
        (tmp_path / "styles" / "locales").mkdir(exist_ok=True)
        (tmp_path / "styles" / "locales" / "en.yaml").write_text(table, encoding="utf-8")
    return source


def test_a_word_folio_does_not_write_is_a_located_error_when_the_locale_loads(tmp_path):
    source = _project(tmp_path, "contnets: Table of contents\n")
    done = run_folio("check", source, cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    line = next(x for x in done.stderr.splitlines() if "contnets" in x)
    assert re.match(r"^styles/locales/en\.yaml(:\d+)?: error: .*\[locale\]$", line), line
    assert "Traceback" not in done.stderr


def test_a_bad_scheme_is_a_located_error(tmp_path):
    source = _project(tmp_path, "locale:\n  headings: [upper-roman, klingon]\n")
    done = run_folio("check", source, cwd=tmp_path)
    assert done.returncode == 1
    assert "klingon" in done.stderr and "[locale]" in done.stderr


def test_a_project_can_number_its_headings_in_another_scheme(tmp_path):
    source = _project(tmp_path, "locale:\n  headings: [decimal, lower-latin, decimal]\n")
    done = run_folio("build", source, "-f", "html", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    page = lhtml.parse(str(tmp_path / "build" / "html" / "index.html"))
    numbers = [n.text_content().strip() for n in page.xpath("//*[self::h2 or self::h3][contains(@class,"
                                                             " 'numbered')]/span[@class='number']")]
    assert numbers == ["1.", "a.", "b.", "2."], numbers
    xrefs = [a.text_content() for a in page.xpath("//a[@href='#sec-b']")]
    assert "section 1.b" in xrefs, xrefs


def test_every_word_the_templates_and_code_ask_for_is_one_of_folios():
    """A typo in a template or a writer (terms.contnets) is caught here, not by a reader."""
    known = known_names()
    asked = set()
    for path in (ROOT / "templates").glob("*.html"):
        asked |= set(re.findall(r"\bterms\.([a-z_]+(?:\.[a-z_]+)?)", path.read_text(encoding="utf-8")))
    for path in (ROOT / "folio").rglob("*.py"):
        asked |= set(re.findall(r"terms\.get\(\"([a-z_-]+)\"", path.read_text(encoding="utf-8")))
    asked = {a.replace("-", "_") for a in asked}
    assert asked, "no term found: the pattern no longer matches the code"
    tops = {k.split(".")[0] for k in known}
    assert sorted(a for a in asked if a not in known and a.split(".")[0] not in tops) == []


def test_the_english_locale_follows_the_un_editorial_manual():
    en = locales.load("en", reporter=Reporter())
    assert en.direction == "ltr"
    assert en.date(dt.date(2017, 2, 16)) == "16 February 2017"
    assert [en.counted(n, "pages") for n in (1, 2, 14)] == ["1 page", "2 pages", "14 pages"]


@pytest.mark.parametrize("tag, direction", [("ar", "rtl"), ("fr", "ltr"), ("zh", "ltr"), ("ru", "ltr")])
def test_direction_comes_from_cldr(tag, direction):
    assert locales.load(tag).direction == direction


def test_plural_categories_are_the_languages_own():
    """Russian has three forms where English has two: 'page' for 1 would be wrong for 21."""
    ru = locales.load("ru")
    assert [ru.plural(n) for n in (1, 2, 5, 21)] == ["one", "few", "many", "one"]
