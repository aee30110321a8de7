"""Jinja page assembly: the same templates give the web page and the print page."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from .. import model as m
from ..diagnostics import FolioError, Kind, Location, Reporter
from ..files import is_inside
from ..inputs import probe, read_input
from ..project import Project
from .html_nodes import HtmlNodes


class RecordedLoader(jinja2.FileSystemLoader):
    """Templates read through the build's read log. A template Jinja has cached is checked
    (its uptodate() reads it again) every time a build uses it, so every build's log names
    every template it used, cached or not."""

    def get_source(self, environment, template):
        try:
            _, filename, _ = super().get_source(environment, template)
        except jinja2.TemplateNotFound:
            # Recorded absent: with a loader of package defaults behind this one, a project's
            # own copy created later must make the outputs stale.
            probe(Path(self.searchpath[0]) / template)
            raise
        except UnicodeDecodeError as exc:
            raise jinja2.TemplateSyntaxError(f"not UTF-8 text ({exc.reason} at byte {exc.start});"
                                             " save the template as UTF-8", 1, template,
                                             str(Path(self.searchpath[0]) / template)) from None
        if not is_inside(Path(filename), Path(self.searchpath[0])):
            raise jinja2.TemplateSyntaxError("the template is a link to a file outside templates/;"
                                             " folio reads only files inside the project", 1, template, filename)
        data = read_input(Path(filename))

        def uptodate() -> bool:
            try:
                return read_input(Path(filename)) == data
            except OSError:
                return False
        return data.decode("utf-8"), filename, uptodate


@lru_cache(maxsize=4)
def environment(templates: Path) -> jinja2.Environment:
    return jinja2.Environment(loader=RecordedLoader(str(templates)),
                              autoescape=True, undefined=jinja2.StrictUndefined,
                              trim_blocks=True, lstrip_blocks=True)


def render_page(doc: m.Document, project: Project, template: str, print_mode: bool,
                image_url, reporter: Reporter, extra: dict | None = None) -> str:
    nodes = HtmlNodes(doc, print_mode, image_url)
    context = page_context(doc, nodes)
    context.update(extra or {})
    try:
        return environment(project.templates).get_template(template).render(context)
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


def page_context(doc: m.Document, nodes: HtmlNodes) -> dict:
    front = [p for p in doc.parts if p.front]
    return {
        "meta": doc.meta,
        "contents": doc.contents,
        "abbreviations": doc.abbreviation_table,
        "before_contents": [_part(p, nodes) for p in front if "preface" in _classes(p)],
        "front_parts": [_part(p, nodes) for p in front if "preface" not in _classes(p)],
        "body_parts": [_part(p, nodes) for p in doc.parts if not p.front],
        "footnotes": Markup(nodes.footnotes_section()),
        "has_footnotes": bool(doc.footnote_order),
    }


def _classes(part: m.Part) -> list:
    return part.heading.classes if part.heading else []


def _part(part: m.Part, nodes: HtmlNodes) -> dict:
    heading = part.heading
    return {
        "id": heading.id if heading else "",
        "kind": heading.kind if heading else "",
        "classes": [c for c in _classes(part) if c != "front"],
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
        if filename.startswith(str(project.templates)):
            found = Location(project.shown(Path(filename)), tb.tb_lineno)
        tb = tb.tb_next
    return found
