"""The syntax other tools bring (issue 10): each plugin's fixture file in tests/fixtures/syntax/
holds cases of input and the model written out by hand (tests/model_dump.py's form), with every
message the case must give, as markdown-it's own fixtures do."""
from __future__ import annotations

import pytest
from conftest import ROOT
from markdown_it.utils import read_fixture_file
from model_dump import dump

CASES = [(path.stem, line, title, source, expected)
         for path in sorted((ROOT / "tests" / "fixtures" / "syntax").glob("*.md"))
         for line, title, source, expected in read_fixture_file(path)]


@pytest.mark.parametrize("name,line,title,source,expected", CASES,
                         ids=[f"{c[0]}:{c[1] + 1}" for c in CASES])
def test_fixture(name: str, line: int, title: str, source: str, expected: str):
    assert dump(source) == expected, f"{name}.md, line {line + 1}: {title}"


# folio's plugins for other tools' syntax → their fixture file (the three tables share one);
# the rules taken from mdit-py-plugins have theirs too.
FIXTURE_OF = {"divs": "divs", "dashes": "dashes", "heading_refs": "heading_refs", "line_blocks": "line_blocks",
              "unsupported": "unsupported", "directives": "directives", "html": "html", "grid_tables": "tables",
              "simple_tables": "tables", "multiline_tables": "tables", "deflist": "definition_lists",
              "admon": "admonitions", "footnote inline": "inline_notes", "heading_attrs": "heading_attrs",
              "escapes": "escapes", "nesting": "nesting", "citations": "citations",
              "roles": "roles"}
OLDER = {"__init__", "table_tokens", "abbreviations", "gaps", "symbols", "xrefs"}


def test_every_plugin_has_its_fixture_file():
    plugins = {p.stem for p in (ROOT / "folio" / "readers" / "markdown" / "plugins").glob("*.py")} - OLDER
    assert plugins <= set(FIXTURE_OF), sorted(plugins - set(FIXTURE_OF))
    fixtures = {p.stem for p in (ROOT / "tests" / "fixtures" / "syntax").glob("*.md")}
    assert set(FIXTURE_OF.values()) <= fixtures, sorted(set(FIXTURE_OF.values()) - fixtures)


def test_paragraphs_of_a_plain_div_are_numbered_and_a_boxs_are_not():
    from folio import model as m
    from folio.diagnostics import Reporter
    from folio.i18n import numerals
    from folio.model.walk import iter_blocks
    from folio.readers.markdown import parse_text
    from folio.transforms import run_transforms

    text = ("---\nparagraph-numbers: true\n---\n# One\n\nFirst.\n\n::: {.method}\nSecond.\n:::\n\n"
            "::: warning\nBoxed.\n:::\n\nThird.\n")
    doc = parse_text(text, "t.md", Reporter())
    run_transforms(doc, Reporter())
    numbers = [(numerals.full(p.number), p.children[0].text) for p in iter_blocks(doc.blocks)
               if isinstance(p, m.Paragraph)]
    assert numbers == [("1", "First."), ("2", "Second."), ("", "Boxed."), ("3", "Third.")]
