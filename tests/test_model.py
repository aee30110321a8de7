"""The text stages: source → model → transforms, checked on small hand-written sources."""
from __future__ import annotations

from folio import model as m
from folio.diagnostics import Reporter
from folio.i18n import numerals, terms, wording
from folio.model.text import plain_text
from folio.model.walk import iter_blocks, iter_inlines
from folio.readers.markdown import parse_text
from folio.transforms import run_transforms

ENGLISH = terms.load("en")


def shown(nodes) -> str:
    """The text a reader sees (references worded in English)."""
    return plain_text(nodes, lambda x: wording.reference(x, ENGLISH))


def doc_of(text: str):
    reporter = Reporter()
    doc = parse_text(text, "t.md", reporter)
    run_transforms(doc, reporter)
    return doc, reporter


def headings(doc):
    return [(numerals.full(h.number), plain_text(h.children)) for h in iter_blocks(doc.blocks)
            if isinstance(h, m.Heading)]


def inlines(doc, kind):
    return [n for b in iter_blocks(doc.blocks) if isinstance(b, m.Paragraph)
            for n in iter_inlines(b.children) if isinstance(n, kind)]


def test_explicit_numbers_are_kept_and_counting_goes_on_from_them():
    doc, _ = doc_of("# Intro {.unnumbered}\n\n# Two {number=II}\n\n## S\n\n## T\n\n### U\n\n"
                    "# Three\n\n## S2\n\n# Eight {number=VIII}\n\n# Nine\n")
    assert headings(doc) == [("", "Intro"), ("II", "Two"), ("II.A", "S"), ("II.B", "T"),
                             ("II.B.1", "U"), ("III", "Three"), ("III.A", "S2"),
                             ("VIII", "Eight"), ("IX", "Nine")]


def test_front_matter_parts_are_not_numbered_and_not_counted():
    doc, _ = doc_of("# Preface {.front .preface}\n\nText.\n\n# One\n\nText.\n")
    assert headings(doc) == [("", "Preface"), ("I", "One")]
    assert [p.front for p in doc.parts] == [True, False]


def test_paragraph_numbers_only_in_the_body_and_only_when_asked():
    source = "---\nparagraph-numbers: {on}\n---\n# P {{.front}}\n\nA.\n\n# One\n\nB.\n\nC.\n"
    on, _ = doc_of(source.format(on="true"))
    off, _ = doc_of(source.format(on="false"))
    def numbers(d):
        return [numerals.full(b.number) for b in iter_blocks(d.blocks) if isinstance(b, m.Paragraph)]

    assert numbers(on) == ["", "1", "2"]
    assert numbers(off) == ["", "", ""]


def test_cross_reference_modes():
    doc, reporter = doc_of("# One {#sec-one number=V}\n\n## Sub {#sec-sub}\n\n"
                           "See @sec-one, [-@sec-sub], [page @sec-one] and @sec-sub.\n")
    assert not reporter.messages
    refs = inlines(doc, m.XRef)
    assert [(r.mode, wording.reference(r, ENGLISH)) for r in refs] == [("prefixed", "chapter V"), ("number", "V.A"),
                                                ("page", "chapter V"), ("prefixed", "section V.A")]


def test_a_sentence_ending_in_a_reference_keeps_its_full_stop():
    doc, _ = doc_of("# One {#sec-one}\n\nSee @sec-one.\n")
    paragraph = [b for b in doc.blocks if isinstance(b, m.Paragraph)][0]
    assert shown(paragraph.children) == "See chapter I."


def test_email_addresses_are_not_references():
    doc, reporter = doc_of("# One\n\nWrite to desa@sec-un.org.\n")
    assert not inlines(doc, m.XRef) and not reporter.errors


