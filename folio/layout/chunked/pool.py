"""Layout workers: `spawn` processes (never forked after WeasyPrint is imported) that import
WeasyPrint themselves and die with the process that started them.

Dying with the parent is asked of the kernel (Linux PR_SET_PDEATHSIG) and, where that is not
available or the parent died first, noticed by a watchdog thread that polls the parent's pid.
The pool is shut down by its owner; a worker that outlives a failed build is killed by pid."""
from __future__ import annotations

import atexit
import multiprocessing
import os
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor

from ... import jobs

WATCH_SECONDS = 0.5
_prestarted: list = []   # a pool started before the source was parsed, for the writer to take
_kept = [False]          # keep() was called: a pool goes back to _prestarted after a build


def workers_wanted(jobs: int) -> int:
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:   # not Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, jobs))


class Pool:
    """A process pool of layout workers, used as a context manager."""

    def __init__(self, size: int, modules: tuple = ()):
        self.size = size
        self.executor = ProcessPoolExecutor(max_workers=size, mp_context=multiprocessing.get_context("spawn"),
                                            initializer=_init, initargs=(os.getpid(), tuple(modules)))
        # One worker starts now, importing WeasyPrint while the parent splits the HTML; the
        # others when there is more than one layout to do (a correction often needs one).
        self.warming = [self.executor.submit(_warm)]

    def __enter__(self):
        return self

    def __exit__(self, exc_type, *exc):
        if _kept[0] and exc_type is None and self.healthy() and not _prestarted:
            # Warm for the next build of this long-lived process; a chunk laid out ahead that no
            # round took (chunked/route.py) may still be running: it ends before the next job.
            _prestarted.append(self)
        else:
            self.close()

    def healthy(self) -> bool:
        """Every worker alive, the executor not broken."""
        executor = self.executor
        return not getattr(executor, "_broken", True) and \
            all(p.is_alive() for p in (getattr(executor, "_processes", None) or {}).values())

    def submit(self, fn, *args):
        return jobs.submit(self.executor, fn, *args)     # pickled in this thread (folio.jobs.submit)

    def grow(self) -> None:
        """Start the other workers (the executor starts one per call it cannot hand to an
        idle worker, up to size)."""
        while len(self.warming) < self.size:
            self.warming.append(self.executor.submit(_warm))

    def first_ready(self) -> None:
        """Wait until the first worker has imported WeasyPrint: a call submitted before would
        make the executor start another worker for it."""
        self.warming[0].result()

    def close(self) -> None:
        """Called once the owner has every result it wants (or has stopped: an error, Ctrl-C):
        what is still running, or still importing WeasyPrint, is of no use; it is killed by
        pid rather than waited for."""
        processes = list((getattr(self.executor, "_processes", None) or {}).values())
        self.executor.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            if process.is_alive():
                process.kill()
        for process in processes:
            process.join(timeout=5)


def prestart(modules: tuple = (), every: bool = False) -> None:
    """Start the layout workers now (before the source is parsed), for take() to hand over;
    `modules`: what they import while they warm up (the modules of the jobs' hooks); `every`:
    start them all now, not the first alone (the build will want more than one layout at once)."""
    if not _prestarted:
        _prestarted.append(Pool(workers_wanted(64), modules))
        if every:
            _prestarted[0].grow()


def take(size: int, modules: tuple = ()):
    """The prestarted pool if there is one (of at least `size`), else a new one."""
    if _prestarted and not _prestarted[0].healthy():
        discard()                       # a kept pool whose worker died since
    return _prestarted.pop() if _prestarted and _prestarted[0].size >= size else Pool(size, modules)


def keep() -> None:
    """This process lives on after its build (the watcher's PDF writer): its layout workers
    stay, warm, for the next build (a one-word correction skips their start and WeasyPrint's
    import and fonts)."""
    _kept[0] = True


def discard() -> None:
    """The PDF is laid out in one pass after all: stop the prestarted workers."""
    while _prestarted:
        _prestarted.pop().close()


def _init(parent: int, modules: tuple = ()) -> None:
    """In each worker, first thing: die with the parent, whichever way it goes."""
    if sys.platform.startswith("linux"):
        import ctypes
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)   # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:   # the parent died before the signal was asked for
        os._exit(1)
    threading.Thread(target=_watch, args=(parent,), daemon=True, name="folio-parent-watch").start()
    # A worker that is done has nothing to clean up: skip the interpreter's slow teardown of
    # WeasyPrint's modules (registered first, so it runs last, after multiprocessing's own).
    atexit.register(os._exit, 0)
    from .worker import warm
    warm(modules)   # WeasyPrint is imported while the parent is still splitting the HTML


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCH_SECONDS)
    os._exit(1)


def _warm() -> int:
    return os.getpid()
