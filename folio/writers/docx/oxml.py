"""All raw OOXML of the DOCX writer: runs, fields, bookmarks, footnotes, sections, styles.

Every element is built here, children in the order the WordprocessingML schema asks for
(CT_PPr, CT_RPr, CT_SectPr, CT_Style, CT_Settings), so the other modules never spell a tag.
"""
from __future__ import annotations

from docx.oxml.ns import nsdecls, qn
from docx.oxml.parser import OxmlElement, parse_xml

from ...controls import strip_controls
from ...ooxml.names import MC, W14, word_pieces  # noqa: F401  (the names the writer's modules take from here)

# Schema orders (ECMA-376 part 1, §17): a child is inserted before the first later sibling.
PPR_ORDER = ("pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr "
             "suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct "
             "topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid spacing ind "
             "contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment "
             "textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange").split()
RPR_ORDER = ("rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint "
             "noProof snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u "
             "effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath").split()
SETTINGS_ORDER = ("writeProtection view zoom removePersonalInformation removeDateAndTime "
                  "doNotDisplayPageBoundaries displayBackgroundShape printPostScriptOverText "
                  "printFractionalCharacterWidth printFormsData embedTrueTypeFonts embedSystemFonts "
                  "saveSubsetFonts saveFormsData mirrorMargins alignBordersAndEdges "
                  "bordersDoNotSurroundHeader bordersDoNotSurroundFooter gutterAtTop hideSpellingErrors "
                  "hideGrammaticalErrors activeWritingStyle proofState formsDesign attachedTemplate "
                  "linkStyles stylePaneFormatFilter stylePaneSortMethod documentType mailMerge "
                  "revisionView trackRevisions doNotTrackMoves doNotTrackFormatting documentProtection "
                  "autoFormatOverride styleLockTheme styleLockQFSet defaultTabStop autoHyphenation "
                  "consecutiveHyphenLimit hyphenationZone doNotHyphenateCaps showEnvelope summaryLength "
                  "clickAndTypeStyle defaultTableStyle evenAndOddHeaders bookFoldRevPrinting "
                  "bookFoldPrinting bookFoldPrintingSheets drawingGridHorizontalSpacing "
                  "drawingGridVerticalSpacing displayHorizontalDrawingGridEvery "
                  "displayVerticalDrawingGridEvery doNotUseMarginsForDrawingGridOrigin "
                  "drawingGridHorizontalOrigin drawingGridVerticalOrigin doNotShadeFormData "
                  "noPunctuationKerning characterSpacingControl printTwoOnOne strictFirstAndLastChars "
                  "noLineBreaksAfter noLineBreaksBefore savePreviewPicture doNotValidateAgainstSchema "
                  "saveInvalidXml ignoreMixedContent alwaysShowPlaceholderText doNotDemarcateInvalidXml "
                  "saveXmlDataOnly useXSLTWhenSaving saveThroughXslt showXMLTags "
                  "alwaysMergeEmptyNamespace updateFields hdrShapeDefaults footnotePr endnotePr compat "
                  "docVars rsids mathPr attachedSchema themeFontLang clrSchemeMapping "
                  "doNotIncludeSubdocsInStats doNotAutoCompressPictures forceUpgrade captions "
                  "readModeInkLockDown smartTagType schemaLibrary shapeDefaults doNotEmbedSmartTags "
                  "decimalSymbol listSeparator").split()

COMPAT_ORDER = ("useSingleBorderforContiguousCells wpJustification noTabHangInd noLeading spaceForUL "
                "noColumnBalance balanceSingleByteDoubleByteWidth noExtraLineSpacing "
                "doNotLeaveBackslashAlone ulTrailSpace doNotExpandShiftReturn spacingInWholePoints "
                "lineWrapLikeWord6 printBodyTextBeforeHeader printColBlack wpSpaceWidth "
                "showBreaksInFrames subFontBySize suppressBottomSpacing suppressTopSpacing "
                "suppressSpacingAtTopOfPage suppressTopSpacingWP suppressSpBfAfterPgBrk "
                "swapBordersFacingPages convMailMergeEsc truncateFontHeightsLikeWP6 mwSmallCaps "
                "usePrinterMetrics doNotSuppressParagraphBorders wrapTrailSpaces footnoteLayoutLikeWW8 "
                "shapeLayoutLikeWW8 alignTablesRowByRow forgetLastTabAlignment adjustLineHeightInTable "
                "autoSpaceLikeWord95 noSpaceRaiseLower doNotUseHTMLParagraphAutoSpacing "
                "layoutRawTableWidth layoutTableRowsApart useWord97LineBreakRules doNotBreakWrappedTables "
                "doNotSnapToGridInCell selectFldWithFirstOrLastChar applyBreakingRules "
                "doNotWrapTextWithPunct doNotUseEastAsianBreakRules useWord2002TableStyleRules growAutofit "
                "useFELayout useNormalStyleForList doNotUseIndentAsNumberingTabStop "
                "useAltKinsokuLineBreakRules allowSpaceOfSameStyleInTable doNotSuppressIndentation "
                "doNotAutofitConstrainedTables autofitToFirstFixedWidthCell underlineTabInNumList "
                "displayHangulFixedWidth splitPgBreakAndParaMark doNotVertAlignCellWithSp "
                "doNotBreakConstrainedForcedTable doNotVertAlignInTxbx useAnsiKerningPairs cachedColBand "
                "compatSetting").split()


