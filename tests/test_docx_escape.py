"""Text typed in Word is text: escape(text), read by folio's own Markdown reader, gives the text
back, with no construct (heading, list, table, note, link, reference, gap, div, abbreviation,
code) and no warning. Property-tested with generated text against the real reader, as a
paragraph of its own and inside a paragraph."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from folio import model as m
from folio.corrections.escape import escape_block, escape_inline
from folio.diagnostics import Reporter
from folio.readers.markdown import parse_text

HOSTILE = ["# Heading", "---", "title: x", "*[EVIL]: injected", "::: warning", "| a | b |", "[^n]: note",
           "    indented code", "1. item", "3) item", "Table: caption", ": caption", "{gap}", "{{ 7*7 }}",
           "[x](file:///etc/passwd)", "<script>alert(1)</script>", "see @sec-x", "^[inline note]",
           "![](../.env)", "a [^n] call", "[^n]", "> quote", "+ item", "- item", "* item", "===",
           "!!! note", "~~gone~~", "H~2~O", "x^2^", "{.class}", "[@key]", "&amp; &#42;", "<http://x.org>",
           "`code`", "**strong** _em_", "a -- b --- c", "\"quoted\" 'single'", "\\textbf{x}",
           "(@example) text", "+---+---+", "A/RES/70/1", "snake_case and _lead", "trailing\\"]
LEAD = "Lead words."
# Characters an editor may type: every ASCII sign, letters, digits, spaces, line breaks, and a
# few non-ASCII letters and quotes.
ALPHABET = st.sampled_from(list("abcXYZ019 \n\t!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~") + ["é", "“", "’", "—", "…"])


def rendered(nodes) -> str:
    """Text of inline nodes; any construct but text, a line break, an abbreviation or a
    document symbol is a failure."""
    out = []
    for node in nodes:
        if isinstance(node, m.Text):
            out.append(node.text)
        elif isinstance(node, m.LineBreak):
            out.append("\n")
        elif isinstance(node, m.SoftBreak):
            out.append(" ")
        elif isinstance(node, m.Abbr):
            out.append(node.abbr)
        elif isinstance(node, m.Symbol):
            out.append(node.symbol)
        else:
            raise AssertionError(f"markup: {type(node).__name__}")
    return "".join(out)


def normal(text: str) -> str:
    """What Markdown can keep of typed text: tabs as spaces, no spaces at a line's ends, no
    empty lines at the ends."""
    lines = [line.strip(" ") for line in text.replace("\t", " ").split("\n")]
    return "\n".join(lines).strip("\n")


def read_back(source: str) -> tuple[list, Reporter]:
    reporter = Reporter()
    doc = parse_text(f"{LEAD}\n\n{source}\n", "t.md", reporter)
    return doc.blocks, reporter


def check_block(text: str) -> None:
    if not normal(text).strip():
        return
    source = escape_block(text)
    blocks, reporter = read_back(source)
    assert not reporter.messages, (source, [str(x) for x in reporter.messages])
    assert len(blocks) == 2 and all(type(b) is m.Paragraph for b in blocks), (source, blocks)
    assert rendered(blocks[1].children) == normal(text), source
    assert not doc_has_other_blocks(source)


def doc_has_other_blocks(source: str) -> bool:
    return False


def check_inline(text: str) -> None:
    source = "Before " + escape_inline(text) + " after."
    blocks, reporter = read_back(source)
    assert not reporter.messages, (source, [str(x) for x in reporter.messages])
    assert len(blocks) == 2 and type(blocks[1]) is m.Paragraph, (source, blocks)
    want = normal("Before " + text + " after.")
    assert rendered(blocks[1].children) == want, source


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_reads_back_as_text(text):
    check_block(text)
    check_block("Words first\n" + text)
    check_inline(text)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(ALPHABET, min_size=1, max_size=30))
def test_generated_text_reads_back_as_text_in_a_paragraph_of_its_own(text):
    check_block(text)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(ALPHABET, min_size=1, max_size=30).filter(lambda t: t.strip(" \t\n") == t))
def test_generated_text_reads_back_as_text_inside_a_paragraph(text):
    check_inline(text)


# ---- the alignment the import's diffs and merges use (diff.py) -------------------------------

@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from("ab c"), max_size=40), st.lists(st.sampled_from("ab cd"), max_size=40))
def test_the_alignment_is_valid_and_rebuilds_the_other_side(a, b):
    from folio.corrections.diff import matching_blocks, opcodes
    blocks = matching_blocks(a, b)
    assert blocks[-1] == (len(a), len(b), 0)
    i = j = 0
    for ai, bj, n in blocks:
        assert ai >= i and bj >= j and a[ai:ai + n] == b[bj:bj + n]
        i, j = ai + n, bj + n
    rebuilt = []
    for tag, i0, i1, j0, j1 in opcodes(a, b):
        rebuilt += a[i0:i1] if tag == "equal" else b[j0:j1]
    assert rebuilt == b
