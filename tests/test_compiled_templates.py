"""The templates compiled once, kept in the build folder for the next build's processes
(folio/writers/pages.py: CompiledTemplates): a later process compiles none of them again, and
an edited template is compiled again, never served from the old code."""
from __future__ import annotations

import jinja2
from conftest import build_here, make_project

from folio.project import Project
from folio.writers import pages


def _compiled(monkeypatch) -> list:
    names, real = [], jinja2.Environment.compile

    def counted(self, source, name=None, filename=None, raw=False, defer_init=False):
        names.append(name)
        return real(self, source, name, filename, raw, defer_init)
    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    return names


def test_a_later_process_takes_the_compiled_templates_and_an_edited_one_is_compiled_again(tmp_path, monkeypatch):
    source = make_project(tmp_path, "---\ntitle: Kept\n---\n\n# One {#sec-one}\n\nText.\n")
    build_here(source, "html")
    project = Project.for_source(source)
    assert any((project.out_dir / pages.TEMPLATE_CACHE).iterdir())
    compiled = _compiled(monkeypatch)
    fresh = pages.environment.__wrapped__(project)        # what a new process makes
    html = fresh.get_template("web.html")
    assert compiled == [], compiled
    template = project.templates / "web.html"
    template.write_text(template.read_text(encoding="utf-8") + "\n<!-- edited -->\n", encoding="utf-8")
    again = pages.environment.__wrapped__(project)
    assert again.get_template("web.html") is not html
    assert compiled == ["web.html"]
