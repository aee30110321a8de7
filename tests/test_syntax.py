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


def test_every_plugin_has_its_fixture_file():
    plugins = {p.stem for p in (ROOT / "folio" / "readers" / "markdown" / "plugins").glob("*.py")}
    own = plugins - {"__init__", "table_tokens", "abbreviations", "gaps", "heading_attrs", "symbols", "xrefs"}
    fixtures = {p.stem for p in (ROOT / "tests" / "fixtures" / "syntax").glob("*.md")}
    expected = {"divs", "dashes", "heading_refs", "line_blocks", "unsupported"} | \
        {"tables" if "tables" in n else n for n in own}
    assert own and expected <= fixtures | {"tables"} and "tables" in fixtures, sorted(expected - fixtures)
