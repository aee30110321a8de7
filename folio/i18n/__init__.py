"""Words and numerals of the outputs, per language."""
