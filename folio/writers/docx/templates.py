"""The cover and the title page from the same Jinja templates as the HTML and the PDF.

The small HTML they render (a container with a class, p/h1 with classes, strong, em, br)
becomes Word paragraphs whose styles are named after the classes:
<header class="cover"><p class="banner"> → "Cover Banner", <h1 class="cover-title"> → "Cover Title",
<section class="title-page"><p class="publisher"> → "Title Page Publisher".
"""
from __future__ import annotations

import re

import jinja2
import lxml.html

from ...diagnostics import FolioError, Kind, Location, Reporter
from ...project import Project
from ..pages import environment
from . import oxml

BLOCK_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "div"}


def render_fragment(name: str, context: dict, project: Project, reporter: Reporter):
    """The rendered template as an lxml tree (a wrapper <div> around its elements)."""
    where = Location(project.shown(project.find(f"templates/{name}")))
    try:
        html = environment(project).get_template(name).render(context)
    except jinja2.TemplateNotFound:
        reporter.error(where, f"template '{name}' not found", Kind.TEMPLATE)
        raise FolioError(name) from None
    except jinja2.TemplateError as exc:
        line = getattr(exc, "lineno", 0) or 0
        reporter.error(Location(where.path, line), f"template error: {exc.message}", Kind.TEMPLATE)
        raise FolioError(name) from exc
    except RecursionError:
        reporter.error(where, "template error: templates include or extend each other in a loop", Kind.TEMPLATE)
        raise FolioError(name) from None
    except Exception as exc:  # noqa: BLE001 - an expression of the template failed
        reporter.error(where, f"template error: {exc!r}", Kind.TEMPLATE)
        raise FolioError(name) from None
    return lxml.html.fragment_fromstring(html, create_parent="div")


def style_name(container: str, element) -> str:
    """('cover', <h1 class="cover-title">) → 'Cover Title'."""
    def words(text: str) -> str:
        return " ".join(w.capitalize() for w in text.replace("_", "-").split("-") if w)

    cls = (element.get("class") or "").split()
    own = cls[0] if cls else element.tag
    if own.startswith(container + "-"):
        own = own[len(container) + 1:]
    return f"{words(container)} {words(own)}"


class TemplateParagraphs:
    def __init__(self, styles, project: Project, reporter: Reporter, foot_styles=frozenset()):
        self.styles = styles
        self.project = project
        self.reporter = reporter
        self.foot_styles = foot_styles      # styles set in the page's footer (at-page-foot)

    def convert(self, name: str, context: dict) -> tuple[list, list]:
        """(paragraphs in the flow, paragraphs for the foot of the page)."""
        root = render_fragment(name, context, self.project, self.reporter)
        where = Location(self.project.shown(self.project.find(f"templates/{name}")))
        flow, foot = [], []
        for container in root:
            cls = (container.get("class") or container.tag).split()[0]
            for element in container.iter():
                if element.tag in BLOCK_TAGS and not any(c.tag in BLOCK_TAGS for c in element.iterdescendants()):
                    style = style_name(cls, element)
                    (foot if style in self.foot_styles else flow).append(self._paragraph(style, element, where))
        return flow, foot

    def _paragraph(self, style: str, element, where: Location):
        purpose = (f" (the DOCX style for <{element.tag} class=\"{element.get('class', '')}\">"
                   f" in {where.path})")
        self.styles.check([style], self.reporter, where, purpose)
        return oxml.paragraph(self.styles.id(style), self._runs(element, None))

    def _runs(self, element, char_style: str | None) -> list:
        runs = []
        if element.text and element.text.strip():
            runs.append(oxml.run(_squash(element.text), char_style))
        for child in element:
            if not isinstance(child.tag, str):        # comments
                pass
            elif child.tag == "br":
                runs.append(oxml.line_break_run(char_style))
            else:
                style = {"strong": "Strong", "b": "Strong", "em": "Emphasis", "i": "Emphasis"}.get(child.tag)
                runs += self._runs(child, self.styles.id(style) if style else char_style)
            if child.tail and child.tail.strip():
                runs.append(oxml.run(_squash(child.tail), char_style))
        return runs


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)
