"""The Word edition: python-docx over named styles, the body built in one pass.

Composition as the PDF: cover, title page, preface, contents, the other front parts
(explanatory notes with the abbreviation table), then the report. Front matter is
numbered i, ii, iii, the report from 1; each front part and the report open on a
right-hand page (odd-page section breaks).
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
from ...inputs import read_input
from ...project import Project
from ..assets import resolve_images
from ..svg import svg_to_png
from . import oxml, package
from .body import Story
from .estimate import estimate_pages
from .layout_pass import libreoffice_pages
from .names import Bookmarks, reference_parts
from .styles import REQUIRED, StyleSheet, apply_tokens, geometry, load_tokens, reference_doc
from .templates import TemplateParagraphs, contents_title


@dataclass
class Context:
    """What one write shares between the body, the footnotes and the composition."""
    doc: m.Document
    document_part: object
    styles: StyleSheet
    images: dict
    text_width: int
    pages: dict
    reference_parts: dict
    bookmarks: Bookmarks = field(default_factory=Bookmarks)
    called: dict = field(default_factory=dict)      # footnote label → note, once called
    link_ids: dict = field(default_factory=dict)
    shape_ids: list = field(default_factory=lambda: [0])
    svg_fallback: object = None                    # SVG image facts → PNG bytes (Word's fallback)

    def new_shape_id(self) -> int:
        self.shape_ids[0] += 1
        return self.shape_ids[0]


def write_docx(doc: m.Document, project: Project, reporter: Reporter) -> list[Path]:
    target = project.out_dir / f"{project.name}.docx"
    data = render_docx(doc, project, reporter)
    if doc.meta.get("docx-page-numbers") == "libreoffice":
        exact = libreoffice_pages(data, doc, reporter)
        if exact:  # the same document again, its contents numbered as LibreOffice paginates it
            data = render_docx(doc, project, Reporter(), exact)
    write_atomic(target, data)
    return [target]


def render_docx(doc: m.Document, project: Project, reporter: Reporter, exact_pages: dict | None = None) -> bytes:
    tokens = load_tokens(project, reporter)
    document, styles = open_template(doc, project, tokens, reporter)
    images = resolve_images(doc, project, reporter)
    if reporter.errors:
        raise FolioError("images")
    paper = doc.meta.get("paper", "letter")
    page, cover = geometry(tokens, paper), geometry(tokens, paper, cover=True)
    front = [p for p in doc.parts if p.front]
    before = [p for p in front if "preface" in _classes(p)]
    after = [p for p in front if "preface" not in _classes(p)]
    pages = estimate_pages(doc, page["text-width"], page["height"] - page["top"] - page["bottom"], before, after)
    pages.update(exact_pages or {})
    ctx = Context(doc, document.part, styles, images, page["text-width"], pages, reference_parts(doc),
                  svg_fallback=lambda facts: svg_to_png(facts, project, reporter))
    story = Story(ctx)

    package.drop_template_sections(document)
    footer = package.add_header_footer(document, "ftr", [story.para("Footer", oxml.field(
        "PAGE", [oxml.run("1")]))])
    header = package.add_header_footer(document, "hdr", [story.para("Header", [oxml.run(
        doc.meta.get("short-title") or doc.meta.get("title", ""))])])
    notes_part = package.add_footnotes_part(document)
    body = package.clear_body(document)

    context = {"meta": doc.meta, "contents": doc.contents, "abbreviations": doc.abbreviation_table}
    foot_styles = {n for n, spec in tokens["styles"].items() if (spec or {}).get("at-page-foot")} \
        if reference_doc(project, doc.meta) is None else set()
    converter = TemplateParagraphs(styles, project, reporter, foot_styles)
    out: list = []
    for name, geom, start, restart in (("_cover.html", cover, None, True),
                                        ("_titlepage.html", page, "nextPage", False)):
        flow, foot = converter.convert(name, context)
        out += flow
        own_footer = package.add_header_footer(document, "ftr", foot or [story.para("Footer")])
        _end_section(out, story, oxml.section(geom, start, "lowerRoman", restart, None, own_footer))
    footer_ref = [footer]                                # the first numbered section carries it
    for part in before:
        _part(part, story, out)
        _end_section(out, story, oxml.section(page, "oddPage", "lowerRoman", False, None, _take(footer_ref)))
    _contents(doc, story, out, contents_title(context, project, reporter))
    _end_section(out, story, oxml.section(page, "oddPage", "lowerRoman", False, None, _take(footer_ref)))
    for part in after:
        _part(part, story, out)
        _end_section(out, story, oxml.section(page, "oddPage", "lowerRoman", False, None, _take(footer_ref)))
    for part in [p for p in doc.parts if not p.front]:
        _part(part, story, out)
    body.extend(out)
    body.append(oxml.section(page, "oddPage", "decimal", True, header, _take(footer_ref)))

    _footnotes(ctx, notes_part)
    package.adjust_settings(document)
    moment = publication_moment(doc.meta, project.source)
    package.set_core_properties(document, doc.meta, moment)
    package.drop_template_leftovers(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return package.fixed_zip(buffer.getvalue(), moment)


def open_template(doc: m.Document, project: Project, tokens: dict, reporter: Reporter):
    """python-docx's blank document with our styles, or the user's reference document, of which
    only the styles, numbering, fonts, theme and page settings are kept."""
    import docx

    reference = reference_doc(project, doc.meta)
    if reference is None:
        document = docx.Document()
        apply_tokens(document.styles.element, tokens, doc.meta.get("paper", "letter"), project, reporter)
        source = project.shown(project.styles / "docx-styles.yaml")
    else:
        source = project.shown(reference)
        data = _reference_bytes(doc, project, reference, reporter)
        try:
            document = docx.Document(io.BytesIO(data))
        except Exception as exc:  # python-docx raises several types for a damaged package
            reporter.error(Location(source), f"cannot read the reference document: {exc}", Kind.FILE)
            raise FolioError(source) from exc
        package.keep_only_styles(document)
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


def _classes(part: m.Part) -> list:
    return part.heading.classes if part.heading else []


def _take(box: list):
    return box.pop() if box else None


def _end_section(out: list, story: Story, sect) -> None:
    """The sectPr goes into the section's last paragraph (one is added after a table)."""
    if not out or out[-1].tag != oxml.qn("w:p"):
        out.append(story.para("Normal"))
    oxml.set_section(out[-1], sect)


