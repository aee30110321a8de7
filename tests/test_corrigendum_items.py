"""How `folio corrigendum` words its items, without a layout: the two versions are loaded as a
build loads them, and the old pages are a stand-in where every block is on page 1 (the
places on real pages are tests/test_corrigendum.py's)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT

from folio.build import load
from folio.corrigendum.items import compare
from folio.corrigendum.place import Pages
from folio.diagnostics import Reporter
from folio.i18n.terms import known_names
from folio.model.walk import document_blocks
from folio.project import Project

HEAD = "---\ntitle: A test report\nsymbol: A/1/2\n{extra}---\n\n"
TEXT = """# Introduction {{number=I}}

The meeting was attended by more than 300 participants from 40 countries.

The participants discussed the data, and the data were found to be sound, and the data were published.

The chair thanked the participants. He closed the meeting at 6 p.m. The participants left.

# Recommendations {{number=II}}

The meeting recommended that the {word} group continue its work in 2018.
"""


class NoLines:
    """A PDF in which no block's lines are known: places name no line. Its one page shows
    the list of abbreviations' rows."""

    def lines(self, page, ident):
        return []

    def text(self, page):
        return "AbbreviationMeaningUNUUnitedNationsUniversityWFPWorldFoodProgramme"

    def holds(self, page, ident):
        return False


def items_for(tmp_path: Path, old: str, new: str, extra: str = ""):
    source = tmp_path / "source" / "report.md"
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text(HEAD.format(extra=extra) + new, encoding="utf-8")
    project = Project.for_source(source, root=ROOT)
    reporter = Reporter()
    before = load(project, reporter, text=HEAD.format(extra=extra) + old, glyphs=False)
    after = load(project, reporter, glyphs=False)
    blocks = {b.id: [[0, n, n]] for n, b in enumerate(document_blocks(before), 1)}
    blocks |= {n.id: [[0, 90, 90]] for n in before.footnotes.values()}
    pages = Pages(before, {"pages": [{"label": "1"}], "blocks": blocks}, NoLines())
    found, quiet = compare(before, after, pages)
    return [(i.place.text, i.operation, i.text) for i in found], quiet


def test_a_changed_figure_is_for_read_with_the_paragraph_counted_on_the_page(tmp_path):
    old = TEXT.format(word="working")
    found, _ = items_for(tmp_path, old, old.replace("300 participants", "350 participants"))
    assert found == [("Page 1, first full paragraph", "For “300” read “350”", "")]


def test_a_word_found_twice_is_quoted_with_the_words_that_make_it_one(tmp_path):
    old = TEXT.format(word="working")
    new = old.replace("the data were found", "the figures were found")
    found, _ = items_for(tmp_path, old, new)
    assert found == [("Page 1, second full paragraph", "For “data were found” read “figures were found”", "")]


def test_a_deleted_sentence_and_an_inserted_word(tmp_path):
    old = TEXT.format(word="working")
    new = old.replace(" He closed the meeting at 6 p.m.", "").replace("the working group", "the expert working group")
    found, _ = items_for(tmp_path, old, new)
    assert found == [("Page 1, third full paragraph", "Delete “He closed the meeting at 6 p.m.”", ""),
                     ("Page 1, fourth full paragraph", "Insert “expert” after “the”", "")]


def test_many_changes_make_the_paragraph_should_read(tmp_path):
    old = TEXT.format(word="working")
    new = old.replace("The participants discussed the data, and the data were found to be sound, and the data"
                      " were published.", "Participants agreed on the figures; the secretariat will publish them"
                      " with a note on sources and a table of definitions for every series.")
    found, _ = items_for(tmp_path, old, new)
    assert found == [("Page 1, second full paragraph", "The paragraph should read:",
                      "Participants agreed on the figures; the secretariat will publish them with a note on sources"
                      " and a table of definitions for every series.")]


def test_a_heading_is_named_by_its_chapter(tmp_path):
    old = TEXT.format(word="working")
    found, _ = items_for(tmp_path, old, old.replace("# Recommendations", "# Main recommendations"))
    assert found == [("Page 1, heading of chapter II", "For “Recommendations” read “Main recommendations”", "")]


