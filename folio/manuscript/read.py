"""A Word manuscript read into blocks: python-docx opens the package and its parts, lxml walks
the body. Every run's text goes through corrections/escape.py, so nothing the author typed
becomes markup; what has no place in folio's model is a located warning."""
from __future__ import annotations

import posixpath
import re
from pathlib import Path

import docx
from docx.opc.exceptions import PackageNotFoundError
from lxml import etree

from ..corrections.escape import escape_inline
from ..corrections.package import DocxError, parse_xml
from ..diagnostics import Kind, Location, Reporter
from ..ooxml.names import W
from .model import Heading, Item, Manuscript, Para, Table

M = "http://schemas.openxmlformats.org/officeDocument/2006/math"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
IMAGE_TYPES = {".png", ".jpg", ".jpeg", ".gif", ".svg"}
# "IV. Title", "B. Title", "3. Title", "2.1 Title": the author's number, which folio writes itself
AUTHOR_NUMBER = re.compile(r"^\s*((?:[IVXLC]+|[A-Z]|\d+)[.)]|\d+(?:\.\d+)+)\s+(?=\S)")
ROMAN = re.compile(r"^[IVXLC]+\.?$")
BARE_FIGURE = re.compile(r"!\[\]\((images/[^)]*)\)")
# "Figure 3. " / "Figure 3: " opening a caption: folio numbers figures itself
FIGURE_LABEL = re.compile(r"\s*(?:Figure|Fig\.)\s*[\dIVX]+[.:]?\s+", re.I)
PAGE_FIELDS = {"PAGE", "NUMPAGES", "SECTIONPAGES"}


def w(name: str) -> str:
    return f"{{{W}}}{name}"


def _local(el) -> str:
    return el.tag.rsplit("}", 1)[-1] if isinstance(el.tag, str) else ""


def _on(el) -> bool:
    """A w:b / w:i toggle: present and not switched off."""
    return el is not None and el.get(w("val"), "true") not in ("0", "false", "off")


def read_manuscript(path: Path, reporter: Reporter) -> Manuscript:
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, etree.XMLSyntaxError) as exc:
        raise DocxError(f"not a Word document python-docx can open: {exc}") from None
    return Reader(document, path, reporter).read()


