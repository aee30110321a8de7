"""Two PDF editions from one layout: the screen edition and the printer's.

WeasyPrint lays the publication out once, with a 3 mm bleed around every page. From that
one file:

- `report.pdf`, for the screen and the Official Document System: tagged PDF/UA, links, RGB,
  each page cut to its trim size;
- `report-print.pdf`, for the printer: PDF/X-4 (PDF 1.6, with the XMP identification PDF/X
  requires) with the output intent of styles/color/, the bleed kept (TrimBox the page,
  BleedBox 3 mm beyond), optional crop marks, every colour in CMYK and text in solid black (a
  grey tint on small type is screened), blank pages before the back cover so that the sheets
  fold (a multiple of 4 pages) and the inside of the back cover is empty, and no links or tags,
  which a print file must not carry in its trim area; so it claims PDF/X only, not PDF/UA.

Both are pikepdf edits of the same bytes, not a second layout. Both routes write them here
(write_editions), from the print HTML made here (print_html) and laid out by either."""
from __future__ import annotations

import hashlib
import io
import os
import re
import struct
import uuid
from concurrent.futures import BrokenExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlparse

import pikepdf
from markupsafe import Markup

from ... import model as m
from ...dates import publication_moment
from ...diagnostics import Reporter
from ...files import write_atomic
from ...i18n.locale import right_to_left
from ...inputs import read_input
from ...project import Project
from ..number_columns import css_variables
from ..page_numbers import page_numbering_css
from ..pages import render_page

BLEED = 3 / 25.4 * 72          # 3 mm in points
MARKS = 12 / 25.4 * 72         # room for crop marks around the bleed
MARK_GAP, MARK_LENGTH = 2.0, 14.0
# The colours of folio's styles, as a print shop wants them; anything else is converted.
KNOWN_CMYK = {(0.0, 0x9E / 255, 0xDB / 255): (0.85, 0.21, 0.0, 0.0)}     # UN blue (Pantone 2925)


@dataclass
class PrintSettings:
    profile: Path                  # the output intent's ICC profile (CMYK)
    condition: str                 # its printing condition, e.g. "FOGRA39"
    pages_multiple: int = 4        # pad to a multiple of this (0: to an even count: the back cover is a verso)
    crop_marks: bool = False
    blank_label: str = ""          # the page label of a padding page
    identity: str = ""             # what names the document across its versions (its symbol)
    version: str = "1"             # xmpMM:VersionID
    back_cover: bool = True        # a publication ends on its back cover; a document (form: document) does not
    right_to_left: bool = False    # an Arabic book: bound on the right (set_direction)


PDF_VERSION = "1.6"                # PDF/X-4 is based on PDF 1.6
NAMESPACES = {"pdfxid": "http://www.npes.org/pdfx/ns/id/", "xmpMM": "http://ns.adobe.com/xap/1.0/mm/",
              "pdfuaid": "http://www.aiim.org/pdfua/ns/id/"}


def screen(pdf: pikepdf.Pdf) -> None:
    """Each page cut to its trim size: a reader's screen shows no bleed."""
    for page in pdf.pages:
        trim = page.obj.get("/TrimBox")
        if trim is not None:
            page.obj.MediaBox = pikepdf.Array(list(trim))
            for key in ("/TrimBox", "/BleedBox", "/CropBox"):
                if key in page.obj:
                    del page.obj[key]
    if "/OutputIntents" in pdf.Root:
        del pdf.Root.OutputIntents


