"""The Word import (issue 25) on edited Word files (tests/import_cases.py) at n and 4n, each
imported in a subprocess of its own with a kill timer (tests/pathological.py): the time of the
import alone (best of two) grows linearly, and the process's peak memory stays bounded
(12,000 comment ranges never closed took 5.8 GB). A ratio over the limit is measured again
before it counts, as the writers' scaling tests do: a quadratic fails every time, a burst of
load from the tests beside it (0.35 s at 4n alone, 0.86 s in a CI run) does not."""
from __future__ import annotations

import pytest
from pathological import (
    FACTOR,
    IMPORT_MEMORY,
    IMPORT_SIZES,
    IMPORT_TIMEOUT,
    MAX_RATIO,
    RETRIES,
    import_ratio,
    import_run,
)

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("case", list(IMPORT_SIZES))
def test_the_word_import_is_linear_and_bounded(case):
    n = IMPORT_SIZES[case]
    for _ in range(RETRIES + 1):
        small, large = import_run(case, n), import_run(case, FACTOR * n)
        print(f"\nimport: {case}: n={n} {small.get('t', 0):.3f} s {small.get('mb', 0):.0f} MB;"
              f" 4n {large.get('t', 0):.3f} s {large.get('mb', 0):.0f} MB, {large.get('kb', 0)} KB")
        for run in (small, large):
            assert not run["timeout"], f"{case}: no result within {IMPORT_TIMEOUT} s"
            assert "error" not in run, run.get("error")
            assert not run["messages"], run["messages"]
        ratio = import_ratio(small, large)
        if ratio is None or ratio <= MAX_RATIO:
            break
    assert ratio is None or ratio <= MAX_RATIO, f"{case}: t(4n) / t(n) = {ratio:.2f} > {MAX_RATIO}"
    assert large["mb"] <= IMPORT_MEMORY, f"{case}: {large['mb']:.0f} MB at 4n"

