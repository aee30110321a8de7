"""The editions folio writes, each declared once (as Sphinx builders declare themselves).

An edition says what it is called, which writer makes it, the files it puts in the build
folder, its MIME type, whether its writer is heavy (worth a process of its own), which
libraries' versions make it stale, and whether the web edition links to it. The build, the
stamps, the web page's list of other editions and the command line read this table instead
of each keeping its own; adding an edition (EPUB, say) is one record here and one writer.

Imports nothing: a build with nothing to do reads it too."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

TEXT_LIBRARIES = ("jinja2", "markdown-it-py", "mdit-py-plugins")


@dataclass(frozen=True)
class Edition:
    name: str               # the format's name on the command line: folio build -f NAME
    writer: str             # "module:function", imported only when the edition is built
    main: str               # the main file, relative to the build folder ({name} = the source's stem)
    mime: str
    heavy: bool = False     # lays out pages or packs a large file: a process of its own
    libraries: tuple = TEXT_LIBRARIES    # whose versions make the output stale
    linked: bool = False    # the web edition lists it under "Other editions"
    environment: tuple = ()  # variables that change what the writer writes: part of its stamp

    def main_path(self, out_dir: Path, name: str) -> Path:
        return out_dir / self.main.format(name=name)


EDITIONS = {e.name: e for e in (
    Edition("html", "folio.writers.html:write_html", "html/index.html", "text/html"),
    Edition("pdf", "folio.writers.pdf:write_pdf", "{name}.pdf", "application/pdf", heavy=True,
            libraries=TEXT_LIBRARIES + ("weasyprint", "pikepdf", "pydyf"), linked=True),
    Edition("docx", "folio.writers.docx:write_docx", "{name}.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document", heavy=True,
            libraries=TEXT_LIBRARIES + ("python-docx", "lxml"), linked=True,
            environment=("FOLIO_DOCX_PAGE_NUMBERS",)),
)}
