"""The revision reader on hand-written Word XML: every kind of tracked change, read three ways."""
from __future__ import annotations

import pytest
from docx_files import tracked_fixture

from folio.corrections.package import Package
from folio.corrections.revisions import read_document
from folio.corrections.units import group
from folio.corrections.views import ACCEPT, CRITIC, REJECT, text, view


@pytest.fixture(scope="module")
def word(tmp_path_factory):
    path = tracked_fixture(tmp_path_factory.mktemp("docx") / "tracked.docx")
    with Package(path) as pkg:
        return read_document(pkg)


def texts(word, mode):
    return [text(view(p, mode, word.comments)) for p in word.paragraphs]


def test_accepted_rejected_and_critic_views(word):
    accepted, rejected, critic = (texts(word, m) for m in (ACCEPT, REJECT, CRITIC))
    assert accepted[0] == "1.\tThe meeting was held in Paris."
    assert rejected[0] == "1.\tThe meeting took place in Paris."
    assert critic[0] == ("1.\tThe meeting {~~took place~>was held~~} in {==Paris==}"
                         "{>>Kofi Editor: Check the city:\nthe meeting was in New York.<<}.")
    # a move: gone from the start, arrived at the end
    assert (accepted[1], rejected[1]) == ("Sooner. Later.", "Later. Sooner.")
    assert critic[1] == "{--Later. --}Sooner.{++ Later.++}"
    # inserted and then deleted again: in neither version
    assert accepted[6] == " with the next. Bold now." == rejected[6]


def test_changes_carry_author_date_and_kind(word):
    changes = [s.change for p in word.paragraphs for s in p.segments if s.change]
    assert {(c.kind, c.author) for c in changes} >= {("del", "Kofi Editor"), ("ins", "Kofi Editor"),
                                                       ("moveFrom", "Ama Reviewer"), ("moveTo", "Ama Reviewer")}
    first = word.paragraphs[0].segments[1].change
    assert (first.kind, first.date, first.id) == ("del", "2026-03-01T09:15:00Z", "1")
    # 1-7, 12-13 and 20-21: 8 and 9 cancel out, 11 changes formatting, not text
    assert word.changes() == 11


def test_ids_bookmarks_styles_and_marks(word):
    first = word.paragraphs[0]
    assert (first.para_id, first.bookmarks, first.style) == ("1A2B3C4D", ["_F0123456789"], "NumberedParagraph")
    assert word.paragraphs[3].mark.kind == "ins" and word.paragraphs[5].mark.kind == "del"
    assert word.paragraphs[6].format_changes == 1


def test_fields_notes_and_links(word):
    segs = word.paragraphs[2].segments
    ref = next(s for s in segs if s.generated)
    assert (ref.text, ref.generated, ref.instruction) == ("V", "REF", "REF n_sec_x \\h")
    call = next(s for s in segs if s.footnote)
    assert (call.text, call.generated, call.footnote) == ("1", "footnote", "2")
    assert text(view(word.paragraphs[2], ACCEPT)) == "See chapter V, as agreed.1 A/RES/70/1"
    assert not any(s.generated for s in segs if "A/RES" in s.text)      # a hyperlink is typed text
    toc = [p for p in word.paragraphs if p.story == "body"][-1]
    assert [(s.text, s.generated) for s in toc.segments] == [("Preface\t", "TOC"), ("iii", "PAGEREF")]


def test_footnotes_and_table_cells(word):
    note = next(p for p in word.paragraphs if p.story == "footnote")
    assert note.footnote == "2" and note.segments[0].generated == "footnote-mark"
    assert text(view(note, ACCEPT)) == "1 The resolution was adopted by consensus."
    assert text(view(note, REJECT)) == "1 The resolution was adopted without a vote."
    cells = [p for p in word.paragraphs if p.cell]
    assert [c.cell for c in cells] == [(0, 0, 0), (0, 0, 1)]
    assert text(view(cells[1], CRITIC)) == "{~~25~>26~~}"


def test_comments_with_author_date_and_anchor(word):
    [comment] = word.comments.values()
    assert (comment.author, comment.date, comment.initials) == ("Kofi Editor", "2026-03-01T10:00:00Z", "KE")
    assert comment.text == "Check the city:\nthe meeting was in New York."
    assert (comment.anchor, comment.paragraphs) == ("Paris", [0])


def test_units_join_what_an_inserted_paragraph_mark_split(word):
    units = group(word.paragraphs)
    new_and_old = next(u for u in units if len(u.paragraphs) == 2)
    assert new_and_old.original == "An old paragraph."
    before, core, after = new_and_old.core()
    assert [text(view(p, ACCEPT)) for p in before] == ["A new paragraph."] and not after
    joined = next(u for u in units if u.first.mark and u.first.mark.kind == "del")
    assert joined.joined and not joined.removed
