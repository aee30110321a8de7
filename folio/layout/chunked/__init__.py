"""The PDF laid out in chunks: in parallel, cached, stitched into one file.

    plan.py       split the print HTML at forced page breaks into chunks (complete documents)
    css.py        the little cascade the split needs; stylesheets rewritten for chunks
    pool.py       spawn worker processes that die with the build
    worker.py     in a worker: WeasyPrint lays out a chunk or a frame batch and writes its PDF
    numbers.py    the file's page sequence, page numbers and the labels anchors land on
    frames.py     running heads, page numbers and blank pages, laid out apart from the chunks
    cache.py      chunk and frame PDFs kept between builds (build/.folio/chunks/)
    route.py      the whole route: split, schedule, settle, stitch
    stitch.py     pikepdf: pages, frames, destinations, outline, labels into one file
    structure.py  one structure tree (tagged PDF) from the chunks' trees
    fonts.py      one font per face; sfnt.py: the union of subsets of one TrueType font

The writer's seam is `route.write(page_html, project, reporter, Options(numbering, label, …))`
(see folio/writers/pdf/chunked.py), with the writer's own workers where it holds them for more
than one layout or for work after it (`with route.workers(options) as pool`). It returns
`Output(pdf, pages, stats)`, one `Page` per page of the file: its label, number and style, its
text (chunk text, then frame text, as the single pass orders it), and the facts the worker
gathered for it (`worker.PageFacts`: anchors
with their positions, bookmarks, string-set values, page name and side, margins, text, and
`extra`). `extra` is whatever `Options.facts = ("module:function", args)` returned for that page
when the worker called `function(page_box, *args)` on WeasyPrint's laid-out page box: the hook
for a page map (block ids and the lines they occupy) computed where the boxes exist, since a
rendered Document cannot leave its process (folio's is a record, ChunkPage, which the cache's JSON
gives back as a list). `Options.tagging = "module:function"` names a context
manager entered around each chunk's `write_pdf` (e.g. to add /ID to structure elements). Blank
pages have no chunk facts, only frame facts."""
