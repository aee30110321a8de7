"""Jinja page assembly: the same templates give the web page and the print page."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from .. import model as m
from ..diagnostics import FolioError, Kind, Location, Reporter
from ..files import is_inside
from ..i18n import numerals, wording
from ..i18n.locale import load as load_locale
from ..inputs import read_input
from ..model.text import is_lost, plain_text
from ..project import Project, default_name
from .html_nodes import HtmlNodes


class ProjectLoader(jinja2.BaseLoader):
    """templates/NAME through Project.find: the project's own template, else folio's default
    (so an {% include %} of a template the project lacks takes folio's). Read through the
    build's read log; a template Jinja has cached is checked (its uptodate() reads it again)
    every time a build uses it, so every build's log names every template it used."""

    def __init__(self, project: Project):
        self.project = project

    def get_source(self, environment, template):
        try:
            path = self.project.find(f"templates/{template}")
            outside = default_name(path) is None and not is_inside(path, self.project.templates)
        except PermissionError:             # a link out of the project (Project.find)
            path, outside = self.project.templates / template, True
        if outside:
            raise jinja2.TemplateSyntaxError("the template is a link to a file outside templates/;"
                                             " folio reads only files inside the project", 1, template, str(path))
        if ".." in Path(template).parts or not path.is_file():
            raise jinja2.TemplateNotFound(template)
        data = read_input(path)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise jinja2.TemplateSyntaxError(f"not UTF-8 text ({exc.reason} at byte {exc.start});"
                                             " save the template as UTF-8", 1, template, str(path)) from None

        def uptodate() -> bool:
            try:
                return read_input(path) == data
            except OSError:
                return False
        return text, str(path), uptodate


TEMPLATE_CACHE = ".folio/templates"    # the templates compiled, for the next build's process


class CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Each template compiled once, not once per process: compiling the print and web
    templates cost every build ~0.1 s of its own (a correction's, a writer process's). Jinja
    keys the file by the template's name and checks its source's checksum, so an edited
    template is compiled again. A cache it cannot write (no build folder yet, a read-only one)
    is only a miss."""

    def dump_bytecode(self, bucket) -> None:
        try:
            Path(self.directory).mkdir(parents=True, exist_ok=True)
            super().dump_bytecode(bucket)
        except OSError:
            pass


@lru_cache(maxsize=4)
def environment(project: Project) -> jinja2.Environment:
    env = jinja2.Environment(loader=ProjectLoader(project),
                             autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True,
                             bytecode_cache=CompiledTemplates(str(project.out_dir / TEMPLATE_CACHE)))
    env.filters["css_string"] = css_string
    return env


def css_string(value) -> Markup:
    """A quoted CSS string (for words that print.css shows with `content:`): every character
    that could end the string or the <style> element is escaped the CSS way."""
    escaped = "".join(c if c.isalnum() or c in " .,;:!?'’-–—…()[]" else f"\\{ord(c):x} " for c in str(value))
    return Markup(f'"{escaped}"')


def render_page(doc: m.Document, project: Project, template: str, print_mode: bool,
                image_url, reporter: Reporter, extra: dict | None = None, hints=None) -> str:
    locale = doc.locale or load_locale(doc.meta.get("language", "en"))
    terms = doc.terms or locale.terms
    nodes = HtmlNodes(doc, print_mode, image_url, terms, hints)
    context = page_context(doc, nodes, terms) | {"locale": locale}
    context["print_mode"] = print_mode
    context.update(extra or {})
    try:
        return environment(project).get_template(template).render(context)
    except jinja2.TemplateSyntaxError as exc:
        loc = Location(project.shown(Path(exc.filename or project.templates / template)), exc.lineno or 0)
        reporter.error(loc, f"template error: {exc.message}", Kind.TEMPLATE)
    except jinja2.TemplateNotFound as exc:
        reporter.error(Location(project.shown(project.templates)), f"template '{exc.name}' not found",
                       Kind.TEMPLATE)
    except jinja2.UndefinedError as exc:
        reporter.error(_template_location(exc, project), f"template error: {exc.message}", Kind.TEMPLATE)
    except RecursionError:
        reporter.error(Location(project.shown(project.templates / template)), "template error: templates"
                       " include or extend each other in a loop", Kind.TEMPLATE)
    except Exception as exc:  # noqa: BLE001 - {{ 1 / 0 }}, a filter given the wrong type: the template's fault
        reporter.error(_template_location(exc, project), f"template error: {exc!r}", Kind.TEMPLATE)
    raise FolioError("template failed")


def page_context(doc: m.Document, nodes: HtmlNodes, terms: dict) -> dict:
    """What the templates see: the composition's regions in order, each with its rendered part."""
    return {
        "meta": doc.meta,
        "terms": terms,
        "regions": [_region(r, nodes) for r in doc.composition],
        "contents": [_entry(e) for e in doc.contents],
        "abbreviations": doc.abbreviation_table,
        "footnotes": Markup(nodes.footnotes_section()),
        "has_footnotes": bool(doc.footnote_order),
        "gaps": [_gap(g, doc, nodes) for g in doc.gaps],
        "editions": [],     # the web page's links to the PDF and DOCX (writers/html.py)
    } | publication_context(doc, terms)


def publication_context(doc: m.Document, terms: dict) -> dict:
    """What the cover, title page, imprint and back cover show besides the front matter: the
    same in every edition (the DOCX writer renders those templates too)."""
    meta = doc.meta
    # No organization named: no copyright holder to print, and folio does not invent one.
    copyright_line = meta.get("copyright") or meta.get("organization") and terms.get("copyright", "").replace(
        "{organization}", meta["organization"]).replace("{year}", str(meta.get("year") or "")).rstrip(", ")
    # The symbol as the pages show it: with the reissue's mark after it (the citation and the
    # files' properties keep the plain symbol, which names the document).
    symbol = meta.get("symbol", "") + (doc.reissue.mark if doc.reissue and meta.get("symbol") else "")
    return {"copyright": copyright_line, "citation": doc.citation, "cite": citation_parts(doc.citation),
            "symbol": symbol, "reissue": doc.reissue}


def citation_parts(citation: m.Citation | None) -> dict:
    """The suggested citation cut around its title, which a citation sets in italics: the
    words before it, the title, the words after it (all in `before` if the title is not in it,
    as in a front matter's own `citation:` that words it otherwise)."""
    text = citation.text if citation else ""
    title = citation.title if citation else ""
    if not title or title not in text:
        return {"before": text, "title": "", "after": ""}
    before, _, after = text.partition(title)
    return {"before": before, "title": title, "after": after}


def _entry(entry: m.ContentsEntry) -> dict:
    return {"level": entry.level, "number": numerals.labelled(entry.number) if entry.number else "",
            "title": entry.title,
            "target": entry.target, "front": entry.front, "lost": entry.lost, "reason": entry.reason,
            "term": entry.term}


def _gap(entry: m.GapEntry, doc: m.Document, nodes: HtmlNodes) -> dict:
    """A gap as the editorial note lists it: its anchor, where it is, its reason."""
    return {"id": entry.gap.id, "where": gap_place(entry, nodes.terms), "reason": entry.gap.reason,
            "front": entry.part is not None and entry.part.front}


def gap_place(entry: m.GapEntry, terms: dict) -> str:
    """Where a gap is, as the editorial note says it: "chapter II", or the unnumbered part's title."""
    heading = entry.part.heading if entry.part is not None else None
    if heading is not None and heading.number is not None:
        return wording.cited(terms, heading.kind, numerals.full(heading.number))
    if heading is not None and not is_lost(heading):
        return plain_text(heading.children, lambda x: wording.reference(x, terms))
    return ""
def _region(region: m.Region, nodes: HtmlNodes) -> dict:
    """A region as templates use it: its kind, how it opens, and for a part its HTML."""
    out = {"kind": region.kind, "opens": region.opens, "numbering": region.numbering,
           "front": region.front, "running_head": region.running_head,
           "part": _part(region.part, nodes) if region.part is not None else None}
    return out


def _part(part: m.Part, nodes: HtmlNodes) -> dict:
    heading = part.heading
    return {
        "id": heading.id if heading else "",
        "kind": heading.kind if heading else "",
        "classes": [c for c in (heading.classes if heading else []) if c != "front"],
        "heading": Markup(nodes.block(heading)) if heading else "",
        "title": heading and Markup(nodes.inlines(heading.children)),
        "body": Markup(nodes.blocks(part.blocks)),
    }


def _template_location(exc: Exception, project: Project) -> Location:
    """Jinja rewrites tracebacks so template frames carry the template's file and line."""
    tb = exc.__traceback__
    found = Location(project.shown(project.templates))
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if (project.relative(Path(filename)) or "").startswith("templates/"):
            found = Location(project.shown(Path(filename)), tb.tb_lineno)
        tb = tb.tb_next
    return found
