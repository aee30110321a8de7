"""The items of language versions numbered alike (folio/corrigendum/languages.py), without a
layout: each version compared on a stand-in page (test_corrigendum_items.NoLines); the places on
real pages are tests/test_corrigendum_languages.py's."""
from __future__ import annotations

from pathlib import Path

from conftest import ROOT
from test_corrigendum_items import NoLines

from folio.build import load
from folio.corrigendum.items import Item, compare
from folio.corrigendum.languages import NOWHERE, align
from folio.corrigendum.place import Pages
from folio.diagnostics import Reporter
from folio.model.walk import document_blocks
from folio.project import Project

VERSIONS = ROOT / "tests" / "documents" / "versions"


def compared(source: Path, old: str, new: str):
    source.write_text(new, encoding="utf-8")
    project = Project.for_source(source, root=ROOT)
    reporter = Reporter(ignore=frozenset({"structure"}))
    before = load(project, reporter, text=old, glyphs=False)
    after = load(project, reporter, glyphs=False)
    blocks = {b.id: [[0, n, n]] for n, b in enumerate(document_blocks(before), 1)}
    blocks |= {n.id: [[0, 90, 90]] for n in before.footnotes.values()}
    return before, compare(before, after, Pages(before, {"pages": [{"label": "1"}], "blocks": blocks}, NoLines()))[0]


def test_versions_are_numbered_alike_and_not_applicable_where_unchanged(tmp_path):
    folder = tmp_path / "source"
    folder.mkdir()
    english, french = (VERSIONS / "report.md").read_text("utf-8"), (VERSIONS / "report.fr.md").read_text("utf-8")
    (folder / "report.md").write_text(english, encoding="utf-8")
    # both: the same paragraph, corrected in two places in English and one in French;
    # English only: the conclusion; French only: the note
    new_english = english.replace("covers the years 2020 to 2025", "spans the years 2020 to 2026") \
        .replace("may wish to take note", "may wish to take careful note")
    new_french = french.replace("2020 à 2025", "2020 à 2026").replace("sont arrondies", "sont toutes arrondies")
    assert new_english != english and new_french.count("2026") == french.count("2026") + 1
    old_en, items_en = compared(folder / "report.md", english, new_english)
    old_fr, items_fr = compared(folder / "report.fr.md", french, new_french)
    assert len(items_en) == 3 and len(items_fr) == 2, (items_en, items_fr)

    def not_applicable(tag: str) -> Item:
        return Item(NOWHERE, f"not applicable to {tag or 'en'}")

    aligned = align([("", old_en, items_en), ("fr", old_fr, items_fr)], not_applicable)
    en, fr = [i.operation for i in aligned[""]], [i.operation for i in aligned["fr"]]
    assert len(en) == len(fr) == 3, (en, fr)
    # counted apart (two items in English, one in French): each version's paragraph in full
    assert en[0] == "The paragraph should read:" and "spans the years 2020 to 2026" in aligned[""][0].text
    assert fr[0] == "Le paragraphe doit se lire comme suit :" and "2020 à 2026" in aligned["fr"][0].text
    # the French note comes after the paragraph the French changed before it, at one number in both
    assert "toutes" in fr[1], fr
    assert en[1] == "not applicable to en"
    assert en[2] == "Insert “careful” after “take”" and fr[2] == "not applicable to fr"
