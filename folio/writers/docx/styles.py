"""The DOCX's named styles: from styles/docx-styles.yaml, or from a user's reference document.

styles/reference.docx, when it exists, plays pandoc's --reference-doc: its styles are used
as they are, and every style name the writer needs must be in it (a missing one is a
located error, never a python-docx KeyError).
"""
from __future__ import annotations

import copy
import re
from functools import lru_cache
from pathlib import Path

from docx.oxml.ns import qn

from ... import safeyaml
from ...diagnostics import FolioError, Kind, Location, Reporter
from ...inputs import probe, read_input
from ...project import Project
from . import oxml

YAML_NAME = "docx-styles.yaml"
REFERENCE_NAME = "reference.docx"

# The writer's vocabulary: every name it may put on a paragraph, run or table.
REQUIRED = ["Normal", "Title", "Heading 1", "Part Heading", "Heading 2", "Heading 3", "Heading 4", "TOC Heading",
            "TOC 1", "TOC 2", "TOC 3", "Footnote Text", "Footnote Reference", "Caption",
            "Caption Label", "Numbered Paragraph",
            *[f"List {kind}{n}" for kind in ("Bullet", "Number", "Continue") for n in ("", " 2", " 3", " 4", " 5")],
            "Quote", "Code Block", "Horizontal Rule", "Gap Block",
            "Figure", "Table Text", "Table Heading", "Abbreviation Entry", "Header", "Footer",
            "Header Odd", "Header Even", "Editorial Gap", "Hyperlink", "Emphasis", "Strong",
            "Strong Emphasis", "Inline Code", "Data Table", "Abbreviation Table", "TOC Page Number",
            "Definition Term", "Definition", "Box Title", "Box Note", "Box Tip", "Box Important",
            "Box Warning", "Box Caution"]

# Word keeps these built-in names in lower case inside styles.xml (and matches them so).
_BUILTIN_LOWER = {"caption", "footer", "header", "footnote text", "footnote reference"} | \
    {f"heading {n}" for n in range(1, 10)} | {f"toc {n}" for n in range(1, 10)}

_UNITS = {"pt": 20, "in": 1440, "mm": 1440 / 25.4, "cm": 1440 / 2.54}
_LENGTH_KEYS = {"space-before", "space-after", "indent-left", "indent-right", "first-line", "hanging",
                "size", "letter-spacing", "at", "space", "cell-margin", "top", "bottom", "inside-h",
                "inside", "outside", "header", "footer", "width", "height"}


def twips(value, text_width: int = 0) -> int:
    if value == "text-width":
        return text_width
    match = re.fullmatch(r"\s*(-?[\d.]+)\s*(pt|in|mm|cm)\s*", str(value))
    if not match:
        raise ValueError(f"'{value}' is not a length (use pt, in, mm or cm)")
    return round(float(match.group(1)) * _UNITS[match.group(2)])


