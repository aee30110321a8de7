"""An agency's own Word template: the styles it lacks are folio's, and `folio reference-doc`
writes folio's template to start one from."""
from __future__ import annotations

import io
from pathlib import Path

from docx.oxml.ns import qn

from ...diagnostics import FolioError, Kind, Location, Reporter
from ...files import write_atomic
from ...project import DEFAULTS, Project
from . import oxml
from .styles import StyleSheet, _resolve, _style, apply_tokens, geometry, load_tokens


def add_missing_styles(styles_element, tokens: dict, paper: str, source: str, reporter: Reporter) -> list[str]:
    """Add folio's style (from docx-styles.yaml) for every one the reference document lacks,
    based on the reference's own styles where it has them; one warning names them all."""
    sheet = StyleSheet(styles_element, source)
    missing = [name for name in tokens["styles"] if not sheet.has(name)]
    if not missing:
        return []
    text_width = geometry(tokens, paper)["text-width"]
    colors = {k: str(v) for k, v in (tokens.get("colors") or {}).items()}
    for name in missing:
        element = _style(name, _resolve(tokens["styles"][name] or {}, colors, text_width))
        for tag in ("w:basedOn", "w:next"):   # the reference's own id for a style it has
            link = element.find(qn(tag))
            wanted = (tokens["styles"][name] or {}).get("based-on" if tag == "w:basedOn" else "next")
            if link is not None and wanted and sheet.has(wanted):
                link.set(qn("w:val"), sheet.id(wanted))
        styles_element.append(element)
    reporter.warning(Location(source), f"the reference document lacks {len(missing)} of folio's"
                     f" styles, so folio's own are used for them: {', '.join(missing)}", Kind.TEMPLATE)
    return missing


def write_reference_doc(out: Path, root: Path | None, reporter: Reporter) -> None:
    """folio's Word template: every style of docx-styles.yaml, one sample paragraph of each."""
    import docx

    project = Project(root or DEFAULTS, (root or DEFAULTS) / "source" / "report.md", out.parent)
    tokens = load_tokens(project, reporter)
    document = docx.Document()
    apply_tokens(document.styles.element, tokens, "letter", project, reporter)
    sheet = StyleSheet(document.styles.element, "folio")
    body = document.element.body
    section = body.find(qn("w:sectPr"))
    for name, spec in tokens["styles"].items():
        kind = (spec or {}).get("type", "paragraph")
        if kind == "paragraph":
            section.addprevious(oxml.paragraph(sheet.id(name), [oxml.run(f"{name}: sample text.")]))
        elif kind == "character":
            section.addprevious(oxml.paragraph(sheet.id("Normal"), [
                oxml.run("Character style "), oxml.run(name, sheet.id(name)), oxml.run(".")]))
    body.replace(section, oxml.section(geometry(tokens, "letter"), None, None, False))
    buffer = io.BytesIO()
    document.save(buffer)
    try:
        write_atomic(out, buffer.getvalue())
    except OSError as exc:
        reporter.error(Location(str(out)), f"cannot write the reference document: {exc.strerror or exc}",
                       Kind.FILE)
        raise FolioError(str(out)) from exc
