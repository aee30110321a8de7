"""Safe writes: a temporary file beside the target, then an atomic rename."""
from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from .inputs import note_written

_UMASK = os.umask(0)
os.umask(_UMASK)
_unfinished: set[str] = set()      # temporary files being written now (removed if killed)


def write_atomic(path: Path, data: bytes) -> None:
    """The target is always either its previous content or the whole new one. The hash of the
    bytes is recorded in the build's log before the rename: the stamp vouches for what this
    build wrote, not for whatever another build put there since."""
    import tempfile  # here: a build with nothing to do imports this module, never writes

    if _already(path, data):        # a rebuild rewrites fonts and styles as they were: skip the fsyncs
        note_written(path, data)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    _unfinished.add(tmp)
    try:
        os.chmod(fd, 0o666 & ~_UMASK)  # mkstemp makes 0600; outputs are shared and served
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        note_written(path, data)
        _replaceable(path)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    finally:
        _unfinished.discard(tmp)


def _already(path: Path, data: bytes) -> bool:
    """The target is a regular file of folio's (not a link, its mode as folio writes it) that
    holds these very bytes."""
    try:
        info = os.lstat(path)
        if not (stat.S_ISREG(info.st_mode) and info.st_size == len(data)
                and stat.S_IMODE(info.st_mode) == 0o666 & ~_UMASK):
            return False
        with open(path, "rb") as handle:
            return handle.read(len(data) + 1) == data
    except (OSError, ValueError):
        return False


def _replaceable(path: Path) -> None:
    """A rename replaces whatever stands at the target: a device node (`folio reference-doc
    /dev/x`), a fifo, a link. folio replaces only its own kind of output, a regular file."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    if not stat.S_ISREG(info.st_mode):
        what = "a link" if stat.S_ISLNK(info.st_mode) else "a folder" if stat.S_ISDIR(info.st_mode) \
            else "a device or a fifo"
        raise OSError(errno.EEXIST, f"{what} is there; folio replaces only regular files", str(path))


def remove_unfinished() -> None:
    """Called when the process is told to stop: no temporary file is left behind."""
    for tmp in list(_unfinished):
        try:
            os.unlink(tmp)
        except OSError:
            pass


def is_inside(path: Path, root: Path) -> bool:
    """True if path, with symlinks and '..' resolved, lies under root."""
    try:
        path.resolve().relative_to(root.resolve())
        return True
    except (ValueError, OSError, RuntimeError):   # RuntimeError: a symlink loop
        return False