def clean(text: str) -> str:
    return strip_controls(text)  # XML 1.0 forbids them (lxml raises ValueError): dropped, never a crash


def el(tag: str, attrs: dict | None = None, *children):
    """<tag> with w:-prefixed attributes (unless already qualified) and children."""
    node = OxmlElement(tag, {(k if k.startswith("{") else qn(k if ":" in k else "w:" + k)): str(v)
                             for k, v in (attrs or {}).items() if v is not None})
    for child in children:
        if child is not None:
            node.append(child)
    return node


def insert_ordered(parent, child, order: list[str]) -> None:
    """Insert child before the first sibling that the schema puts after it; replace a twin."""
    name = child.tag.split("}")[1]
    later = set(order[order.index(name) + 1:])
    for existing in parent:
        local = existing.tag.split("}")[1] if "}" in existing.tag else ""
        if local == name:
            parent.replace(existing, child)
            return
        if local in later:
            existing.addprevious(child)
            return
    parent.append(child)


# ---- runs and paragraphs ---------------------------------------------------------

def run(text: str = "", style: str | None = None, *extra):
    """A run in a character style; tabs become <w:tab/>, newlines spaces, a very long word
    gets break opportunities (ooxml.names.word_pieces)."""
    r = el("w:r", None, rpr(style))
    for i, piece in enumerate(clean(text).replace("\n", " ").split("\t")):
        if i:
            r.append(el("w:tab"))
        for part in word_pieces(piece) if piece else ():     # a long word's breaks are w:t of their own
            t = el("w:t")
            t.text = part
            if part != part.strip():
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            r.append(t)
    for child in extra:
        r.append(child)
    return r


def rpr(style: str | None):
    return el("w:rPr", None, el("w:rStyle", {"val": style})) if style else None


def script_run(text: str, style: str | None, font: str | None, rtl: bool):
    """A run whose complex-script characters Word draws in font (right to left if rtl)."""
    r = run(text, style)
    props = r.find(qn("w:rPr"))
    if props is None:
        props = el("w:rPr")
        r.insert(0, props)
    if font:
        props.append(el("w:rFonts", {"cs": font, "hint": "cs"}))
    if rtl:
        props.append(el("w:rtl"))
    return r


def vertical_align(runs: list, value: str) -> list:
    """The runs (or elements holding runs, as hyperlinks) raised or lowered: w:vertAlign, in
    its place in each run's properties."""
    for node in runs:
        for r in ([node] if node.tag == qn("w:r") else node.iter(qn("w:r"))):
            props = r.find(qn("w:rPr"))
            if props is None:
                props = el("w:rPr")
                r.insert(0, props)
            later = [c for c in props if c.tag in (qn("w:rtl"), qn("w:cs"), qn("w:em"), qn("w:lang"))]
            align = el("w:vertAlign", {"val": value})
            if later:
                later[0].addprevious(align)
            else:
                props.append(align)
    return runs


def line_break_run(style: str | None = None):
    return el("w:r", None, rpr(style), el("w:br"))


def paragraph(style: str, children=(), align: str | None = None):
    """<w:p> in a paragraph style; align only for a table cell's column alignment."""
    ppr = el("w:pPr", None, el("w:pStyle", {"val": style}))
    if align:
        ppr.append(el("w:jc", {"val": align}))
    p = el("w:p", None, ppr)
    for child in children:
        p.append(child)
    return p


def set_section(p, sect) -> None:
    """Make p the last paragraph of a section: its pPr carries the sectPr (schema: near last)."""
    insert_ordered(p.find(qn("w:pPr")), sect, PPR_ORDER)


