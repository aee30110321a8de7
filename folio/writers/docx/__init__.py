"""The Word edition: python-docx over named styles, the body and notes written from one plan
(plan.py, planner.py), which is the only walk of the model here.

The composition is folio's (doc.composition), as in the PDF: each region that opens on a
right-hand page or starts its numbering again is a Word section (an odd-page break), one
that opens on a new page gets a page break, one that runs on gets none.
"""
from __future__ import annotations

import io
import os
from dataclasses import dataclass, field
from pathlib import Path

from ... import model as m
from ...dates import publication_moment
from ...diagnostics import FolioError, Kind, Location, Reporter
from ...files import is_inside, write_atomic
from ...i18n import numerals
from ...inputs import read_input
from ...model.walk import body_breaks
from ...ooxml import bidi, eastasia
from ...project import Project
from .. import edition_links
from ..number_columns import columns as number_columns
from ..pages import publication_context
from ..svg import svg_to_png
from . import oxml, package
from .body import Story
from .estimate import estimate_layout
from .layout_pass import libreoffice_pages
from .names import Bookmarks
from .plan import PlannedContents, paginate
from .planner import layout
from .reference import add_missing_styles
from .sections import TEMPLATES, Sections
from .sourcemap import SourceMap
from .styles import (
    REQUIRED,
    StyleSheet,
    apply_tokens,
    fit_number_columns,
    follow_composition,
    geometry,
    load_tokens,
    reference_doc,
)
from .templates import TemplateParagraphs


@dataclass
class Context:
    """What one write shares between the body, the footnotes and the composition."""
    doc: m.Document
    document_part: object
    styles: StyleSheet
    images: dict
    text_width: int
    pages: dict
    source_map: SourceMap
    bookmarks: Bookmarks = field(default_factory=Bookmarks)
    called: dict = field(default_factory=dict)      # footnote label → note, once called
    link_ids: dict = field(default_factory=dict)
    shape_ids: list = field(default_factory=lambda: [0])
    script_fonts: dict = field(default_factory=dict)  # script → font (docx-styles.yaml)
    svg_fallback: object = None                    # SVG image facts → PNG bytes (Word's fallback)
    text_height: int = 0                           # twips; 0 = unknown

    def new_shape_id(self) -> int:
        self.shape_ids[0] += 1
        return self.shape_ids[0]


def write_docx(doc: m.Document, project: Project, reporter: Reporter) -> list[Path]:
    target = project.out_dir / f"{project.name}.docx"
    data, page_count = render_docx(doc, project, reporter)
    layout = libreoffice_pages(data, doc, reporter, project.out_dir)
    if layout:  # the same document again, its contents numbered as LibreOffice paginates it
        data, _ = render_docx(doc, project, Reporter(), layout["labels"])
        page_count = layout.get("count") or page_count     # LibreOffice's count, not the estimate
    write_atomic(target, data)
    edition_links.record_pages(project, "docx", data, page_count)   # the web page shows it, "about"
    return [target]


