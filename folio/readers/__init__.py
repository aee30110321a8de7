"""Readers turn a source into folio's model (Markdown) or into edits against it (DOCX)."""