def set_page_break_before(p, on: bool) -> None:
    """A page break before this paragraph, or explicitly none (whatever its style says)."""
    insert_ordered(p.find(qn("w:pPr")), el("w:pageBreakBefore", {"val": None if on else 0}), PPR_ORDER)


def hyperlink_anchor(anchor: str, runs):
    link = el("w:hyperlink", {"anchor": anchor, "history": "1"})
    link.extend(runs)
    return link


def hyperlink_external(rid: str, runs):
    link = el("w:hyperlink", {"r:id": rid, "history": "1"})
    link.extend(runs)
    return link


def drawing_run(inline):
    return el("w:r", None, el("w:drawing", None, inline))


SVG_BLIP_URI = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
SVG_NS = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"


def add_svg_blip(inline, svg_rid: str) -> None:
    """The Office 2016 extension that names the SVG beside the picture's PNG blip."""
    blip = inline.find(".//" + qn("a:blip"))
    ext_list = parse_xml(f'<a:extLst {nsdecls("a", "r")}><a:ext uri="{SVG_BLIP_URI}">'
                         f'<asvg:svgBlip xmlns:asvg="{SVG_NS}" r:embed="{svg_rid}"/></a:ext></a:extLst>')
    blip.append(ext_list)


# ---- bookmarks and fields ---------------------------------------------------------

def bookmark_start(ident: int, name: str):
    return el("w:bookmarkStart", {"id": ident, "name": name})


def bookmark_end(ident: int):
    return el("w:bookmarkEnd", {"id": ident})


def field(instruction: str, result_runs, style: str | None = None) -> list:
    """A complex field: begin, instruction, separate, the (already computed) result, end."""
    def char(kind):
        return el("w:r", None, rpr(style), el("w:fldChar", {"fldCharType": kind}))
    instr = el("w:instrText", {"{http://www.w3.org/XML/1998/namespace}space": "preserve"})
    instr.text = f" {clean(instruction)} "
    return [char("begin"), el("w:r", None, rpr(style), instr), char("separate"),
            *result_runs, char("end")]


def field_begin(instruction: str) -> list:
    """The opening half of a field whose result spans paragraphs (the TOC)."""
    instr = el("w:instrText", {"{http://www.w3.org/XML/1998/namespace}space": "preserve"})
    instr.text = f" {instruction} "
    return [el("w:r", None, el("w:fldChar", {"fldCharType": "begin"})), el("w:r", None, instr),
            el("w:r", None, el("w:fldChar", {"fldCharType": "separate"}))]


def field_end():
    return el("w:r", None, el("w:fldChar", {"fldCharType": "end"}))


# ---- footnotes --------------------------------------------------------------------

def footnote_reference(ident: int, style: str):
    return el("w:r", None, rpr(style), el("w:footnoteReference", {"id": ident}))


def footnote_mark(style: str):
    """The number at the start of the note's own text."""
    return el("w:r", None, rpr(style), el("w:footnoteRef"))


def footnotes_root():
    """word/footnotes.xml with the separator (-1) and continuation separator (0) Word needs."""
    root = parse_xml(f"<w:footnotes {nsdecls('w', 'r')} xmlns:mc=\"{MC}\" xmlns:w14=\"{W14}\""
                     ' mc:Ignorable="w14"/>')
    for ident, kind, mark in ((-1, "separator", "separator"),
                              (0, "continuationSeparator", "continuationSeparator")):
        p = el("w:p", None, el("w:pPr", None, el("w:spacing", {"after": 0, "line": 240, "lineRule": "auto"})),
               el("w:r", None, el("w:" + mark)))
        root.append(el("w:footnote", {"type": kind, "id": ident}, p))
    return root


def footnote(ident: int, paragraphs):
    note = el("w:footnote", {"id": ident})
    note.extend(paragraphs)
    return note


def compat_option(settings, name: str) -> None:
    """A w:compat option (e.g. doNotExpandShiftReturn) in settings.xml, in schema order."""
    compat = settings.find(qn("w:compat"))
    if compat is None:
        compat = el("w:compat")
        insert_ordered(settings, compat, SETTINGS_ORDER)
    insert_ordered(compat, el("w:" + name), COMPAT_ORDER)


def footnote_settings():
    return el("w:footnotePr", None, el("w:footnote", {"id": -1}), el("w:footnote", {"id": 0}))


# ---- headers, footers, sections ------------------------------------------------------

