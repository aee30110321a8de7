"""Structure ids in the tagged PDF: the /ID of each structure element WeasyPrint makes for an
element with an id, so that a block can be found in the PDF by the id the source map gives it
(both PDF routes: the single pass around its write_pdf, the chunked route's workers around
each chunk's, as `Options.tagging`)."""
from __future__ import annotations

from contextlib import contextmanager


@contextmanager
def structure_ids():
    """While WeasyPrint tags the PDF, give each structure element made for an element with an
    id that id (/ID), and list them in the structure tree root's /IDTree. A block split over
    pages has one element per page: the first keeps the id, the others get '~2', '~3'.
    (WeasyPrint 70 has no hook for this: its two tagging functions are wrapped meanwhile.)"""
    import pydyf
    import weasyprint.pdf as weasy_pdf
    from weasyprint.pdf import tags

    build_tree, add_tags = tags._build_box_tree, weasy_pdf.add_tags
    made: list[tuple[str, object]] = []
    seen: dict[str, int] = {}

    def with_ids(box, parent, pdf, *args):
        for element in build_tree(box, parent, pdf, *args):
            html = getattr(box, "element", None)
            ident = html.get("id") if html is not None and box.element_tag not in ("html", "body") else None
            if ident and "ID" not in element and element.get("S") != "/NonStruct":
                seen[ident] = seen.get(ident, 0) + 1
                key = ident if seen[ident] == 1 else f"{ident}~{seen[ident]}"
                element["ID"] = pydyf.String(key)
                made.append((key, element.reference))
            yield element

    def tags_and_tree(pdf, *args):
        add_tags(pdf, *args)
        root = pdf.objects[int(pdf.catalog["StructTreeRoot"].split()[0])]
        names = pydyf.Array()
        for key, reference in sorted(made, key=lambda item: item[0].encode("utf-8")):
            names.extend([pydyf.String(key), reference])
        root["IDTree"] = pydyf.Dictionary({"Names": names})

    references = pydyf.PDF.page_references
    tags._build_box_tree, weasy_pdf.add_tags = with_ids, tags_and_tree
    pydyf.PDF.page_references = property(_page_references)
    try:
        yield
    finally:
        tags._build_box_tree, weasy_pdf.add_tags = build_tree, add_tags
        pydyf.PDF.page_references = references


def _page_references(pdf) -> tuple:
    """pydyf's PDF.page_references, made once per page count: pydyf builds the tuple of every
    page's reference each time it is read, and WeasyPrint's tagging reads it for each tagged
    box (13,000 reads of 84 pages at 10×: a cost that grows with pages × boxes). Pages are only
    ever appended, so the count says whether the tuple is still whole."""
    kids = pdf.pages["Kids"]
    made = pdf.__dict__.get("_folio_page_references")
    if made is None or made[0] != len(kids):
        made = pdf.__dict__["_folio_page_references"] = (
            len(kids), tuple(f"{number} 0 R".encode("ascii") for number in kids[::3]))
    return made[1]
