"""Which laid-out chunk the chunked route may keep as a job's result (route.Route.final): the
same key and, for a job that draws its PDF, a PDF. A chunk laid out without its PDF (its lines
asked the next round for more) was kept by its key alone after its job was made again for the
other side, and stitched: the 50x report fell back to one pass in most cold builds."""
from __future__ import annotations

from folio.layout.chunked.route import Route
from folio.layout.chunked.worker import Job, Rendered

ASKS_MORE = ("builtins:bool", ())       # a `skip` hook: true where the chunk's facts are


def _route(rendered: Rendered) -> Route:
    route = Route.__new__(Route)        # final() reads the results alone
    route.results = {0: ("key", rendered)}
    return route


def _job(key: str = "key", skip=None) -> Job:
    return Job("chunk", "<p>text</p>", "file:///", None, key, skip=skip)


def test_a_chunk_with_its_pdf_is_final_for_its_key():
    route = _route(Rendered(b"%PDF", [], extra={}))
    assert route.final(0, _job())
    assert route.final(0, _job(skip=ASKS_MORE))
    assert not route.final(0, _job("another key"))
    assert not route.final(1, _job())


def test_a_chunk_without_its_pdf_is_not_final_for_a_job_that_draws_it():
    route = _route(Rendered(b"", [], extra={"keep": {"p-1": ["evidence"]}}))
    assert not route.final(0, _job())                # the last revision: every PDF is drawn


def test_a_chunk_without_its_pdf_is_final_only_while_its_lines_still_ask_for_more():
    asked = _route(Rendered(b"", [], extra={"keep": {"p-1": ["evidence"]}}))
    assert asked.final(0, _job(skip=ASKS_MORE))
    settled = _route(Rendered(b"", [], extra={}))      # read for the other side: nothing asked
    assert not settled.final(0, _job(skip=ASKS_MORE))
