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



def test_the_hooks_module_does_not_bring_the_writers_libraries():
    """What a worker imports for its hooks: not pikepdf nor the templates' Jinja (the PDF
    package imports its routes when asked for them), 0.06 s of every worker's start."""
    from folio.writers.pdf.chunked import WORKER_MODULES
    with pool.Pool(1, WORKER_MODULES) as workers:
        workers.first_ready()
        assert workers.submit(loaded, "folio.writers.pdf.chunked").result(timeout=120)
        for heavy in ("pikepdf", "jinja2", "folio.writers.pdf.editions"):
            assert not workers.submit(loaded, heavy).result(timeout=120), heavy


def test_the_pdf_package_still_gives_what_it_exports():
    import folio.writers.pdf as pdf
    for name in pdf.__all__:
        assert callable(getattr(pdf, name)) or name == "LAYOUTS"
