"""The chunks' PDFs and their frames, stitched with pikepdf into one file that reads as a
single-pass render: pages in order (blank pages where a part opens on the other side),
each page's frame (running heads, number) drawn over it as an artifact, content shifted
where the chunk was laid out on the other side, one outline, named destinations for every
anchor (so links between chunks land), one structure tree and one font per face (page
labels: the writer). The catalog and metadata (XMP, /Info, /Lang, MarkInfo) are the first
chunk's: every chunk has the same <head>, so the same metadata."""
from __future__ import annotations

import io
from dataclasses import dataclass

import pikepdf

from . import fonts
from .structure import Tree

SCALE = 0.75   # PDF points per CSS pixel


@dataclass
class Placed:
    """One page of the stitched file."""
    chunk: int | None          # the chunk it comes from; None for a blank page
    page: int                  # its index in that chunk's PDF
    frame: tuple               # (segment, index of the page in the segment's PDF)
    dx: float = 0.0            # horizontal shift, PDF points (chunk laid out on the other side)
    height: float = 0.0        # page height, CSS px


@dataclass
class Mark:
    """A bookmark or an anchor, placed: page index in the stitched file, CSS px."""
    page: int
    x: float
    y: float
    label: str = ""
    level: int = 0
    state: str = "open"


def stitch(chunks: list[bytes], frames: list[bytes], placed: list[Placed], anchors: dict,
           bookmarks: list[Mark]) -> bytes:
    """The stitched file, without page labels (the writer sets them, with the pages cut to
    their trim size, as for a single pass)."""
    sources = [pikepdf.open(io.BytesIO(data)) for data in chunks]
    segments = [pikepdf.open(io.BytesIO(data)) for data in frames]
    pdf = sources[0]
    for key in ("/Outlines", "/PageLabels"):
        if key in pdf.Root:
            del pdf.Root[key]
    font_tables = _take_fonts(sources + segments)
    pages = _pages(pdf, sources, segments, placed)
    tree = Tree(pdf)
    for index, source in enumerate(sources):
        tree.add(source, [p for p, where in zip(pages, placed, strict=True) if where.chunk == index])
    tree.finish()
    _frames(pdf, segments, pages, placed)
    _put_fonts(pdf, font_tables)
    _destinations(pdf, pages, placed, anchors)
    _outline(pdf, pages, placed, bookmarks)
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()


# ---- pages and frames -----------------------------------------------------------------------

def _pages(pdf, sources, segments, placed) -> list:
    """The pages in order: chunk pages (the first chunk's are already there), blank pages
    from the frame segments."""
    first = len(pdf.pages)
    assert [(p.chunk, p.page) for p in placed[:first]] == [(0, i) for i in range(first)]
    for where in placed[first:]:
        if where.chunk is None:
            pdf.pages.append(segments[where.frame[0]].pages[where.frame[1]])
        else:
            pdf.pages.append(sources[where.chunk].pages[where.page])
    return [page.obj for page in pdf.pages]


def _frames(pdf, segments, pages, placed) -> None:
    """Each chunk page is enclosed in q/Q (WeasyPrint leaves its page transformation in
    place), moved sideways where it was laid out as a right-hand page and is printed as a
    left one, and gets its frame page drawn over it as one marked artifact (a form XObject
    in resources of its own). A blank page is its frame page, all of it an artifact.
    The few wrapping streams are shared by every page."""
    streams: dict[bytes, pikepdf.Object] = {}

    def shared(data: bytes):
        if data not in streams:
            streams[data] = pdf.make_indirect(pikepdf.Stream(pdf, data))
        return streams[data]

    done: set = set()
    for page, where in zip(pages, placed, strict=True):
        if where.chunk is None:
            _contents(page, shared(b"/Artifact BMC\n"), shared(b"\nEMC\n"))
            page.Tabs = pikepdf.Name.S
            continue
        segment, at = where.frame
        form = pdf.copy_foreign(segments[segment].pages[at].as_form_xobject())
        page.Resources = _resources(pdf, page.Resources, done, form)
        shift = f" 1 0 0 1 {where.dx:.4f} 0 cm" if where.dx else ""
        _contents(page, shared(f"q{shift}\n".encode()), shared(b"\nQ\n/Artifact BMC q /FolioFrame Do Q EMC\n"))
        if where.dx:
            for annotation in page.get("/Annots", ()):
                rect = [float(v) for v in annotation.Rect]
                annotation.Rect = pikepdf.Array([rect[0] + where.dx, rect[1], rect[2] + where.dx, rect[3]])


def _contents(page, before, after) -> None:
    contents = page.Contents
    items = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
    page.Contents = pikepdf.Array([before, *items, after])


