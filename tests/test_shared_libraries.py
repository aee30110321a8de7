"""WeasyPrint's native libraries are opened without ctypes' search (folio/shared_libraries.py):
importing it runs no program (ldconfig, gcc), every library it can use is open, and a system the
quick way cannot serve still gets the real search."""
from __future__ import annotations

import subprocess
import sys
import types

import pytest

from folio import shared_libraries

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the quick way is Linux's")

COUNT_PROGRAMS = """
import ctypes.util, subprocess
real = ctypes.util.find_library
programs = []
start = subprocess.Popen.__init__
def spy(self, args, *rest, **options):
    programs.append(args)
    start(self, args, *rest, **options)
subprocess.Popen.__init__ = spy
{imports}
from weasyprint.text import ffi
import sys
from folio.shared_libraries import _Finder
assert not any(isinstance(f, _Finder) for f in sys.meta_path)   # gone once it has served
print(len(programs), ffi.pango is not None, ffi.harfbuzz_subset is not None,
      ctypes.util.find_library is real)
"""


def _imported(imports: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", COUNT_PROGRAMS.format(imports=imports)],
                          capture_output=True, text=True, timeout=60, check=True)
    return done.stdout.split()


def test_weasyprint_imported_after_folio_runs_no_program():
    programs, pango, subset, lookup_restored = _imported("import folio, weasyprint")
    assert programs == "0"
    assert (pango, subset, lookup_restored) == ("True", "True", "True")


def test_the_premise_weasyprint_alone_runs_programs_to_find_its_libraries():
    """Without folio first, ctypes' search runs ldconfig (and gcc) for the names that fail."""
    programs, pango, subset, _ = _imported("import weasyprint")
    assert int(programs) >= 5 and pango == subset == "True"


def test_a_library_the_quick_way_misses_is_found_the_slow_way(monkeypatch):
    """The module runs again with the real lookup when the quick way fails, and the lookup
    it borrowed is given back either way."""
    import ctypes.util
    real = ctypes.util.find_library
    seen = []

    class Module:
        def create_module(self, spec):
            return None

        def exec_module(self, module):
            seen.append(ctypes.util.find_library is real)
            print("WeasyPrint's advice")          # kept from the first, failed, attempt
            if len(seen) == 1:
                raise OSError("cannot load library 'libpango-1.0.so.0'")

    shared_libraries._Loader(Module()).exec_module(types.ModuleType("weasyprint.text.ffi"))
    assert seen == [False, True]
    assert ctypes.util.find_library is real