def test_numbered_paragraphs_are_named_by_their_number(tmp_path):
    old = TEXT.format(word="working")
    found, _ = items_for(tmp_path, old, old.replace("in 2018", "in 2019"), extra="paragraph-numbers: true\n")
    assert found == [("Page 1, paragraph 4", "For “2018” read “2019”", "")]


def test_a_paragraph_removed_and_one_added(tmp_path):
    old = TEXT.format(word="working")
    gone = "The chair thanked the participants. He closed the meeting at 6 p.m. The participants left.\n\n"
    new = old.replace(gone, "") + "\nA new paragraph on the follow-up.\n"
    found, _ = items_for(tmp_path, old, new)
    assert found == [("Page 1, third full paragraph", "Delete the paragraph.", ""),
                     ("Page 1, after the fourth full paragraph", "Insert the following new paragraph:",
                      "A new paragraph on the follow-up.")]


def test_emphasis_alone_needs_no_item(tmp_path):
    old = TEXT.format(word="working")
    found, quiet = items_for(tmp_path, old, old.replace("more than 300", "*more than* 300"))
    assert found == []
    assert [q.line for q in quiet] == [8] and "same" in quiet[0].why


def test_a_footnote_changed(tmp_path):
    old = TEXT.format(word="working").replace("40 countries.", "40 countries.[^c]") + \
        "\n[^c]: Listed in annex I to the present report.\n"
    found, _ = items_for(tmp_path, old, old.replace("annex I to", "annex II to"))
    assert found == [("Page 1, footnote 1", "For “I” read “II”", "")]


def test_french_items_are_worded_in_french(tmp_path):
    old = TEXT.format(word="working")
    found, _ = items_for(tmp_path, old, old.replace("300 participants", "350 participants"),
                         extra="language: fr\n")
    assert found == [("Page 1, premier paragraphe complet", "Au lieu de «300», lire «350»", "")]


def test_every_word_the_corrigendum_asks_for_is_one_of_folios():
    """The corrigendum's words are read as self.words.get("…") / forms.get("…") under
    `corrigendum:` in the locale: a typo would print an empty string."""
    known = {name.split(".", 1)[1] for name in known_names() if name.startswith("corrigendum.")}
    tops = {name.split(".")[0] for name in known}
    asked = set()
    for path in (ROOT / "folio" / "corrigendum").glob("*.py"):
        asked |= set(re.findall(r"(?:words|forms)\.get\(['\"]([a-z_-]+)['\"]", path.read_text(encoding="utf-8")))
    assert asked and sorted(a for a in asked if a not in tops and not any(k.endswith("." + a) for k in known)) == []


@pytest.mark.parametrize("tag", ["en", "fr", "es", "ru", "ar", "zh"])
def test_every_language_words_every_operation(tag):
    from folio.i18n import locale
    reporter = Reporter()
    words = locale.load(tag, None, reporter).terms["corrigendum"]
    assert not reporter.messages
    for name in ("for_read", "delete", "insert", "title"):
        assert words[name], name
    assert "{old}" in words["for_read"] and "{new}" in words["for_read"]
    assert len(words["ordinals"]) == 12


