"""Writer worker processes that live and die with the build that started them.

Each worker, when it starts: ignores Ctrl-C (the terminal sends it to the whole process group;
the parent decides, and a worker's KeyboardInterrupt traceback is noise); asks Linux for
SIGTERM when its parent dies (prctl PR_SET_PDEATHSIG; elsewhere a thread watches the parent's
pid); and on SIGTERM removes the temporary file it may be writing and exits at once. So a killed
parent leaves no worker behind, and an interrupted build leaves no partial output."""
from __future__ import annotations

import ctypes
import multiprocessing
import os
import pickle
import signal
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor

from . import files

PR_SET_PDEATHSIG = 1


def pool() -> ProcessPoolExecutor:
    """A one-worker pool forked from this process, its worker bound to this process's life."""
    return ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"),
                               initializer=_bind_to_parent, initargs=(os.getpid(),))


def submit(executor: ProcessPoolExecutor, fn, *args) -> Future:
    """executor.submit(fn, *args), its arguments pickled here, in the calling thread.

    An executor pickles what it sends in a thread of its own. Two pools sending the same model
    at once (the PDF and the DOCX writer) then build the same objects' __dict__ in two threads,
    which CPython 3.11 does not guard: the model was left with freed strings, and the build
    crashed in its last garbage collection (a segfault in about one build in five of a
    5,000-row table). Pickled here, in one thread, the executors' threads only send bytes."""
    return executor.submit(_call, pickle.dumps((fn, args), protocol=pickle.HIGHEST_PROTOCOL))


def _call(payload: bytes):
    fn, args = pickle.loads(payload)
    return fn(*args)


def stop(executor: ProcessPoolExecutor) -> None:
    """End a pool's workers now (SIGTERM: each removes its temporary file), then the pool."""
    for process in list(getattr(executor, "_processes", None) or {}):   # pids
        try:
            os.kill(process, signal.SIGTERM)
        except (ProcessLookupError, PermissionError):
            pass
    executor.shutdown(wait=True, cancel_futures=True)


def _bind_to_parent(parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _terminated)
    if not _death_signal(signal.SIGTERM):
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:           # the parent died before the signal was asked for
        _terminated(signal.SIGTERM, None)


def _death_signal(signum: int) -> bool:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, int(signum), 0, 0, 0) == 0
    except (OSError, AttributeError):     # not Linux
        return False


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.2)
    os.kill(os.getpid(), signal.SIGTERM)


def _terminated(signum, frame) -> None:
    files.remove_unfinished()
    os._exit(128 + signum)