def render_docx(doc: m.Document, project: Project, reporter: Reporter,
                exact_pages: dict | None = None) -> tuple[bytes, int]:
    """The DOCX's bytes, and folio's estimate of its number of pages."""
    tokens = fit_number_columns(load_tokens(project, reporter), number_columns(doc))
    tokens = follow_composition(tokens, body_breaks(doc.composition))
    document, styles = open_template(doc, project, tokens, reporter)
    images = {src: image.facts for src, image in doc.images.items()}
    paper = doc.meta.get("paper", "letter")
    page, cover = geometry(tokens, paper), geometry(tokens, paper, cover=True)
    planned = layout(doc, {}, styles.has)               # the one walk of the model (plan.py)
    pages, page_count = estimate_layout(doc, planned, page["text-width"], page["height"] - page["top"] - page["bottom"])
    pages.update(exact_pages or {})
    paginate(planned, pages)
    bookmarks = Bookmarks()
    source_map = SourceMap(bookmarks, para_ids=_declares_w14(document.element))
    ctx = Context(doc, document.part, styles, images, page["text-width"], pages, source_map, bookmarks,
                  script_fonts={str(k): str(v) for k, v in (tokens.get("script-fonts") or {}).items()},
                  svg_fallback=lambda facts: svg_to_png(facts, project, reporter),
                  text_height=page["height"] - page["top"] - page["bottom"])
    story = Story(ctx)

    package.drop_template_sections(document)
    sections = Sections(document, story, page, cover, doc.meta, doc.terms)
    notes_part = package.add_footnotes_part(document)
    body = package.clear_body(document)

    context = {"meta": doc.meta, "terms": doc.terms, "locale": doc.locale, "contents": doc.contents,
               "abbreviations": doc.abbreviation_table} | publication_context(doc, doc.terms)
    foot_styles = {n for n, spec in tokens["styles"].items() if (spec or {}).get("at-page-foot")} \
        if reference_doc(project, doc.meta) is None else set()
    converter = TemplateParagraphs(styles, project, reporter, foot_styles)
    out: list = []
    pending = None                                       # the open section's sectPr, closed by the next
    for region, items in ((r.region, r.items) for r in planned.regions):
        starts = sections.starts(region)
        if pending is not None and starts:
            _end_section(out, story, pending)
        if region.kind in TEMPLATES:
            flow, foot = converter.convert(TEMPLATES[region.kind], context)
            out += flow
            pending = sections.template_section(region, foot)
            continue
        if region.kind == "blank":
            continue
        if starts:
            pending = sections.section(region)
        first = len(out)
        if region.kind == "contents":
            _contents(story, items[0], out)
            # LibreOffice drops a section's header and footer references kept inside the TOC
            # field's last paragraph: the section ends in a paragraph of its own.
            out.append(story.para("Normal"))
        else:
            story.items(items, out)
        if out[first:] and (not starts or region.opens == "continue"):
            _open(out[first], region.opens, styles)     # a chapter in a section of its own runs on too
    body.extend(out)
    source_map.note_generated(out)
    if pending is not None:
        body.append(pending)

    _footnotes(ctx, notes_part, planned.notes)
    parts = [document.element.body, notes_part.element] + [
        part.element for part in document.part.package.iter_parts()
        if str(part.partname).startswith(("/word/header", "/word/footer"))]
    if doc.locale is not None and doc.locale.direction == "rtl":
        bidi.right_to_left(parts, styles.element, ctx.script_fonts.get(doc.locale.script, ""),
                           bidi_language(doc.locale.tag))
    if doc.locale is not None and doc.locale.script in eastasia.SCRIPTS:
        eastasia.east_asian(parts, styles.element, ctx.script_fonts.get(doc.locale.script, ""),
                            str(tokens.get("east-asian-sans") or ""), doc.locale.tag)
    package.adjust_settings(document)
    moment = publication_moment(doc.meta, project.source)
    package.set_core_properties(document, doc.meta, moment)
    package.set_app_properties(document, doc.meta)
    package.drop_template_leftovers(document)
    package.add_custom_xml(document, [source_map.xml(doc.source, doc.text)])
    buffer = io.BytesIO()
    document.save(buffer)
    return package.fixed_zip(buffer.getvalue(), moment), page_count



def bidi_language(tag: str) -> str:
    """The complex-script language Word is told: the tag with its region, as Word names it
    (Arabic with none: ar-SA, Word's own default for Arabic)."""
    return tag if "-" in tag else {"ar": "ar-SA", "he": "he-IL", "fa": "fa-IR", "ur": "ur-PK"}.get(tag, tag)


def _open(first, opens: str, styles: StyleSheet) -> None:
    """A region inside the open section: a page break before its first paragraph, or none;
    said on the paragraph only where its style does not already say it."""
    if first.tag != oxml.qn("w:p"):
        return
    style = first.find(f"{oxml.qn('w:pPr')}/{oxml.qn('w:pStyle')}")
    if styles.breaks_page(style.get(oxml.qn("w:val")) if style is not None else "") != (opens == "page"):
        oxml.set_page_break_before(first, opens == "page")


