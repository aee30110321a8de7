"""The print edition laid out and read back, apart from the writers: folio/writers/pdf/ imports
this package, which imports nothing of folio/writers/ (tests/test_imports.py).

    chunked/    the chunked layout engine: split, worker processes, cache, stitch (no model)
    weasy/      what folio asks of WeasyPrint 70, shared by both PDF routes
    lines.py    what laid-out lines ask of hyphenation
    carry.py    a carry-over of a few lines pulled back from the last page of text
    pagemap.py  where each block landed (the page map)"""