def for_print(data: bytes, settings: PrintSettings, labels: list[str], blanks=frozenset(),
              memo: Path | None = None) -> bytes:
    """The printer's edition of the PDF (see the module's docstring). `blanks`: the indexes of
    the pages the layout left blank (a part opening on the other side). `memo`: a file that
    keeps the converted content streams from one build to the next (Memo)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        _untag(pdf)
        labels = (_pad(pdf, settings.pages_multiple, labels, settings.blank_label, blanks)
                  if settings.back_cover else _pad_end(pdf, labels, settings.blank_label))
        converted = Memo(memo)
        for page in pdf.pages:
            _to_cmyk(page.obj, set(), converted)
            _boxes(pdf, page, settings.crop_marks)
        converted.save()
        _output_intent(pdf, settings)
        _identify(pdf, settings, data)
        set_labels(pdf, labels)
        set_direction(pdf, settings.right_to_left)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, force_version=PDF_VERSION)
        return out.getvalue()


def _untag(pdf: pikepdf.Pdf) -> None:
    """No links (a print file has no annotations in its trim area) and so no tags that name them."""
    for page in pdf.pages:
        if "/Annots" in page.obj:
            del page.obj["/Annots"]
        for key in ("/StructParents", "/Tabs"):
            if key in page.obj:
                del page.obj[key]
    for key in ("/StructTreeRoot", "/MarkInfo", "/Names", "/OpenAction"):
        if key in pdf.Root:
            del pdf.Root[key]


def _pad_end(pdf: pikepdf.Pdf, labels: list[str], blank_label: str) -> list[str]:
    """A document with no back cover (a corrigendum) ends on its last text page: a blank verso
    after it when the count is odd, so that it prints on whole sheets; never a blank first page."""
    if len(pdf.pages) % 2 == 0:
        return labels
    pdf.pages.append(pikepdf.Page(_blank_like(pdf, pdf.pages[-1].obj)))
    return labels + [blank_label]


def _blank_like(pdf: pikepdf.Pdf, model) -> pikepdf.Dictionary:
    blank = pikepdf.Dictionary(Type=pikepdf.Name.Page, MediaBox=model.MediaBox,
                               Resources=pikepdf.Dictionary(), Contents=pdf.make_stream(b""))
    for key in ("/TrimBox", "/BleedBox"):
        if key in model:
            blank[key] = model[key]
    return blank


def _pad(pdf: pikepdf.Pdf, multiple: int, labels: list[str], blank_label: str, blanks) -> list[str]:
    """Blank pages before the last page (the back cover) up to a multiple of `multiple`, at least
    one: the inside of the back cover carries nothing. The layout's own blank page before the
    back cover (it opens on a left-hand page) says "intentionally left blank": in print it is
    replaced by an empty one."""
    while len(pdf.pages) > 2 and len(pdf.pages) - 2 in blanks:
        del pdf.pages[len(pdf.pages) - 2]
        labels = labels[:len(pdf.pages) - 1] + labels[-1:]
    before = len(pdf.pages) - 1                 # the pages before the back cover
    missing = (-(before + 2)) % (multiple or 2) + 1
    model = pdf.pages[-1].obj
    for _ in range(missing):
        pdf.pages.insert(len(pdf.pages) - 1, pikepdf.Page(_blank_like(pdf, model)))
    return labels[:-1] + [blank_label] * missing + labels[-1:]


class Memo:
    """Content streams converted before, by the digest of their content: the content of the
    stream converted (or b"" where nothing changed). A correction changes a few pages' streams,
    and parsing every page's again cost about a second at 10×; the conversion depends on the
    content alone, so the bytes are the same. Kept in one file, with the entries this build met."""
    MAGIC = b"FOLIO-CMYK 1\n"

    def __init__(self, path: Path | None):
        self.path, self.known, self.met = path, {}, {}
        try:
            data = path.read_bytes() if path is not None else b""
        except OSError:
            data = b""
        if data.startswith(self.MAGIC):
            at = len(self.MAGIC)
            while at + 40 <= len(data):
                digest, (size,) = data[at:at + 32], struct.unpack(">Q", data[at + 32:at + 40])
                self.known[digest] = data[at + 40:at + 40 + size]
                at += 40 + size
            if at != len(data):          # damaged: converted again, the file replaced
                self.known = {}

    def convert(self, stream: pikepdf.Stream) -> None:
        digest = hashlib.sha256(stream.read_bytes()).digest()
        out = self.known.get(digest)
        if out is None:
            out = _rewrite(stream)
        self.met[digest] = out
        if out:
            stream.write(out)

    def save(self) -> None:
        if self.path is None or self.met == self.known:
            return
        body = b"".join(d + struct.pack(">Q", len(o)) + o for d, o in sorted(self.met.items()))
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(self.path, self.MAGIC + body)
        except OSError:
            pass            # converted again next time


def _to_cmyk(obj, seen: set, memo: Memo) -> None:
    """Every RGB fill and stroke of a content stream (and of the forms it draws) in CMYK."""
    contents = obj.get("/Contents") if "/Contents" in obj else obj
    streams = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
    for stream in streams:
        if isinstance(stream, pikepdf.Stream) and stream.objgen not in seen:
            seen.add(stream.objgen)
            memo.convert(stream)
    xobjects = obj.get("/Resources", pikepdf.Dictionary()).get("/XObject", pikepdf.Dictionary())
    for name in list(xobjects.keys()):
        form = xobjects[name]
        if form.get("/Subtype") == "/Form" and form.objgen not in seen:
            _to_cmyk(form, seen, memo)


def _rewrite(stream: pikepdf.Stream) -> bytes:
    """The content of a stream with its colours in CMYK (b"" if nothing changes)."""
    # The parsed instructions are kept as they are where nothing changes, read by attribute:
    # unpacking each one and unparsing tuples cost five times as much (0.7 s at 10×).
    changed, out = False, []
    for instruction in pikepdf.parse_content_stream(stream):
        operands, name = instruction.operands, str(instruction.operator)
        if name in ("rg", "RG") and len(operands) == 3:
            out.append(_instruction([*cmyk(*(float(v) for v in operands))], "k" if name == "rg" else "K"))
            changed = True
        else:
            out.append(instruction)
    solid = _solid_text(out)
    return pikepdf.unparse_content_stream(solid) if changed or solid is not out else b""


def _instruction(operands: list, name: str) -> pikepdf.ContentStreamInstruction:
    return pikepdf.ContentStreamInstruction(operands, pikepdf.Operator(name))


def _solid_text(ops: list) -> list:
    """Text in 100 % black where it would be drawn in a tint of black (the grey of the gap
    marker): a printer screens a tint into dots, and small type loses its edges. The fill in
    force is tracked through q/Q; inside a text object a tint is set as solid black, and the
    tint is set again after it for whatever else uses it. The same list if nothing changes."""
    fill, saved, out, in_text, changed = None, [], [], False, False
    for instruction in ops:
        name = str(instruction.operator)
        if name == "q":
            saved.append(fill)
        elif name == "Q":
            fill = saved.pop() if saved else None
        elif name == "k":
            fill = [float(v) for v in instruction.operands]
            if in_text and _tint(fill):
                instruction, changed = _instruction([0, 0, 0, 1], "k"), True
        out.append(instruction)
        if name == "BT":
            in_text = True
            if _tint(fill):
                out.append(_instruction([0, 0, 0, 1], "k"))
                changed = True
        elif name == "ET":
            in_text = False
            if _tint(fill):
                out.append(_instruction([*fill], "k"))
    return out if changed else ops


def _tint(fill) -> bool:
    """A tint of black: no colour, some black, less than all (white is no tint: it is paper)."""
    return fill is not None and len(fill) == 4 and not any(fill[:3]) and 0 < fill[3] < 1


def cmyk(r: float, g: float, b: float) -> tuple[float, float, float, float]:
    """A screen colour as ink: greys in black alone, folio's own colours as named, the rest
    by the naive formula (no colour but the cover's is left in folio's print styles)."""
    for (kr, kg, kb), value in KNOWN_CMYK.items():
        if abs(r - kr) < 0.01 and abs(g - kg) < 0.01 and abs(b - kb) < 0.01:
            return value
    if abs(r - g) < 0.004 and abs(g - b) < 0.004:
        return 0.0, 0.0, 0.0, round(1 - r, 4)
    k = 1 - max(r, g, b)
    if k >= 1:
        return 0.0, 0.0, 0.0, 1.0
    return tuple(round(v, 4) for v in ((1 - r - k) / (1 - k), (1 - g - k) / (1 - k), (1 - b - k) / (1 - k), k))


def _boxes(pdf: pikepdf.Pdf, page: pikepdf.Page, crop_marks: bool) -> None:
    """TrimBox the page, BleedBox 3 mm beyond it, MediaBox the bleed (or room for marks)."""
    trim = [float(v) for v in page.obj.get("/TrimBox", page.obj.MediaBox)]
    bleed = [trim[0] - BLEED, trim[1] - BLEED, trim[2] + BLEED, trim[3] + BLEED]
    page.obj.TrimBox = pikepdf.Array(trim)
    page.obj.BleedBox = pikepdf.Array(bleed)
    if not crop_marks:
        page.obj.MediaBox = pikepdf.Array(bleed)
        return
    page.obj.MediaBox = pikepdf.Array([trim[0] - MARKS, trim[1] - MARKS, trim[2] + MARKS, trim[3] + MARKS])
    page.contents_add(pdf.make_stream(b"q\n"), prepend=True)
    page.contents_add(pdf.make_stream(b"Q\n" + _marks(trim)), prepend=False)


def _marks(trim: list[float]) -> bytes:
    """Crop marks at the four corners, outside the bleed, in registration black."""
    x0, y0, x1, y1 = trim
    near, far = BLEED + MARK_GAP, BLEED + MARK_GAP + MARK_LENGTH
    lines = []
    for x, sx in ((x0, -1), (x1, 1)):
        for y, sy in ((y0, -1), (y1, 1)):
            lines.append(f"{x + sx * near:.2f} {y:.2f} m {x + sx * far:.2f} {y:.2f} l S")
            lines.append(f"{x:.2f} {y + sy * near:.2f} m {x:.2f} {y + sy * far:.2f} l S")
    return ("q 0.25 w 1 1 1 1 K\n" + "\n".join(lines) + "\nQ\n").encode()


def _output_intent(pdf: pikepdf.Pdf, settings: PrintSettings) -> None:
    profile = pdf.make_stream(read_input(settings.profile))
    profile.N = 4
    intent = pikepdf.Dictionary(Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFX,
                                OutputConditionIdentifier=settings.condition,
                                RegistryName="http://www.color.org", Info=settings.condition,
                                DestOutputProfile=profile)
    pdf.Root.OutputIntents = pikepdf.Array([intent])
    pdf.docinfo["/Trapped"] = pikepdf.Name("/False")


def _identify(pdf: pikepdf.Pdf, settings: PrintSettings, data: bytes) -> None:
    """The XMP of a PDF/X-4 file: its version, and the document, version and rendition it is
    (xmpMM). The document's id is the same for every build of the document (from its symbol or
    title), the instance's changes with its content. No PDF/UA claim: the tags are gone."""
    name = settings.identity or hashlib.sha256(data).hexdigest()
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        for prefix, uri in NAMESPACES.items():
            meta.register_xml_namespace(uri, prefix)
        meta["pdfxid:GTS_PDFXVersion"] = "PDF/X-4"
        meta["pdf:Trapped"] = "False"
        meta["xmpMM:DocumentID"] = f"uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'folio:' + name)}"
        meta["xmpMM:InstanceID"] = f"uuid:{uuid.uuid5(uuid.NAMESPACE_OID, hashlib.sha256(data).hexdigest())}"
        meta["xmpMM:VersionID"] = settings.version
        meta["xmpMM:RenditionClass"] = "default"
        for key in ("pdfuaid:part", "pdfuaid:conformance"):
            if key in meta:
                del meta[key]
    xmp = pdf.Root.Metadata.read_bytes()          # and not the namespace of the claim either
    pdf.Root.Metadata.write(re.sub(rb'\s+xmlns:pdfuaid="[^"]*"', b"", xmp) if b"pdfuaid:" not in
                            xmp.replace(b"xmlns:pdfuaid", b"") else xmp)