def header_footer_root(kind: str, paragraphs):
    root = parse_xml(f"<w:{kind} {nsdecls('w', 'r')}/>")
    root.extend(paragraphs)
    return root


def section(geometry: dict, start: str | None, number_format: str | None, restart: bool,
            headers: dict | None = None, footers: dict | None = None, v_align: str | None = None,
            title_page: bool = False):
    """A w:sectPr. start: nextPage | oddPage (how the section begins); geometry in twips;
    headers/footers: {"default" | "even" | "first": relationship id}; title_page: the first
    page of the section takes the "first" header and footer (none on a part's opening page)."""
    g = geometry
    sect = el("w:sectPr")
    for kind, refs in (("w:headerReference", headers or {}), ("w:footerReference", footers or {})):
        for which, rid in refs.items():
            if rid:
                sect.append(el(kind, {"type": which, "r:id": rid}))
    if start:
        sect.append(el("w:type", {"val": start}))
    sect.append(el("w:pgSz", {"w": g["width"], "h": g["height"]}))
    sect.append(el("w:pgMar", {k: g[k] for k in ("top", "right", "bottom", "left", "header", "footer")}
                   | {"gutter": 0}))
    if number_format:
        sect.append(el("w:pgNumType", {"fmt": number_format, "start": 1 if restart else None}))
    sect.append(el("w:cols", {"space": 720}))
    if v_align:
        sect.append(el("w:vAlign", {"val": v_align}))
    if title_page:
        sect.append(el("w:titlePg"))
    sect.append(el("w:docGrid", {"linePitch": 360}))
    return sect


# ---- tables ---------------------------------------------------------------------------

def table(style: str, widths: list[int], rows, header_rows: int = 0, first_column: bool = False,
          spans: list | None = None):
    """rows: lists of cells, each a list of paragraphs (a cell always ends with a paragraph).
    spans: per row, per cell, (columns it spans, its w:vMerge: None, "restart" or "continue")."""
    look = {"firstRow": int(header_rows > 0), "lastRow": 0, "firstColumn": int(first_column),
            "lastColumn": 0, "noHBand": 1, "noVBand": 1}
    tbl = el("w:tbl", None,
             el("w:tblPr", None, el("w:tblStyle", {"val": style}),
                el("w:tblW", {"w": sum(widths), "type": "dxa"}), el("w:tblLook", look)),
             el("w:tblGrid", None, *[el("w:gridCol", {"w": w}) for w in widths]))
    for index, cells in enumerate(rows):
        tr = el("w:tr")
        if index < header_rows:
            tr.append(el("w:trPr", None, el("w:tblHeader")))
        column = 0
        for n, paragraphs in enumerate(cells):
            span, merge = spans[index][n] if spans else (1, None)
            if column >= len(widths):
                break
            props = el("w:tcPr", None, el("w:tcW", {"w": sum(widths[column:column + span]), "type": "dxa"}),
                       el("w:gridSpan", {"val": span}) if span > 1 else None,
                       el("w:vMerge", {"val": None if merge == "continue" else merge}) if merge else None)
            tc = el("w:tc", None, props)
            tc.extend(paragraphs or [paragraph_placeholder()])
            tr.append(tc)
            column += span
        tbl.append(tr)
    return tbl


def paragraph_placeholder():
    return el("w:p")


# ---- styles -----------------------------------------------------------------------------

def style_element(style_id: str, name: str, kind: str, based_on: str | None, next_id: str | None,
                  ppr: list, rpr_children: list, tblpr: list | None = None, custom: bool = True):
    """A w:style; ppr / rpr_children are element lists, sorted here into schema order."""
    style = el("w:style", {"type": kind, "styleId": style_id, "customStyle": 1 if custom else None},
               el("w:name", {"val": name}),
               el("w:basedOn", {"val": based_on}) if based_on else None,
               el("w:next", {"val": next_id}) if next_id else None,
               el("w:qFormat"))
    if ppr:
        style.append(sorted_props("w:pPr", ppr, PPR_ORDER))
    if rpr_children:
        style.append(sorted_props("w:rPr", rpr_children, RPR_ORDER))
    if tblpr:
        style.append(el("w:tblPr", None, *tblpr))
    return style


def sorted_props(tag: str, children: list, order: list[str]):
    props = el(tag)
    for child in sorted(children, key=lambda c: order.index(c.tag.split("}")[1])):
        props.append(child)
    return props


def doc_defaults(rpr_children: list, ppr_children: list):
    return el("w:docDefaults", None,
              el("w:rPrDefault", None, sorted_props("w:rPr", rpr_children, RPR_ORDER)),
              el("w:pPrDefault", None, sorted_props("w:pPr", ppr_children, PPR_ORDER)))


