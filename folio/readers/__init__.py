"""Readers turn a source into folio's model (Markdown). Reading an edited Word file back is
not a reader of sources: it makes edits against one, and lives beside the build (corrections/)."""
