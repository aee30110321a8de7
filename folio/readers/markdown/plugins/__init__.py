"""folio's own markdown-it plugins: one module each, one job each."""
