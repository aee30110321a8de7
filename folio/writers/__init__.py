"""Writers read the finished model and write one output each. Registry, not if-chains."""
from __future__ import annotations

import importlib

from ..editions import EDITIONS

# name → "module:function", from each edition's record; imported only when that format is
# built, so a build of the HTML alone never pays for WeasyPrint or python-docx.
WRITERS = {name: edition.writer for name, edition in EDITIONS.items()}


def load_writer(name: str):
    module, function = WRITERS[name].split(":")
    return getattr(importlib.import_module(module), function)


def prepare_writer(name: str, project=None) -> None:
    """Import a writer before the source is parsed, and let it start what it will need (the
    PDF's layout workers import WeasyPrint meanwhile): its optional `prepare(project)`."""
    module = importlib.import_module(WRITERS[name].split(":")[0])
    prepare = getattr(module, "prepare", None)
    if prepare is not None and project is not None:
        prepare(project)


def keep_writer(name: str) -> None:
    """In a process kept between builds (the watcher's): let the writer keep what it starts
    (the PDF's layout workers) for the next build, by its optional `keep()`."""
    module = importlib.import_module(WRITERS[name].split(":")[0])
    keep = getattr(module, "keep", None)
    if keep is not None:
        keep()