def set_labels(pdf: pikepdf.Pdf, labels: list[str]) -> None:
    """Page labels as printed: runs of roman or arabic numbers, other pages by name."""
    nums, previous = [], None
    for index, label in enumerate(labels):
        style, number = _style_of(label)
        if previous is None or (style, number) != (previous[0], previous[1] + 1) or style is None:
            entry = pikepdf.Dictionary()
            if style is None:
                entry.P = label
            else:
                entry.S, entry.St = style, number
            nums += [index, entry]
        previous = (style, number if number is not None else 0)
    pdf.Root.PageLabels = pikepdf.Dictionary(Nums=pikepdf.Array(nums))


def set_direction(pdf: pikepdf.Pdf, right_to_left: bool) -> None:
    """A right-to-left book is bound on the right: a viewer that shows two pages side by side
    puts the first on the right (/Direction /R2L) and each recto on the left of its spread."""
    if right_to_left:
        preferences = pdf.Root.get("/ViewerPreferences", pikepdf.Dictionary())
        preferences.Direction = pikepdf.Name.R2L
        pdf.Root.ViewerPreferences = preferences


def _style_of(label: str):
    from ...i18n.numerals import from_roman

    if label.isdigit():
        return pikepdf.Name.D, int(label)
    value = from_roman(label.upper()) if label and label.islower() else None
    return (pikepdf.Name.r, value) if value else (None, None)