def load_tokens(project: Project, reporter: Reporter) -> dict:
    path = project.find(f"styles/{YAML_NAME}")
    where = Location(project.shown(path))
    try:
        data = copy.deepcopy(_parsed(read_input(path).decode("utf-8")))   # callers change it
    except FileNotFoundError:
        reporter.error(where, "the DOCX styles file is missing", Kind.FILE)
        raise FolioError(str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        reporter.error(where, f"cannot read the DOCX styles file: {exc}", Kind.FILE)
        raise FolioError(str(path)) from None
    except safeyaml.YamlProblem as exc:
        reporter.error(Location(where.path, exc.line), f"malformed styles file: {exc.text}", Kind.TEMPLATE)
        raise FolioError(str(path)) from None
    if not isinstance(data, dict) or not isinstance(data.get("styles"), dict):
        reporter.error(where, "the styles file needs a 'styles:' mapping", Kind.TEMPLATE)
        raise FolioError(str(path))
    return data


@lru_cache(maxsize=4)
def _parsed(text: str):
    """The styles file parsed once a process: the Word file is written twice a build (again
    with LibreOffice's page numbers), and parsing it was a tenth of each write at 10×."""
    return safeyaml.load(text)[0]


# Styles whose number sits in a hanging column: (style, heading level, its size in pt).
NUMBER_COLUMNS = (("Heading 1", 1, 14), ("Heading 2", 2, 12), ("Heading 3", 3, 10),
                  ("TOC 1", 1, 10), ("TOC 2", 2, 10), ("TOC 3", 3, 10))


def fit_number_columns(tokens: dict, widths: dict[int, float]) -> dict:
    """The tokens with each number column (indent, hanging, first tab) widened where the
    document's widest number needs it (widths: level → em, see number_columns); never narrowed.
    Contents entries of level N start where level N-1's title does."""
    styles = {name: dict(spec or {}) for name, spec in tokens["styles"].items()}
    start = 0
    for name, level, size in NUMBER_COLUMNS:
        spec = styles.get(name)
        if spec is None or _inherited(styles, name, "hanging") is None:
            continue
        start = 0 if level == 1 else start
        hanging = max(twips(_inherited(styles, name, "hanging")), round(widths.get(level, 0) * size * 20))
        indent = max(twips(_inherited(styles, name, "indent-left") or "0pt"), start + hanging)
        tabs = [dict(t) for t in _inherited(styles, name, "tabs") or []]
        if tabs and tabs[0].get("align", "left") == "left":
            tabs[0]["at"] = f"{indent / 20}pt"
        spec.update({"hanging": f"{hanging / 20}pt", "indent-left": f"{indent / 20}pt", "tabs": tabs})
        start = indent if name.startswith("TOC") else 0
    return {**tokens, "styles": styles}


def follow_composition(tokens: dict, chapters_open_pages: bool) -> dict:
    """The tokens with Heading 1 breaking the page as the document's chapters open: where they
    run on, the style says so, rather than each heading cancelling its style's page break (a
    heading a translator adds would jump to a new page). A chapter opening a right-hand page
    starts a section of its own, whose break the style's page break does not double."""
    spec = (tokens["styles"].get("Heading 1") or {})
    if "page-break-before" not in spec and chapters_open_pages:
        return tokens
    styles = {**tokens["styles"], "Heading 1": {**spec, "page-break-before": chapters_open_pages}}
    return {**tokens, "styles": styles}


def _inherited(styles: dict, name: str, key: str, depth: int = 0):
    """A style's setting, or the one it inherits through based-on."""
    spec = styles.get(name) or {}
    if key in spec or depth > 20:
        return spec.get(key)
    return _inherited(styles, spec["based-on"], key, depth + 1) if spec.get("based-on") else None


def geometry(tokens: dict, paper: str, cover: bool = False) -> dict:
    """Page size and margins in twips; left/right are inside/outside (mirrored margins)."""
    page = tokens["page"]
    size = page.get(paper, page["letter"])
    margins = page["cover-margins" if cover else "margins"]
    g = {"width": twips(size["width"]), "height": twips(size["height"]),
         "top": twips(margins["top"]), "bottom": twips(margins["bottom"]),
         "left": twips(margins["inside"]), "right": twips(margins["outside"]),
         "header": twips(margins["header"]), "footer": twips(margins["footer"])}
    g["text-width"] = g["width"] - g["left"] - g["right"]
    return g


class StyleSheet:
    """Style names → styleIds of the document being written."""

    def __init__(self, styles_element, source: str):
        self.element = styles_element
        self.source = source
        self.ids = {}
        self.names = {}
        for style in styles_element.iter(qn("w:style")):
            name = style.find(qn("w:name"))
            if name is not None:
                self.ids.setdefault(name.get(qn("w:val")).casefold(), style.get(qn("w:styleId")))
                self.names.setdefault(name.get(qn("w:val")).casefold(), name.get(qn("w:val")))

    def id(self, name: str) -> str:
        return self.ids[name.casefold()]

    def name_of(self, name: str) -> str:
        """The style's name as the document spells it (Word keeps built-ins in lower case)."""
        return self.names.get(name.casefold(), name)

    def breaks_page(self, style_id: str) -> bool:
        """Does a paragraph in this style start a new page (its own or a base style's pPr)?"""
        by_id = self._by_id()
        seen = set()
        while style_id in by_id and style_id not in seen:
            seen.add(style_id)
            flag = by_id[style_id].find(f"{qn('w:pPr')}/{qn('w:pageBreakBefore')}")
            if flag is not None:
                return flag.get(qn("w:val"), "1") not in ("0", "false", "off")
            based = by_id[style_id].find(qn("w:basedOn"))
            style_id = based.get(qn("w:val")) if based is not None else ""
        return False

    def _by_id(self) -> dict:
        """styleId → style, made again only when styles were added (once a region, it was a
        fifth of a long report's Word write)."""
        count = len(self.element)
        if getattr(self, "_index", (None, -1))[1] != count:
            self._index = ({st.get(qn("w:styleId")): st for st in self.element.iter(qn("w:style"))}, count)
        return self._index[0]

    def has(self, name: str) -> bool:
        return name.casefold() in self.ids

    def check(self, names, reporter: Reporter, where: Location, purpose: str = "") -> None:
        missing = [n for n in names if not self.has(n)]
        for name in missing:
            reporter.error(where, f"style '{name}' is not defined in {self.source}{purpose}", Kind.TEMPLATE)
        if missing:
            raise FolioError(self.source)


def apply_tokens(styles_element, tokens: dict, paper: str, project: Project, reporter: Reporter,
                 language: str = "", direction: str = "ltr") -> None:
    """Write the YAML's styles into styles.xml, replacing the template's own of the same name.
    The text's language is the document's (one tag in every edition), not the YAML's; so is its
    direction: a right-to-left language makes every paragraph right to left (w:bidi), its
    start on the right, as Word's own Arabic documents are."""
    where = Location(project.shown(project.find(f"styles/{YAML_NAME}")))
    text_width = geometry(tokens, paper)["text-width"]
    colors = {k: str(v) for k, v in (tokens.get("colors") or {}).items()}
    try:
        defaults = _resolve(tokens.get("defaults") or {}, colors, text_width)
        if language:
            defaults["lang"] = language
        old = styles_element.find(qn("w:docDefaults"))
        paragraph = [oxml.el("w:spacing", {"after": 0, "line": 240, "lineRule": "auto"})]
        new = oxml.doc_defaults(oxml.run_props(defaults),
                                paragraph + ([oxml.el("w:bidi")] if direction == "rtl" else []))
        if old is not None:
            styles_element.replace(old, new)
        else:
            styles_element.insert(0, new)
        existing = {}
        for style in styles_element.findall(qn("w:style")):
            name = style.find(qn("w:name"))
            existing[(name.get(qn("w:val")) if name is not None else "").casefold()] = style
            existing[style.get(qn("w:styleId")).casefold()] = style
        for name, raw in tokens["styles"].items():
            spec = _resolve(raw or {}, colors, text_width)
            element = _style(name, spec)
            old = existing.get(name.casefold())
            if old is None:
                old = existing.get(style_id(name).casefold())
            if old is not None and old.getparent() is not None:
                old.getparent().replace(old, element)
            else:
                styles_element.append(element)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        reporter.error(where, f"invalid style setting: {exc}", Kind.TEMPLATE)
        raise FolioError(str(where)) from exc


def style_id(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "", name) or "Style"


def _style(name: str, spec: dict):
    kind = spec.get("type", "paragraph")
    ppr, rpr, tblpr = oxml.style_props(spec)
    based_on = style_id(spec["based-on"]) if spec.get("based-on") else None
    if kind == "table" and based_on is None:
        based_on = "TableNormal"
    shown = name.casefold() if name.casefold() in _BUILTIN_LOWER else name
    builtin = name in ("Normal", "Title", "Quote", "Strong", "Emphasis", "Hyperlink", "TOC Heading") \
        or name.casefold() in _BUILTIN_LOWER or name.startswith("List ")
    return oxml.style_element(style_id(name), shown, kind, based_on,
                              style_id(spec["next"]) if spec.get("next") else None,
                              ppr if kind != "character" else [], rpr, tblpr, custom=not builtin)


def _resolve(spec: dict, colors: dict, text_width: int):
    """Lengths → twips, colour names → hex, recursively."""
    out = {}
    for key, value in spec.items():
        if isinstance(value, dict):
            out[key] = _resolve(value, colors, text_width)
        elif isinstance(value, list):
            out[key] = [_resolve(v, colors, text_width) if isinstance(v, dict) else v for v in value]
        elif key in _LENGTH_KEYS:
            out[key] = twips(value, text_width)
        elif key in ("color", "shading"):
            out[key] = colors.get(str(value), str(value)).lstrip("#").upper()
        else:
            out[key] = value
    return out


def reference_doc(project: Project, meta: dict | None = None) -> Path | None:
    """The user's reference document: the front matter's `reference-doc` (a file in styles/),
    else styles/reference.docx if there is one, else None (folio's own styles)."""
    named = (meta or {}).get("reference-doc")
    if named:
        return project.styles / named
    path = project.styles / REFERENCE_NAME
    return path if probe(path) else None
