"""folio: one canonical Markdown source of a UN report → PDF, DOCX and HTML.

Public API: ``build(project, formats)``; see folio.build.
"""
__version__ = "0.1.0"

from .shared_libraries import install as _install

_install()   # before anything imports WeasyPrint (folio/shared_libraries.py says why)
