"""The layout workers import their hooks' modules while they warm up (folio/layout/chunked/
pool.py), so that a correction's one layout does not wait for them."""
from __future__ import annotations

import sys

from folio.layout.chunked import pool


def loaded(name: str) -> bool:
    """Run in a worker: whether a module is imported there already."""
    return name in sys.modules


def test_a_new_worker_has_its_hooks_modules_before_its_first_job():
    with pool.Pool(1, ("folio.writers.pdf.chunked",)) as workers:
        workers.first_ready()
        assert workers.submit(loaded, "folio.writers.pdf.chunked").result(timeout=120)
        assert not workers.submit(loaded, "folio.writers.docx").result(timeout=120)

