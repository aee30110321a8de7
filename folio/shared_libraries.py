"""WeasyPrint's native libraries found by their file names first, on Linux.

WeasyPrint 70 opens each library (GObject, Pango, HarfBuzz, fontconfig…) by trying six names in
turn, the Linux file name ("libpango-1.0.so.0") fourth. cffi looks each name before it up with
ctypes.util.find_library, which runs `ldconfig -p` and then gcc and ld to fail: about 20 such
lookups, 0.15-0.2 s of CPU in every process that imports WeasyPrint (a build, each layout
worker). While weasyprint.text.ffi runs, that lookup answers "not found" at once, so cffi goes
on to the file name, which the dynamic loader finds as usual (LD_LIBRARY_PATH included). Should
that fail (a system where only gcc's search path holds the libraries), the module runs again
with the real lookup, which also prints WeasyPrint's own advice."""
from __future__ import annotations

import sys

MODULE = "weasyprint.text.ffi"


def install() -> None:
    """Watch for WeasyPrint's library module, once per process (Linux only)."""
    if sys.platform == "linux" and MODULE not in sys.modules \
            and not any(isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.insert(0, _Finder())


class _Finder:
    """A meta path finder (the import system asks its find_spec; no base class is needed, and
    importlib.abc's import costs every folio command some 10 ms)."""

    def find_spec(self, name, path, target=None):
        if name != MODULE:
            return None
        if self in sys.meta_path:
            sys.meta_path.remove(self)      # asked once: every later import skips this finder
        from importlib.machinery import PathFinder
        spec = PathFinder.find_spec(name, path)
        if spec is not None and spec.loader is not None:
            spec.loader = _Loader(spec.loader)
        return spec


class _Loader:
    def __init__(self, real):
        self.real = real

    def __getattr__(self, name):
        return getattr(self.real, name)     # get_source, get_filename…: the real loader's

    def create_module(self, spec):
        return self.real.create_module(spec)

    def exec_module(self, module) -> None:
        import contextlib
        import ctypes.util
        import io
        lookup = ctypes.util.find_library
        ctypes.util.find_library = lambda name: None
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                self.real.exec_module(module)
            return
        except OSError:
            pass
        finally:
            ctypes.util.find_library = lookup
        self.real.exec_module(module)