def _declares_w14(element) -> bool:
    return element.nsmap.get("w14") == oxml.W14


def open_template(doc: m.Document, project: Project, tokens: dict, reporter: Reporter):
    """python-docx's blank document with our styles, or the user's reference document, of which
    only the styles, numbering, fonts, theme and page settings are kept."""
    import docx

    reference = reference_doc(project, doc.meta)
    if reference is None:
        document = docx.Document()
        apply_tokens(document.styles.element, tokens, doc.meta.get("paper", "letter"), project, reporter,
                     doc.meta.get("language", ""), doc.locale.direction if doc.locale else "ltr")
        source = project.shown(project.find("styles/docx-styles.yaml"))
    else:
        source = project.shown(reference)
        data = _reference_bytes(doc, project, reference, reporter)
        try:
            document = docx.Document(io.BytesIO(data))
        except Exception as exc:  # python-docx raises several types for a damaged package
            reporter.error(Location(source), f"cannot read the reference document: {exc}", Kind.FILE)
            raise FolioError(source) from exc
        package.keep_only_styles(document)      # nothing else of it: no remote template, no links
        add_missing_styles(document.styles.element, tokens, doc.meta.get("paper", "letter"), source, reporter)
    styles = StyleSheet(document.styles.element, source)
    styles.check(REQUIRED, reporter, Location(source), " (the DOCX writer needs it)")
    return document, styles


def _reference_bytes(doc: m.Document, project: Project, reference: Path, reporter: Reporter) -> bytes:
    """The reference document's bytes, read through the build's log: a file in the project
    (a symlink out is refused), a zip of sane size."""
    shown = os.path.relpath(reference, project.root)       # as named: a link is not followed here
    problem = None
    if not is_inside(reference, project.root):
        problem = f"reference document '{shown}' lies outside the project; folio reads only files inside it"
    else:
        try:
            data = read_input(reference)
            problem = package.zip_problem(data)
            problem = problem and f"reference document '{shown}' {problem}"
        except (OSError, ValueError) as exc:
            problem = (f"reference document '{shown}' not found (reference-doc names a file in styles/)"
                       if isinstance(exc, FileNotFoundError) else
                       f"cannot read the reference document '{shown}': {getattr(exc, 'strerror', None) or exc}")
    if problem:
        reporter.error(Location(doc.source, doc.meta.get("_lines", {}).get("reference-doc", 0)), problem, Kind.FILE)
        raise FolioError(shown)
    return data


def _end_section(out: list, story: Story, sect) -> None:
    """The sectPr goes into the section's last paragraph (one is added after a table)."""
    if not out or out[-1].tag != oxml.qn("w:p"):
        out.append(story.para("Normal"))
    oxml.set_section(out[-1], sect)


def _contents(story: Story, contents: PlannedContents, out: list) -> None:
    """A real TOC field whose stored result already lists every entry of the contents, under
    the term templates/_contents.html shows over the print and web contents."""
    out.append(story.paragraph(contents.title))
    paragraphs = story.items(contents.entries, []) or [story.para("TOC 1")]
    first_ppr = paragraphs[0].find(oxml.qn("w:pPr"))
    for run in reversed(oxml.field_begin(f'TOC \\o "1-{contents.depth}" \\h \\z \\u')):
        first_ppr.addnext(run)
    paragraphs[-1].append(oxml.field_end())
    out.extend(paragraphs)


def _footnotes(ctx: Context, notes_part, notes: list) -> None:
    """Each note called from the text in a w:footnote of its own, its guests after it."""
    story = Story(ctx)
    story.part = notes_part
    for planned in notes:
        if planned.note.label in ctx.called:
            paragraphs = story.note(planned)
            for guest in planned.guests:
                paragraphs += story.note(guest, guest=True)
            notes_part.element.append(oxml.footnote(int(numerals.own(planned.note.number)), paragraphs))