def test_two_versions_alike_give_no_corrigendum(tmp_path):
    from conftest import make_project, run_folio
    source = make_project(tmp_path, HEAD.format(extra="") + TEXT.format(word="working"))
    (tmp_path / "issued.md").write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    result = run_folio("corrigendum", "issued.md", "source/report.md", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["A/1/2/Corr.1: 0 item(s)", "nothing to correct: the two versions show"
                                          " the same text (no corrigendum written)"]
    assert not (tmp_path / "build" / "corrigendum").exists()


def test_a_new_footnote_is_placed_after_the_words_that_call_it(tmp_path):
    old = TEXT.format(word="working")
    new = old.replace("from 40 countries.", "from 40 countries.[^n]") + "\n[^n]: See the list of participants.\n"
    found, quiet = items_for(tmp_path, old, new)
    assert found == [("Page 1, first full paragraph", "After “countries.” insert a footnote reading:",
                      "See the list of participants.")]
    assert quiet == []            # the call added to the paragraph is the note's item, not "no item"


def test_a_footnote_removed(tmp_path):
    old = TEXT.format(word="working").replace("40 countries.", "40 countries.[^c]") + "\n[^c]: Listed in annex I.\n"
    new = old.replace("40 countries.[^c]", "40 countries.").replace("\n[^c]: Listed in annex I.\n", "")
    found, quiet = items_for(tmp_path, old, new)
    assert found == [("Page 1, footnote 1", "Delete the footnote.", "")] and quiet == []


def test_loading_one_language_leaves_the_others_words_as_they_are():
    """The tables are cached: merging French words two levels deep once changed the English."""
    from folio.i18n import terms
    english = terms.load("en")["corrigendum"]["place"]["full_paragraph"]
    terms.load("fr")
    terms.load("zh")
    assert terms.load("en")["corrigendum"]["place"]["full_paragraph"] == english == "{ordinal} full paragraph"


def test_an_error_in_the_old_version_is_told_at_its_own_name(tmp_path):
    from conftest import make_project, run_folio
    make_project(tmp_path, HEAD.format(extra="") + TEXT.format(word="working"))
    (tmp_path / "issued.md").write_text(HEAD.format(extra="paper: tabloid\n") + TEXT.format(word="working"),
                                        encoding="utf-8")
    result = run_folio("corrigendum", "issued.md", "source/report.md", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert re.search(r"^issued\.md:\d+: error: .*tabloid", result.stderr, re.M), result.stderr
    assert not (tmp_path / "build" / "corrigendum").exists()


def test_the_list_of_abbreviations_is_corrected_where_it_shows(tmp_path):
    old = ("# Explanatory notes {.front .abbreviations}\n\nThe following abbreviations are used:\n\n"
           + TEXT.format(word="working").replace("from 40 countries.", "from 40 countries (UNU, WFP).")
           + "\n*[UNU]: United Nations University\n*[WFP]: World Food Programme\n")
    new = old.replace("*[UNU]: United Nations University", "*[UNU]: United Nations University (Tokyo)")
    found, _ = items_for(tmp_path, old, new)
    assert found == [("Page 1, list of abbreviations",
                      "For “United Nations University” read “United Nations University (Tokyo)”", "")]


def test_drafts_of_one_corrigendum_keep_its_number_and_the_next_one_counts_on(tmp_path):
    import datetime as dt

    from folio.corrigendum import document
    day = dt.date(2026, 12, 7)
    assert document.number_for(tmp_path, "issued") == 1
    document.record(tmp_path, 1, "issued", "corrected, first draft", day)
    assert document.number_for(tmp_path, "issued") == 1          # a second draft of Corr.1
    document.record(tmp_path, 1, "issued", "corrected, second draft", day)
    assert document.number_for(tmp_path, "as corrected by Corr.1") == 2
    document.record(tmp_path, 2, "as corrected by Corr.1", "corrected again", day)
    assert [document.number_for(tmp_path, t) for t in ("issued", "as corrected by Corr.1", "other")] == [1, 2, 3]
    (tmp_path / document.RECORD).write_text("[[[", encoding="utf-8")     # damaged: counted afresh
    assert document.number_for(tmp_path, "issued") == 1


def test_a_document_is_its_text_alone(tmp_path):
    """form: document (the corrigendum's): no cover, title page, imprint, contents or back cover."""
    source = tmp_path / "source" / "report.md"
    source.parent.mkdir()
    source.write_text("---\ntitle: T\nform: document\n---\n\nMasthead.\n\n# Title {.unnumbered}\n\nText.\n",
                      encoding="utf-8")
    doc = load(Project.for_source(source, root=ROOT), Reporter(), glyphs=False)
    assert doc.parts and [r.kind for r in doc.composition] == ["part"] * len(doc.parts)
    assert doc.composition[0].opens == "first"
