"""Which runs of an Arabic text are isolated left to right (folio/writers/bidi_runs.py): a number
grouped with spaces, a Latin name or symbol (with its slashes, dots and inner spaces), nothing
of the Arabic around them, and not a plain number, which the bidi algorithm keeps whole."""
from __future__ import annotations

import pytest

from folio.writers.bidi_runs import isolated, ltr_runs


@pytest.mark.parametrize(("text", "runs"), [
    ("فيُكتب مثلاً 1 200 مهاجر", ["1 200"]),
    ("بلغ 25 000 000\u00a0شخص", ["25 000 000"]),
    ("المنظمة الدولية للهجرة (IOM)، واستند", ["IOM"]),
    ("بقرار الجمعية العامة A/RES/70/1 المؤرخ 25 أيلول", ["A/RES/70/1"]),
    ("عُقد في New York عام 2020", ["New York"]),
    ("على العنوان https://example.org/data?year=2027، تحت", ["https://example.org/data?year=2027"]),
    ("في عام 2015، الذي", []),
    ("الغاية 10-ج من", []),
])
def test_the_runs_isolated(text, runs):
    assert [piece for piece, ltr in ltr_runs(text) if ltr] == runs
    assert "".join(piece for piece, _ in ltr_runs(text)) == text


def test_a_run_is_wrapped_with_its_direction_and_the_rest_escaped():
    assert isolated("أ <ب> 1 200", lambda s: s.replace("<", "&lt;").replace(">", "&gt;")) == \
        'أ &lt;ب&gt; <bdi dir="ltr">1 200</bdi>'
