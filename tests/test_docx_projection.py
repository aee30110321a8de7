"""The projection engine on hand-made spans: an edit of what the reader saw, made on the source.

Each case gives a source paragraph, its spans as the model side will produce them (text the
reader sees and where it came from), the paragraph as an editor left it, and the source we
expect, written by hand."""
from __future__ import annotations

import pytest

from folio.corrections.projection import Piece, project
from folio.corrections.spans import ATOM, MARK, TEXT, Span, char_ranges


def spans_of(source: str, parts) -> list[Span]:
    """Spans found one after another in source: ("T", src[, shown]), ("M", src, pair),
    ("A", src, shown[, what, hint]); nesting depth follows the marks."""
    pos, depth, opened, out = 0, 0, set(), []
    for part in parts:
        kind, src = part[0], part[1]
        at = source.index(src, pos)
        if kind == "T":
            out.append(Span(part[2] if len(part) > 2 else src, at, at + len(src), TEXT, depth))
        elif kind == "A":
            what, hint = (part[3], part[4]) if len(part) > 4 else ("", "")
            out.append(Span(part[2], at, at + len(src), ATOM, depth, what=what, hint=hint))
        else:
            closing = part[2] in opened
            depth -= closing
            out.append(Span("", at, at + len(src), MARK, depth, part[2]))
            depth += not closing
            opened.add(part[2])
        pos = at + len(src)
    return out


def run(source: str, parts, edited):
    pieces = edited if isinstance(edited, list) else [Piece(edited)]
    result = project(spans_of(source, parts), source, pieces)
    out = source
    for e in sorted(result.edits, key=lambda e: e.start, reverse=True):
        out = out[:e.start] + e.text + out[e.end:]
    return out, result


# A paragraph with most of folio's constructs: emphasis, a cross-reference, straight quotes
# that the reader sees curly, a footnote call.
SOURCE = 'The *quick* fox, see @sec-x and "so".[^n] Done.'
PARTS = [("T", "The "), ("M", "*", 1), ("T", "quick"), ("M", "*", 1), ("T", " fox, see "),
         ("A", "@sec-x", "chapter V", "a cross-reference to 'sec-x'", "change the heading at report.md:12"),
         ("T", ' and "so".', " and “so”."), ("A", "[^n]", "1", "the call of note [^n]", "notes are numbered"),
         ("T", " Done.")]
SHOWN = "The quick fox, see chapter V and “so”.1 Done."


@pytest.mark.parametrize("edited, expected", [
    (SHOWN, SOURCE),
    # a word changed inside emphasis stays emphasised; a letter added is one edit
    ("The quickest fox, see chapter V and “so”.1 Done.", 'The *quickest* fox, see @sec-x and "so".[^n] Done.'),
    ("The slow fox, see chapter V and “so”.1 Done.", 'The *slow* fox, see @sec-x and "so".[^n] Done.'),
    # words added next to emphasis go outside it
    ("The very quick fox, see chapter V and “so”.1 Done.", 'The very *quick* fox, see @sec-x and "so".[^n] Done.'),
    ("The quick brown fox, see chapter V and “so”.1 Done.", 'The *quick* brown fox, see @sec-x and "so".[^n] Done.'),
    # the emphasised word deleted: its markers go too
    ("The fox, see chapter V and “so”.1 Done.", 'The fox, see @sec-x and "so".[^n] Done.'),
    # inside curly quotes that are straight in the source
    ("The quick fox, see chapter V and “so much”.1 Done.", 'The *quick* fox, see @sec-x and "so much".[^n] Done.'),
    # text after a footnote call and after a cross-reference
    ("The quick fox, see chapter V below and “so”.1 Done.",
     'The *quick* fox, see @sec-x below and "so".[^n] Done.'),
    ("The quick fox, see chapter V and “so”.1 Done at last.",
     'The *quick* fox, see @sec-x and "so".[^n] Done at last.'),
    # typed markup is escaped, not taken as markup
    ("The quick fox, see chapter V and “so”.1 Done *now* [1].",
     'The *quick* fox, see @sec-x and "so".[^n] Done \\*now\\* \\[1\\].'),
])
def test_edits_keep_the_constructs(edited, expected):
    out, result = run(SOURCE, PARTS, edited)
    assert out == expected
    assert not result.refused


def test_an_edit_inside_a_generated_number_is_refused_with_where_to_make_it():
    out, result = run(SOURCE, PARTS, "The quick fox, see chapter VI and “so”.1 Done.")
    assert out == SOURCE
    [refusal] = result.refused
    assert refusal.offset == SOURCE.index("@sec-x")
    assert "'V' → 'VI'" in refusal.text and "chapter V" in refusal.text
    assert "change the heading at report.md:12" in refusal.text


def test_a_changed_word_of_a_generated_phrase_is_refused():
    out, result = run(SOURCE, PARTS, "The quick fox, see Chapter V and “so”.1 Done.")
    assert out == SOURCE and len(result.refused) == 1