def _int(value: str | None, default: int | None = 0) -> int | None:
    """A number attribute; a malformed one counts as absent (Word would ignore it too)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


class Reader:
    def __init__(self, document, path: Path, reporter: Reporter):
        self.doc, self.path, self.reporter = document, path, reporter
        self.part = document.part
        self.styles = self._styles()
        self.numbering = self._part_xml("numbering")
        self.footnotes = self._notes("footnotes", "footnote")
        self.out = Manuscript(title="")
        self.paragraph = 0          # the manuscript's paragraph being read, 1-based
        self.under = ""             # the last heading read, for locating warnings
        self.fields: list[dict] = []   # open complex fields (begin … separate … end)
        self.image_names: dict[str, str] = {}
        self.author_numbers = False

    # ---- parts and styles ----------------------------------------------------------------

    def _part_xml(self, suffix: str):
        for rel in self.part.rels.values():
            if rel.reltype.rsplit("/", 1)[-1] == suffix and not rel.is_external:
                return parse_xml(rel.target_part.blob, str(rel.target_part.partname))
        return None

    def _notes(self, suffix: str, tag: str) -> dict[str, object]:
        root = self._part_xml(suffix)
        if root is None:
            return {}
        return {n.get(w("id")): n for n in root.iter(w(tag))
                if n.get(w("type")) not in ("separator", "continuationSeparator", "continuationNotice")}

    def _styles(self) -> dict[str, dict]:
        """styleId → {name, outline, based, numPr} from styles.xml."""
        found = {}
        root = self.doc.styles.element
        for style in root.iter(w("style")):
            name = style.find(w("name"))
            based = style.find(w("basedOn"))
            ppr = style.find(w("pPr"))
            outline = ppr.find(w("outlineLvl")) if ppr is not None else None
            found[style.get(w("styleId"))] = {
                "name": (name.get(w("val")) if name is not None else "").lower(),
                "based": based.get(w("val")) if based is not None else None,
                "outline": _int(outline.get(w("val")), None) if outline is not None else None,
                "numPr": ppr.find(w("numPr")) if ppr is not None else None}
        return found

    def _style_chain(self, style_id: str | None):
        seen = set()
        while style_id and style_id in self.styles and style_id not in seen:
            seen.add(style_id)
            yield self.styles[style_id]
            style_id = self.styles[style_id]["based"]

    # ---- locating ------------------------------------------------------------------------

    def warn(self, what: str) -> None:
        under = f", under '{self.under}'" if self.under else ", before the first heading"
        where = f"paragraph {self.paragraph}{under}"
        self.reporter.warning(Location(f"{self.path}: {where}"), what, Kind.UNSUPPORTED_SYNTAX)

    # ---- the body ------------------------------------------------------------------------

    def read(self) -> Manuscript:
        body = self.doc.element.body
        self._blocks(body, self.out.blocks)
        if self.author_numbers:
            for block in self.out.blocks:        # the chapters the author left without a number
                if isinstance(block, Heading) and block.level == 1 and block.number is None:
                    block.unnumbered = True
        if not self.out.title:
            self.out.title = (self.doc.core_properties.title or "").strip() or self.path.stem
        self._sections(body)
        abbreviations(self.out)
        return self.out

    def _blocks(self, parent, blocks: list) -> None:
        for child in parent:
            tag = _local(child)
            if tag == "p":
                self.paragraph += 1
                self._paragraph(child, blocks)
            elif tag == "tbl":
                self.paragraph += 1
                blocks.append(self._table(child))
            elif tag == "sdt":
                if self._is_contents(child):
                    self.warn("a table of contents: left out (folio writes its own)")
                    continue
                content = child.find(w("sdtContent"))
                if content is not None:
                    self._blocks(content, blocks)
            elif tag in ("customXml", "ins", "moveTo"):
                self._blocks(child, blocks)

    def _is_contents(self, sdt) -> bool:
        gallery = sdt.find(f"{w('sdtPr')}/{w('docPartObj')}/{w('docPartGallery')}")
        return gallery is not None and "contents" in (gallery.get(w("val")) or "").lower()

    def _paragraph(self, p, blocks: list) -> None:
        ppr = p.find(w("pPr"))
        style_id = None
        if ppr is not None and ppr.find(w("pStyle")) is not None:
            style_id = ppr.find(w("pStyle")).get(w("val"))
        chain = list(self._style_chain(style_id))
        name = chain[0]["name"] if chain else ""
        segments = self._inlines(p)
        if name.startswith(("toc ", "contents ")) or self._hidden_by_field():
            return                                        # an entry of Word's contents
        images = [s for s in segments if s[0] == "image"]
        plain = "".join(s[1] for s in segments if s[0] == "text").strip()
        if name == "title" and not self.out.title:
            self.out.title = plain
            return
        if name == "subtitle" and not self.out.subtitle:
            self.out.subtitle = plain
            return
        figure = blocks and isinstance(blocks[-1], Para) and BARE_FIGURE.fullmatch(blocks[-1].text)
        if name == "caption" and figure and plain:      # the caption under an image: its alt text
            caption = _drop_chars(segments, FIGURE_LABEL.match(plain).end() if FIGURE_LABEL.match(plain) else 0)
            blocks[-1] = Para(f"![{self._render(caption).replace(chr(92) + chr(10), ' ')}]({figure.group(1)})")
            return
        level = self._heading_level(name, ppr, chain)
        if level and plain:
            blocks.append(self._heading(level, segments, plain))
            return
        if images and not plain:                          # a figure: the image alone
            blocks.extend(Para(s[1]) for s in images)
            return
        text = self._render(segments)
        if not text.strip():
            return
        numbered = self._list_kind(ppr, chain)
        if numbered is not None:
            blocks.append(Item(numbered[0], numbered[1], text))
        else:
            blocks.append(Para(text))

    def _heading_level(self, name: str, ppr, chain) -> int:
        match = re.fullmatch(r"heading (\d)", name)
        if match:
            return min(int(match.group(1)), 3)
        outline = ppr.find(w("outlineLvl")) if ppr is not None else None
        level = _int(outline.get(w("val")), None) if outline is not None else next(
            (s["outline"] for s in chain if s["outline"] is not None), None)
        return min(level + 1, 3) if level is not None and level < 9 else 0

    def _heading(self, level: int, segments: list, plain: str) -> Heading:
        number = None
        match = AUTHOR_NUMBER.match(plain)
        if match:                    # take the number off the first text segment(s)
            number = match.group(1)
            raw = "".join(s[1] for s in segments if s[0] == "text")
            segments = _drop_chars(segments, len(raw) - len(raw.lstrip()) + match.end())
            self.author_numbers = self.author_numbers or level == 1
        self.under = plain[match.end():] if match else plain
        keep = number.rstrip(".)") if number and level == 1 and ROMAN.match(number) else None
        return Heading(level, self._render(segments).replace("\\\n", " "), keep)

    def _list_kind(self, ppr, chain) -> tuple[bool, int] | None:
        """(ordered, depth) of a list paragraph, or None."""
        num = ppr.find(w("numPr")) if ppr is not None else None
        if num is None:
            num = next((s["numPr"] for s in chain if s["numPr"] is not None), None)
        if num is None:
            return None
        num_id = num.find(w("numId"))
        ilvl = num.find(w("ilvl"))
        num_id = num_id.get(w("val")) if num_id is not None else None
        depth = _int(ilvl.get(w("val"))) if ilvl is not None else 0
        if not num_id or num_id == "0":
            return None
        fmt = self._num_format(num_id, depth)
        if fmt == "none":
            return None
        return fmt != "bullet", depth

    def _num_format(self, num_id: str, depth: int) -> str:
        if self.numbering is None:
            return "bullet"
        for num in self.numbering.iter(w("num")):
            if num.get(w("numId")) == num_id:
                abstract = num.find(w("abstractNumId"))
                abstract_id = abstract.get(w("val")) if abstract is not None else None
                break
        else:
            return "bullet"
        for definition in self.numbering.iter(w("abstractNum")):
            if definition.get(w("abstractNumId")) == abstract_id:
                for lvl in definition.iter(w("lvl")):
                    if lvl.get(w("ilvl")) == str(depth):
                        fmt = lvl.find(w("numFmt"))
                        return fmt.get(w("val")) if fmt is not None else "decimal"
        return "bullet"

    # ---- runs ----------------------------------------------------------------------------

    def _inlines(self, parent) -> list[tuple]:
        """[("text", s, bold, italic) | ("note", n) | ("image", markdown)] in reading order."""
        out: list[tuple] = []
        for child in parent:
            tag = _local(child)
            if tag == "r":
                self._run(child, out)
            elif tag in ("hyperlink", "smartTag", "customXml", "moveTo", "dir", "bdo"):
                out += self._inlines(child)
            elif tag == "ins":
                self.warn("a tracked insertion still pending: read as accepted")
                out += self._inlines(child)
            elif tag in ("del", "moveFrom"):
                self.warn("a tracked deletion still pending: read as accepted (the text is left out)")
            elif tag == "sdt":
                content = child.find(w("sdtContent"))
                if content is not None:
                    out += self._inlines(content)
            elif tag == "fldSimple":
                self._field_instr(child.get(w("instr")) or "")
                out += self._inlines(child)
            elif tag in ("oMath", "oMathPara"):
                self.warn("an equation: kept as its plain text (folio has no equations)")
                out.append(("text", "".join(t.text or "" for t in child.iter(f"{{{M}}}t")), False, False))
            elif tag == "commentRangeStart":
                self.warn("a comment: left out (folio has no comments)")
        return out

    def _run(self, run, out: list) -> None:
        rpr = run.find(w("rPr"))
        bold = rpr is not None and _on(rpr.find(w("b")))
        italic = rpr is not None and _on(rpr.find(w("i")))
        for child in run:
            tag = _local(child)
            if self.fields and self.fields[-1]["state"] == "instr" and tag not in ("fldChar", "instrText"):
                continue                                   # a field's code, not its text
            if tag == "t":
                if self._hidden_by_field():
                    continue
                out.append(("text", child.text or "", bold, italic))
            elif tag == "tab":
                out.append(("text", " ", bold, italic))
            elif tag in ("br", "cr"):
                if child.get(w("type")) not in ("page", "column"):
                    out.append(("text", "\n", bold, italic))
            elif tag == "noBreakHyphen":
                out.append(("text", "-", bold, italic))
            elif tag == "footnoteReference":
                out.append(("note", self._note(child.get(w("id")))))
            elif tag == "endnoteReference":
                self.warn("an endnote: left out (folio's notes are footnotes)")
            elif tag == "commentReference":
                pass                                       # warned at its range start
            elif tag == "fldChar":
                self._fld_char(child.get(w("fldCharType")))
            elif tag == "instrText":
                if self.fields:
                    self.fields[-1]["instr"] += child.text or ""
            elif tag in ("drawing", "pict", "AlternateContent", "object"):
                out += self._drawing(child)

    def _hidden_by_field(self) -> bool:
        return any(f["instr"].strip().upper().startswith("TOC") for f in self.fields)

    def _fld_char(self, kind: str | None) -> None:
        if kind == "begin":
            self.fields.append({"instr": "", "state": "instr"})
        elif kind == "separate" and self.fields:
            self.fields[-1]["state"] = "result"
            self._field_instr(self.fields[-1]["instr"])
        elif kind == "end" and self.fields:
            field = self.fields.pop()
            if field["state"] == "instr":
                self._field_instr(field["instr"])

    def _field_instr(self, instr: str) -> None:
        name = (instr.split() or [""])[0].upper()
        if any(f["instr"].strip().upper().startswith("TOC") for f in self.fields[:-1]):
            return                                         # a page reference inside the contents
        if name in PAGE_FIELDS or name == "TOC":
            if name == "TOC":
                self.warn("a table of contents: left out (folio writes its own)")
            return
        if name in ("HYPERLINK", "NOTEREF", "REF", "PAGEREF"):
            self.warn(f"a {name} field: kept as its text (write a folio cross-reference or link)")
        else:
            self.warn(f"a {name or 'empty'} field: kept as its last shown text")

    def _note(self, note_id: str | None) -> int:
        note = self.footnotes.get(note_id)
        self.out.notes.append([])
        number = len(self.out.notes)
        if note is None:
            self.warn(f"footnote {note_id} is missing from the manuscript's notes")
            return number
        paragraphs = []
        for p in note.iter(w("p")):
            text = self._render(self._inlines(p))
            if text.strip():
                paragraphs.append(text)
        self.out.notes[number - 1] = paragraphs
        return number

    def _drawing(self, el) -> list[tuple]:
        if any(True for _ in el.iter(w("txbxContent"))):
            self.warn("a text box: left out (folio has no floating text; move its text into the body)")
            return []
        for data in el.iter(f"{{{A}}}graphicData"):
            uri = data.get("uri", "")
            if uri.endswith("/diagram"):
                self.warn("a SmartArt diagram: left out (export it as an image)")
                return []
            if uri.endswith("/chart"):
                self.warn("a chart: left out (export it as an image)")
                return []
        blips = [b.get(f"{{{R}}}embed") for b in el.iter(f"{{{A}}}blip")]
        alts = [d.get("descr") or "" for d in el.iter(f"{{{WP}}}docPr")]
        found = []
        for n, rid in enumerate(b for b in blips if b):
            name = self._image(rid)
            if name:
                alt = escape_inline(alts[n] if n < len(alts) else "").replace("\\\n", " ")
                found.append(("image", f"![{alt}](images/{name})"))
        if not blips and _local(el) in ("pict", "object"):
            self.warn("an embedded object: left out")
        return found

    def _image(self, rid: str) -> str | None:
        if rid in self.image_names:
            return self.image_names[rid]
        part = self.part.related_parts.get(rid)
        if part is None:
            self.warn("an image whose picture is linked, not embedded: left out")
            return None
        base = posixpath.basename(str(part.partname))
        if Path(base).suffix.lower() not in IMAGE_TYPES:
            self.warn(f"an image in a format folio does not take ({base}): left out (save it as PNG or SVG)")
            return None
        name = base
        while name in self.out.images:
            name = "x" + name
        self.out.images[name] = part.blob
        self.image_names[rid] = name
        return name

    # ---- tables and sections -------------------------------------------------------------

    def _table(self, tbl) -> Table:
        rows = []
        for tr in tbl.iter(w("tr")):
            if tr.getparent() is not tbl:
                continue
            row = []
            for tc in tr.findall(w("tc")):
                if tc.find(f".//{w('tbl')}") is not None:
                    self.warn("a table inside a table cell: its text is kept, its rows are not")
                texts = [self._render(self._inlines(p)) for p in tc.iter(w("p"))]
                merged = tc.find(f"{w('tcPr')}/{w('vMerge')}")
                cell = "" if merged is not None and merged.get(w("val")) != "restart" else " ".join(
                    t.replace("\\\n", " ") for t in texts if t.strip())
                row.append(cell)
                span = tc.find(f"{w('tcPr')}/{w('gridSpan')}")
                row += [""] * (min(_int(span.get(w("val")), 1), 63) - 1 if span is not None else 0)
            rows.append(row)
        width = max((len(r) for r in rows), default=0)
        return Table([r + [""] * (width - len(r)) for r in rows])

    def _sections(self, body) -> None:
        """Headers or footers that change from one section to the next have no place in folio,
        which writes its own running heads."""
        breaks = [s for s in body.iter(w("sectPr")) if s.getparent() is not body]
        if any(s.find(w("headerReference")) is not None or s.find(w("footerReference")) is not None
               for s in breaks):
            self.paragraph = 0
            self.under = ""
            self.reporter.warning(Location(str(self.path)), f"{len(breaks) + 1} sections with their own"
                                  " headers or footers: left out (folio writes its own running heads)",
                                  Kind.UNSUPPORTED_SYNTAX)

    # ---- segments → Markdown -------------------------------------------------------------

    def _render(self, segments: list[tuple]) -> str:
        parts: list[str] = []
        text_run: list[tuple] = []

        def flush():
            if text_run:
                parts.append(_emphasis(text_run, at_start=not parts))
                text_run.clear()
        for seg in segments:
            if seg[0] == "text":
                if text_run and seg[2:] != text_run[-1][2:]:
                    flush()
                text_run.append(seg)
            else:
                flush()
                parts.append(f"[^{seg[1]}]" if seg[0] == "note" else seg[1])
        flush()
        return "".join(parts).strip()


ABBREVIATIONS_HEADING = re.compile(r"abbreviation|acronym|explanatory notes", re.I)
SHORT = re.compile(r"[A-Z][\w&.\- ]{0,14}")


def abbreviations(out: Manuscript) -> None:
    """A two-column table of short forms under a heading that names abbreviations becomes
    folio's abbreviations part: its rows are definitions, the heading a front part (and so are
    the unnumbered chapters before it), and folio prints the table there again."""
    heading = None
    for n, block in enumerate(out.blocks):
        if isinstance(block, Heading) and block.level == 1:
            heading = block if ABBREVIATIONS_HEADING.search(block.text) else None
        elif heading and isinstance(block, Table) and block.rows and len(block.rows[0]) == 2 and all(
                SHORT.fullmatch(r[0].replace("\\", "")) and r[1] for r in block.rows):
            out.abbreviations += [(r[0], r[1]) for r in block.rows]
            del out.blocks[n]
            for before in out.blocks:
                if before is heading:
                    break
                if isinstance(before, Heading) and before.level == 1 and before.number is None:
                    before.classes = (".front",)
            heading.classes = (".front", ".abbreviations")
            return


def _emphasis(run: list[tuple], at_start: bool) -> str:
    text = "".join(s[1] for s in run)
    bold, italic = run[0][2], run[0][3]
    if not (bold or italic) or not text.strip():
        return escape_inline(text, at_line_start=at_start)
    core = text.strip()
    lead, trail = text[:len(text) - len(text.lstrip())], text[len(text.rstrip()):]
    mark = "***" if bold and italic else "**" if bold else "*"
    return escape_inline(lead) + mark + escape_inline(core) + mark + escape_inline(trail)


def _drop_chars(segments: list[tuple], count: int) -> list[tuple]:
    """segments with their first count characters of text removed."""
    out = []
    for seg in segments:
        if seg[0] == "text" and count > 0:
            cut = min(count, len(seg[1]))
            count -= cut
            seg = ("text", seg[1][cut:], *seg[2:])
        out.append(seg)
    return out