def border(side: str, size_eighths: int, color: str, space_pt: int):
    return el("w:" + side, {"val": "single", "sz": size_eighths, "space": space_pt, "color": color})


def style_props(spec: dict) -> tuple[list, list, list]:
    """A style's settings (lengths already in twips, colours resolved) → pPr, rPr, tblPr children."""
    ppr, rpr, tblpr = [], [], []
    flag = {"keep-next": "keepNext", "keep-lines": "keepLines", "page-break-before": "pageBreakBefore",
            "widow-control": "widowControl"}
    for key, tag in flag.items():
        if key in spec:
            ppr.append(el("w:" + tag, {"val": None if spec[key] else 0}))
    borders = [border(side, round(spec[f"border-{side}"]["size"] * 8 / 20), spec[f"border-{side}"]["color"],
                      round(spec[f"border-{side}"]["space"] / 20))
               for side in ("top", "left", "bottom", "right") if f"border-{side}" in spec]   # schema order
    if borders:
        ppr.append(el("w:pBdr", None, *borders))
    if "shading" in spec and spec.get("type", "paragraph") == "paragraph":
        ppr.append(el("w:shd", {"val": "clear", "color": "auto", "fill": spec["shading"]}))
    if "tabs" in spec:
        ppr.append(el("w:tabs", None, *[el("w:tab", {"val": t.get("align", "left"), "pos": t["at"],
                                                      "leader": t.get("leader")}) for t in spec["tabs"]]))
    spacing = {"before": spec.get("space-before"), "after": spec.get("space-after")}
    if "line" in spec:
        spacing |= {"line": round(240 * spec["line"]), "lineRule": "auto"}
    if any(v is not None for v in spacing.values()):
        ppr.append(el("w:spacing", spacing))
    ind = {"left": spec.get("indent-left"), "right": spec.get("indent-right"),
           "firstLine": spec.get("first-line"), "hanging": spec.get("hanging")}
    if any(v is not None for v in ind.values()):
        ppr.append(el("w:ind", ind))
    if "align" in spec:
        ppr.append(el("w:jc", {"val": spec["align"]}))
    if "outline-level" in spec:
        ppr.append(el("w:outlineLvl", {"val": spec["outline-level"]}))
    rpr.extend(run_props(spec))
    if "table-borders" in spec:
        tb = spec["table-borders"]
        tblpr.append(el("w:tblBorders", None, *[
            el("w:" + side, {"val": "single", "sz": round(tb[key] * 8 / 20), "space": 0, "color": "000000"})
            for side, key in (("top", "top"), ("bottom", "bottom"), ("insideH", "inside-h")) if key in tb]))
    if "cell-margin" in spec:
        m = spec["cell-margin"]
        tblpr.append(el("w:tblCellMar", None, el("w:left", {"w": m, "type": "dxa"}),
                        el("w:right", {"w": m, "type": "dxa"})))
    return ppr, rpr, tblpr


def run_props(spec: dict) -> list:
    rpr = []
    if "font" in spec:
        f = spec["font"]
        rpr.append(el("w:rFonts", {"ascii": f, "hAnsi": f, "cs": f, "eastAsia": f}))
    for key, tag in (("bold", "b"), ("italic", "i")):
        if key in spec:
            rpr.append(el("w:" + tag, {"val": None if spec[key] else 0}))
            rpr.append(el("w:" + tag + "Cs", {"val": None if spec[key] else 0}))
    if "caps" in spec:
        rpr.append(el("w:caps", {"val": None if spec["caps"] else 0}))
    if "color" in spec:
        rpr.append(el("w:color", {"val": spec["color"]}))
    if "letter-spacing" in spec:
        rpr.append(el("w:spacing", {"val": spec["letter-spacing"]}))
    if "size" in spec:
        rpr.append(el("w:sz", {"val": round(spec["size"] / 10)}))
        rpr.append(el("w:szCs", {"val": round(spec["size"] / 10)}))
    if "shading" in spec and spec.get("type") == "character":
        rpr.append(el("w:shd", {"val": "clear", "color": "auto", "fill": spec["shading"]}))
    if spec.get("superscript"):
        rpr.append(el("w:vertAlign", {"val": "superscript"}))
    if "lang" in spec:
        rpr.append(el("w:lang", {"val": spec["lang"], "eastAsia": spec["lang"], "bidi": "ar-SA"}))
    return rpr
