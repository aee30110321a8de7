"""What folio's Word edition and the Word import share about OOXML: namespaces and names
(names.py), the ids of the paragraphs folio writes (ids.py) and the source-map part's format
(sourcemap.py). The writer (writers/docx) writes with it, the import (corrections/) reads with
it; neither imports the other's modules for it."""
