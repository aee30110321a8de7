"""The hyphenation rules only a laid-out page shows (folio.layout.lines), on lines given by
hand: which words the next layout keeps whole, by the side of the page a line ends. The
documents' own tests (test_hyphenation.py) read whole PDFs, where a word split at the foot of a
recto is rare: with the rule taken out, none of them failed."""
from __future__ import annotations

from folio.layout import lines

SPLIT = "\u2010"       # what WeasyPrint draws at a soft hyphen it breaks at


class _Box:
    def __init__(self, text: str):
        self.text = text


class _Line:
    """What lines.py reads of a WeasyPrint line box: its text boxes."""
    def __init__(self, text: str):
        self.boxes = [_Box(text)]

    def descendants(self):
        return self.boxes


def _paragraph(foot: bool | None) -> dict:
    """A paragraph of five lines whose second ends a page (laid out as a recto: True, as a
    verso: False) with a word split across the turn."""
    return {"p-1": [(_Line("The delegations welcomed the report and its"), None),
                    (_Line(f"recommendations on the regional consul{SPLIT}"), foot),
                    (_Line("tations held during the year, and asked the"), None),
                    (_Line("secretariat to report again at the next"), None),
                    (_Line("session."), None)]}


def test_a_word_split_at_the_foot_of_a_recto_is_kept_whole():
    assert lines._asked(_paragraph(True), flipped=False)[0] == {"p-1": {"consul"}}
    assert lines._asked(_paragraph(False), flipped=False)[0] == {}
    assert lines._asked(_paragraph(None), flipped=False)[0] == {}     # not at a page's foot


def test_a_chunk_that_lies_on_the_other_sides_reads_the_rule_of_the_sides_it_prints_on():
    # laid out as a recto, printed as a verso (flipped), and the other way round
    assert lines._asked(_paragraph(True), flipped=True)[0] == {}
    assert lines._asked(_paragraph(False), flipped=True)[0] == {"p-1": {"consul"}}
