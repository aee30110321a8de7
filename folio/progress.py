"""What a long build is doing, from whichever process does it, for the terminal to show.

Library code calls `emit(task, text, done, total)`; it costs nothing when no one listens. The
command line listens (`channel`) only when its stderr is a terminal: a pipe opened before the
writer processes are forked carries each event, one short JSON line (atomic under PIPE_BUF),
to a thread that hands it to the display (folio/cli.py, with rich). Layout workers spawned by
the chunked route do not emit; the process that collects their chunks does."""
from __future__ import annotations

import contextlib
import json
import os
import threading

_sink: int | None = None      # the pipe's write end, inherited by forked writer processes


def emit(task: str, text: str, done: int | None = None, total: int | None = None) -> None:
    if _sink is None:
        return
    line = json.dumps([task, text[:200], done, total]).encode() + b"\n"
    try:
        os.write(_sink, line)
    except OSError:           # the pipe is full (the display is slow) or closed: drop the event
        pass


@contextlib.contextmanager
def channel(show):
    """While the block runs, every emit (here or in a process forked inside it) reaches
    show(task, text, done, total), called in one thread of this process."""
    global _sink
    read, write = os.pipe()
    os.set_blocking(write, False)
    thread = threading.Thread(target=_pump, args=(read, show), daemon=True)
    thread.start()
    _sink = write
    try:
        yield
    finally:
        _sink = None
        os.set_blocking(write, True)
        os.write(write, b"null\n")        # the end: forked workers may still hold the write end
        thread.join(timeout=5)
        os.close(write)


def _pump(read: int, show) -> None:
    with os.fdopen(read, "rb") as lines:
        for line in lines:
            try:
                event = json.loads(line)
            except ValueError:
                continue
            if event is None:
                return
            show(*event)


def watch_pdf() -> None:
    """In the PDF writer's process: its pages and chunks are emitted (if anyone listens)."""
    if _sink is not None:
        count_pages()
        count_chunks()


def count_pages() -> None:
    """Emit each page WeasyPrint lays out, numbered by document layout (the hyphenation and
    carry-over passes lay the document out again; WeasyPrint itself goes over its pages up to
    three times a layout to settle page counters, the later passes reusing unchanged pages).
    The hook is on remake_page, which every page loop calls: folio replaces make_all_pages
    itself (layout/weasy/notes.py), which would drop a wrapper put on it."""
    import weasyprint
    import weasyprint.layout.page as page_layout

    from .layout.weasy.wrap import wrap_once

    renders = [0]

    def make_render(original):
        def render(*args, **kwargs):
            renders[0] += 1
            return original(*args, **kwargs)
        return render

    def make(original):
        def remake_page(index, *args, **kwargs):
            made = original(index, *args, **kwargs)
            word = "laying out" if renders[0] <= 1 else f"laying out again ({renders[0]})"
            emit("pdf", f"{word}: page {index + 1}", index + 1)
            return made
        return remake_page

    wrap_once(weasyprint.HTML, "render", "_folio_progress", make_render)
    wrap_once(page_layout, "remake_page", "_folio_progress", make)


def count_chunks() -> None:
    """Emit each chunk the chunked route collects, of how many."""
    from .layout.chunked import route
    from .layout.weasy.wrap import wrap_once

    def make(original):
        def collect(self, future):
            original(self, future)
            laid = len(self.results)
            emit("pdf", f"chunks laid out: {laid} of {len(self.plan.chunks)}", laid, len(self.plan.chunks))
        return collect

    # The route could call emit itself; it is wrapped from here to leave folio/layout/chunked/
    # to the branch reworking it (issue 22).
    wrap_once(route.Route, "collect", "_folio_progress", make)