def _resources(pdf, resources, done: set, form):
    """A page's own resources: the chunk's shared ones (their sub-dictionaries made indirect
    once, so that pages refer to them instead of copying them) and its frame."""
    if resources.objgen not in done:
        for key in sorted(resources.keys()):   # sorted: pikepdf gives a set; new objects in one order
            value = resources[key]
            if isinstance(value, pikepdf.Dictionary) and not value.is_indirect:
                resources[key] = pdf.make_indirect(value)
        done.add(resources.objgen)
    mine = pikepdf.Dictionary({key: resources[key] for key in sorted(resources.keys()) if key != "/XObject"})
    xobjects = resources.get("/XObject")
    entries = {key: xobjects[key] for key in sorted(xobjects.keys())} if xobjects is not None else {}
    mine.XObject = pikepdf.Dictionary({**entries, "/FolioFrame": form})
    return mine


# ---- fonts --------------------------------------------------------------------------------

def _take_fonts(pdfs) -> list:
    """Read every mergeable font and take it out of its /Font dictionary before pages are
    copied (so the chunks' own copies are never copied). Returns (pdf, font dict, {name: face})."""
    faces: dict[str, fonts.Face] = {}
    tables = []
    for source in pdfs:
        for table in _font_dicts(source):
            entries = {}
            for name in sorted(table.keys()):
                font = table[name]
                found = fonts.face_of(font)
                if found:
                    key, program = found
                    faces.setdefault(key, fonts.Face(key.split("\0")[0])).add(font, program)
                    entries[name] = faces[key]
            for name in entries:
                del table[name]
            tables.append((source, table, entries))
    return tables


def _put_fonts(pdf, tables) -> None:
    built: dict[int, pikepdf.Object] = {}
    for source, table, entries in tables:
        target = table if source is pdf else pdf.copy_foreign(table)
        for name, face in entries.items():
            if id(face) not in built:
                built[id(face)] = face.build(pdf)
            target[name] = built[id(face)]


def _font_dicts(pdf) -> list:
    """The distinct /Font dictionaries of a PDF's pages and their forms and patterns."""
    found, seen = [], set()

    def visit(resources, depth=0):
        if not isinstance(resources, pikepdf.Dictionary) or depth > 8:
            return
        table = resources.get("/Font")
        if isinstance(table, pikepdf.Dictionary) and table.objgen not in seen:
            seen.add(table.objgen)
            if table.is_indirect:
                found.append(table)
        for kind in ("/XObject", "/Pattern"):
            items = resources.get(kind)
            for item in (items[key] for key in sorted(items.keys())) if items is not None else ():
                if isinstance(item, pikepdf.Stream | pikepdf.Dictionary) and item.objgen not in seen:
                    seen.add(item.objgen)
                    visit(item.get("/Resources"), depth + 1)

    for page in pdf.pages:
        visit(page.obj.get("/Resources"))
    return found


# ---- destinations, outline, labels -----------------------------------------------------------

def _point(pages, placed, mark: Mark) -> list:
    where = placed[mark.page]
    return [pages[mark.page], pikepdf.Name.XYZ, round(mark.x * SCALE + where.dx, 4),
            round((where.height - mark.y) * SCALE, 4), 0]


def _destinations(pdf, pages, placed, anchors: dict) -> None:
    names = pikepdf.Array()
    for name in sorted(anchors, key=lambda n: n.encode("utf-8")):
        names.append(pikepdf.String(name))
        names.append(pikepdf.Array(_point(pages, placed, anchors[name])))
    if "/Names" not in pdf.Root:
        pdf.Root.Names = pikepdf.Dictionary()
    pdf.Root.Names.Dests = pdf.make_indirect(pikepdf.Dictionary(Names=names))


def bookmark_tree(marks: list[Mark]) -> list:
    """Nested (mark, children) as WeasyPrint nests bookmark levels (skipped levels kept)."""
    root: list = []
    skipped: list[int] = []
    last_by_depth = [root]
    previous = 0
    for mark in marks:
        if mark.level > previous:
            skipped.append(mark.level - previous - 1)
        else:
            temp = mark.level
            while temp < previous:
                temp += 1 + skipped.pop()
            if temp > previous:
                skipped.append(temp - previous - 1)
        previous = mark.level
        depth = mark.level - sum(skipped)
        children: list = []
        last_by_depth[depth - 1].append((mark, children))
        del last_by_depth[depth:]
        last_by_depth.append(children)
    return root


def _outline(pdf, pages, placed, marks: list[Mark]) -> None:
    tree = bookmark_tree(marks)
    if not tree:
        return
    top = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Outlines))
    top.Count = _outline_items(pdf, pages, placed, tree, top)
    pdf.Root.Outlines = top


def _outline_items(pdf, pages, placed, items, parent) -> int:
    """Outline items as WeasyPrint writes them; returns the count of visible items."""
    made, count = [], len(items)
    for mark, children in items:
        item = pdf.make_indirect(pikepdf.Dictionary(Title=pikepdf.String(mark.label), Parent=parent,
                                                    Dest=pikepdf.Array(_point(pages, placed, mark))))
        below = _outline_items(pdf, pages, placed, children, item)
        item.Count = -below if mark.state == "closed" else below
        count += 0 if mark.state == "closed" else below
        if made:
            item.Prev, made[-1].Next = made[-1], item
        made.append(item)
    if made:
        parent.First, parent.Last = made[0], made[-1]
    return count