# ---- the print HTML both editions are laid out from, and the two files written -------------

def print_html(doc: m.Document, project: Project, reporter: Reporter, hints=None,
               tight: frozenset = frozenset()) -> str:
    """The print edition's HTML, as WeasyPrint reads it (also what the benchmark renders alone).
    `hints`: what the hyphenation rounds asked for; `tight`: the regions set tighter to pull a
    carry-over back (folio.layout.carry)."""
    sheets = [project.find("styles/print.css").as_uri(),
              project.find(f"styles/paper-{doc.meta['paper']}.css").as_uri()]
    # A language's own print rules (styles/print-zh.css: its fonts, no italic), after the rest.
    own = project.find(f"styles/print-{(doc.meta.get('language') or 'en').split('-')[0].lower()}.css")
    if own.is_file():
        sheets.append(own.as_uri())
    moment = publication_moment(doc.meta, project.source).strftime("%Y-%m-%dT%H:%M:%SZ")
    images = {src: image.path.as_uri() for src, image in doc.images.items()}
    return render_page(doc, project, "print.html", print_mode=True,
                       image_url=lambda src: images.get(src, ""),
                       reporter=reporter, extra={"stylesheets": sheets, "published": moment,
                                                 "number_columns": css_variables(doc), "tight": tight,
                                                 "page_numbering": Markup(page_numbering_css(doc))},
                       hints=hints)