def test_document_symbols_become_links_by_pattern():
    doc, _ = doc_of("# One\n\nSee A/RES/70/1, S/RES/2334 (2016), E/CN.9/2017/2 and ESA/P/WP/249. "
                    "Not and/or, UNHCR/IOM or COVID-19.\n")
    assert [(s.symbol, s.href) for s in inlines(doc, m.Symbol)] == [
        ("A/RES/70/1", "https://undocs.org/A/RES/70/1"),
        ("S/RES/2334 (2016)", "https://undocs.org/S/RES/2334(2016)"),
        ("E/CN.9/2017/2", "https://undocs.org/E/CN.9/2017/2"),
        ("ESA/P/WP/249", "https://undocs.org/ESA/P/WP/249")]


def test_gaps_inline_and_as_a_block():
    doc, _ = doc_of("# One\n\nCut here {gap: page lost}\n\n{gap}\n")
    gap_blocks = [b for b in doc.blocks if isinstance(b, m.GapBlock)]
    assert [g.reason for g in inlines(doc, m.Gap)] == ["page lost"]
    assert len(gap_blocks) == 1


def test_subparagraph_letters_are_not_turned_into_symbols():
    doc, _ = doc_of("# One\n\n(a) first; (c) third; (r) and (tm) -- as written.\n")
    text = plain_text([b for b in doc.blocks if isinstance(b, m.Paragraph)][0].children)
    assert text == "(a) first; (c) third; (r) and (tm) -- as written."


def test_abbreviation_table_is_alphabetical_ignoring_spaces_and_can_list_only_used():
    source = ("---\nabbreviations-table: {which}\n---\n# One\n\nThe African Union (AU) and the "
              "United Nations Development Programme (UNDP).\n\n"
              "*[UNDP]: United Nations Development Programme\n*[UN DESA]: United Nations Department "
              "of Economic and Social Affairs\n*[UNDAF]: United Nations Development Assistance "
              "Framework\n*[AU]: African Union\n")
    everything, _ = doc_of(source.format(which="all"))
    used, _ = doc_of(source.format(which="used"))
    assert [a.abbr for a in everything.abbreviation_table] == ["AU", "UNDAF", "UN DESA", "UNDP"]
    assert [a.abbr for a in used.abbreviation_table] == ["AU", "UNDP"]


def test_abbreviations_are_not_marked_in_headings_links_or_code():
    doc, _ = doc_of("# The AU\n\nThe African Union (AU), `AU` and [AU](https://au.int).\n\n"
                    "*[AU]: African Union\n")
    assert len(inlines(doc, m.Abbr)) == 1


def test_footnotes_are_numbered_in_call_order():
    doc, reporter = doc_of("# One\n\nB[^b] then A[^a] then B again[^b].\n\n[^a]: A.\n[^b]: B.\n")
    assert not reporter.messages
    assert [(n.label, numerals.own(n.number)) for n in doc.footnote_order] == [("b", "1"), ("a", "2")]
    assert [numerals.own(r.number) for r in inlines(doc, m.FootnoteRef)] == ["1", "2", "1"]


def test_table_caption_and_figure_are_numbered_and_labelled():
    doc, reporter = doc_of("# One\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nTable: Stocks {#tbl-x}\n\n"
                           "![A chart](c.png){#fig-y}\n\nSee @tbl-x and @fig-y.\n")
    table = [b for b in doc.blocks if isinstance(b, m.Table)][0]
    figure = [b for b in doc.blocks if isinstance(b, m.Figure)][0]
    assert (table.id, numerals.full(table.number), plain_text(table.caption)) == ("tbl-x", "1", "Stocks")
    assert (figure.id, numerals.full(figure.number), plain_text(figure.caption)) == ("fig-y", "1", "A chart")
    assert [wording.reference(r, ENGLISH) for r in inlines(doc, m.XRef)] == ["table 1", "figure 1"]


def test_every_node_knows_its_line():
    doc, _ = doc_of("---\ntitle: T\n---\n# One\n\nFirst.\n\nSecond.\n")
    assert [b.loc.line for b in doc.blocks] == [4, 6, 8]