def _part(part: m.Part, story: Story, out: list) -> None:
    blocks = ([part.heading] if part.heading else []) + part.blocks
    story.blocks(blocks, out)
    if "abbreviations" in _classes(part):
        out.append(_abbreviation_table(story))


def _abbreviation_table(story: Story):
    first = 1440                                        # 1 in, as print.css's 7em column
    rows = [[[story.para("Abbreviation Entry", [oxml.run(a.abbr)])],
             [story.para("Abbreviation Entry", [oxml.run(a.expansion)])]]
            for a in story.ctx.doc.abbreviation_table]
    return oxml.table(story.sid("Abbreviation Table"), [first, story.ctx.text_width - first], rows,
                      first_column=True)


def _contents(doc: m.Document, story: Story, out: list, title: str) -> None:
    """A real TOC field whose stored result already lists every entry of doc.contents."""
    out.append(story.para("TOC Heading", [oxml.run(title)]))
    depth = max([doc.meta.get("contents-depth", 3)] + [e.level for e in doc.contents])
    paragraphs = []
    for entry in doc.contents:
        anchor = story.marks.name(entry.target)
        runs = [oxml.run(f"{entry.number}.\t")] if entry.number else []
        number_style = story.sid("TOC Page Number")
        page = oxml.run(story.ctx.pages.get(entry.target, ""), number_style)
        runs += [oxml.run(entry.title), oxml.run("\t"),
                 *oxml.field(f"PAGEREF {anchor} \\h", [page], number_style)]
        paragraphs.append(story.para(f"TOC {min(entry.level, 3)}", [oxml.hyperlink_anchor(anchor, runs)]))
    if not paragraphs:
        paragraphs.append(story.para("TOC 1"))
    instruction = f'TOC \\o "1-{min(depth, 3)}" \\h \\z \\u'
    first_ppr = paragraphs[0].find(oxml.qn("w:pPr"))
    for run in reversed(oxml.field_begin(instruction)):
        first_ppr.addnext(run)
    paragraphs[-1].append(oxml.field_end())
    out.extend(paragraphs)


def _footnotes(ctx: Context, notes_part) -> None:
    story = Story(ctx)
    story.part = notes_part
    root = notes_part.element
    for note in ctx.doc.footnote_order:
        if note.label in ctx.called:
            root.append(oxml.footnote(note.number, story.footnote_paragraphs(note)))