def test_a_whole_atom_deleted_goes_and_is_reported():
    out, result = run(SOURCE, PARTS, "The quick fox and “so”.1 Done.")
    assert out == 'The *quick* fox and "so".[^n] Done.'
    assert result.removed == [(SOURCE.index("@sec-x"), "a cross-reference to 'sec-x'")]
    out, result = run(SOURCE, PARTS, "The quick fox, see chapter V and “so”. Done.")
    assert out == 'The *quick* fox, see @sec-x and "so". Done.'
    assert result.removed[0][1] == "the call of note [^n]"


def test_escapes_and_entities_are_edited_whole():
    source = "Use 5\\*3 &amp; more &#233;t&eacute; here."
    parts = [("T", source, "Use 5*3 & more été here.")]
    assert run(source, parts, "Use 5*4 & more été here.")[0] == "Use 5\\*4 &amp; more &#233;t&eacute; here."
    assert run(source, parts, "Use 5*3 and more été here.")[0] == "Use 5\\*3 and more &#233;t&eacute; here."
    assert run(source, parts, "Use 3 & more été here.")[0] == "Use 3 &amp; more &#233;t&eacute; here."
    assert run(source, parts, "Use 5*3 & more ete here.")[0] == "Use 5\\*3 &amp; more ete here."


def test_a_line_end_read_as_a_space_stays_a_line_end():
    source = "First line\nsecond line."
    parts = [("T", "First line"), ("T", "\n", " "), ("T", "second line.")]
    assert run(source, parts, "First line and second line.")[0] == "First line\nand second line."
    assert run(source, parts, "First line second line!")[0] == "First line\nsecond line!"


def test_symbols_abbreviations_and_gaps_around_an_edit_stay():
    source = "See A/RES/70/1 by UN DESA {gap: lost} text."
    parts = [("T", "See "), ("T", "A/RES/70/1"), ("T", " by "), ("T", "UN DESA"), ("T", " "),
             ("A", "{gap: lost}", "[…]", "an editorial gap", "fill it in the source"), ("T", " text.")]
    assert run(source, parts, "See A/RES/70/2 by UN DESA […] text.")[0] == "See A/RES/70/2 by UN DESA {gap: lost} text."
    assert run(source, parts, "See A/RES/70/1 by DESA […] more text.")[0] == \
        "See A/RES/70/1 by DESA {gap: lost} more text."
    out, result = run(source, parts, "See A/RES/70/1 by UN DESA [lost words] text.")
    assert out == source and "an editorial gap" in result.refused[0].text


def test_a_bare_number_reference_and_nested_containers():
    source = "In chapter [-@sec-data], see **bold *nested* words** and [a link](http://x.org) end"
    parts = [("T", "In chapter "), ("A", "[-@sec-data]", "IV"), ("T", ", see "), ("M", "**", 1), ("T", "bold "),
             ("M", "*", 2), ("T", "nested"), ("M", "*", 2), ("T", " words"), ("M", "**", 1), ("T", " and "),
             ("M", "[", 3), ("T", "a link"), ("M", "](http://x.org)", 3), ("T", " end")]
    assert run(source, parts, "In section IV, see bold nested words and the link end")[0] == \
        "In section [-@sec-data], see **bold *nested* words** and [the link](http://x.org) end"
    assert run(source, parts, "In chapter IV, see bold words and a link end")[0] == \
        "In chapter [-@sec-data], see **bold words** and [a link](http://x.org) end"


def test_a_sourceless_number_cannot_be_deleted():
    source = "Text of a numbered paragraph."
    parts = [("A", "", "12.\t", "a paragraph number", "paragraph numbers are generated"), ("T", source)]
    out, result = run(source, parts, "Text of a numbered paragraph.")
    assert out == source and "paragraph numbers are generated" in result.refused[0].text


def test_critic_markup_is_written_as_it_is():
    pieces = [Piece("The "), Piece("{~~", raw=True), Piece("quick"), Piece("~>", raw=True), Piece("slow"),
              Piece("~~}", raw=True), Piece(" fox, see chapter V and “so”.1 Done.")]
    assert run(SOURCE, PARTS, pieces)[0] == 'The *{~~quick~>slow~~}* fox, see @sec-x and "so".[^n] Done.'


def test_a_new_note_typed_in_word_is_not_placed():
    pieces = [Piece("The quick fox, see chapter V and “so”.1 Done."), Piece("2", generated="footnote")]
    out, result = run(SOURCE, PARTS, pieces)
    assert out == SOURCE and "[^label]" in result.refused[0].text


def test_char_ranges_give_an_escape_to_the_sign_it_escapes():
    source = "a\\*b &amp; c"
    ranges = char_ranges(Span("a*b & c", 0, len(source)), source)
    assert ranges[1] == (1, 3) and ranges[4] == (5, 10) and ranges[6] == (11, 12)