def write_editions(doc: m.Document, project: Project, pdf: bytes, labels: list[str],
                   blanks: set[int], helper=None) -> list[Path]:
    """report.pdf for the screen and, unless the front matter says not, the printer's edition
    (`blanks`: the pages the layout left blank, which the printer's edition may replace).
    `helper`: worker processes (the chunked route's layout workers, idle by now), one of which
    makes the printer's edition while this process makes and writes the screen's, the one a
    reader and the watcher's preview open first. pikepdf holds the GIL while it saves, so a
    thread would not do: the two editions one after the other were a sixth of a correction's
    build at 10x."""
    target = project.out_dir / f"{project.name}.pdf"
    printing = doc.meta.get("print-edition", True)
    job = None
    if printing and helper is not None:
        job = helper.submit(for_print, pdf, print_settings(doc, project), labels, blanks,
                            project.out_dir / CMYK_MEMO)
    write_atomic(target, finish(pdf, labels, project.root, right_to_left(doc.locale)))
    if not printing:
        return [target]
    return [target, write_print_edition(doc, project, pdf, labels, blanks, job)]


CMYK_MEMO = ".folio/cmyk.bin"   # the print edition's converted content streams (Memo)


def print_settings(doc: m.Document, project: Project) -> PrintSettings:
    profile = project.find(f"styles/color/{doc.meta.get('print-profile', 'FOGRA39-coated.icc')}")
    return PrintSettings(profile, profile.stem, doc.meta.get("print-pages-multiple", 4),
                         doc.meta.get("print-crop-marks", False), doc.terms.get("blank", ""),
                         identity=doc.meta.get("symbol") or doc.meta.get("title", ""),
                         back_cover=doc.meta.get("form", "publication") != "document",
                         right_to_left=right_to_left(doc.locale))


def write_print_edition(doc: m.Document, project: Project, pdf: bytes, labels: list[str],
                        blanks: set[int], job=None) -> Path:
    """report-print.pdf: the printer's edition of the same layout (above); `job`: the future
    of a worker making it (made here if the worker died)."""
    target = project.out_dir / f"{project.name}-print.pdf"
    try:
        data = job.result() if job is not None else None
    except BrokenExecutor:          # the worker died
        data = None
    if data is None:
        data = for_print(pdf, print_settings(doc, project), labels, blanks, project.out_dir / CMYK_MEMO)
    write_atomic(target, data)
    return target


def finish(pdf: bytes, labels: list[str], root: Path, right_to_left: bool = False) -> bytes:
    """The screen edition: pages cut to their trim size, viewer page labels that match the
    printed numbers (i, ii, … then 1, 2, …; the covers by name), and links to local files
    named relative to the project, as the author wrote them: WeasyPrint makes them
    file:///absolute/paths, which name the build machine's folders (and made two builds of one
    source in two folders differ)."""
    with pikepdf.open(io.BytesIO(pdf)) as p:
        screen(p)
        set_labels(p, labels)
        set_direction(p, right_to_left)
        _relative_links(p, root)
        out = io.BytesIO()
        p.save(out, deterministic_id=True)
        return out.getvalue()


def _relative_links(pdf, root: Path) -> None:
    for page in pdf.pages:
        for annot in page.get("/Annots", []):
            action = annot.get("/A")
            uri = str(action.get("/URI", "")) if action is not None else ""
            if uri.startswith("file:"):
                parsed = urlparse(uri)
                target = quote(Path(os.path.relpath(unquote(parsed.path), root)).as_posix())
                action.URI = pikepdf.String(target + (f"#{parsed.fragment}" if parsed.fragment else ""))
