"""folio: one canonical Markdown source of a UN report → PDF, DOCX and HTML.

Public API: ``build(project, formats)``; see folio.build.
"""
__version__ = "0.1.0"
