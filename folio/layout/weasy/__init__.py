"""What folio asks of WeasyPrint 70."""
