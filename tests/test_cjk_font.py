"""Chinese needs a CJK font of tens of megabytes that folio does not carry: fontconfig finds it
when fonts-noto-cjk is installed. Without it, the PDF is one located error naming the package
(never a PDF of empty boxes, nor a warning on every line); a build without the PDF says it once
as a warning."""
from __future__ import annotations

import pytest
from conftest import ROOT, make_project, run_folio

from folio.glyphs import system_covered

CHINESE = ROOT / "tests" / "documents" / "languages" / "zh.md"
pytestmark = pytest.mark.skipif(bool(system_covered("zh")), reason="a CJK font is installed here")


def _language_line(text: str) -> int:
    return next(n for n, line in enumerate(text.split("\n"), 1) if line.startswith("language:"))


def test_no_cjk_font_is_one_located_error_naming_the_package(tmp_path):
    text = CHINESE.read_text(encoding="utf-8")
    source = make_project(tmp_path, text)
    done = run_folio("build", source, "-f", "pdf", cwd=tmp_path)
    assert done.returncode == 1
    problems = [x for x in done.stderr.splitlines() if ": error:" in x or ": warning:" in x]
    assert problems == [f"source/report.md:{_language_line(text)}: error: no font for the document's language (zh)"
                        " is installed: its characters would print as empty boxes in the PDF; install the package"
                        " fonts-noto-cjk (apt-get install fonts-noto-cjk) or put a font that has them in"
                        " styles/fonts/ [glyph]"], done.stderr
    assert not (tmp_path / "build" / "report.pdf").exists()
    done = run_folio("check", source, cwd=tmp_path)
    assert done.returncode == 1 and done.stderr.count("[glyph]") == 1, done.stderr


def test_without_the_pdf_it_is_said_once_as_a_warning(tmp_path):
    source = make_project(tmp_path, CHINESE.read_text(encoding="utf-8"))
    done = run_folio("build", source, "-f", "html,docx", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    glyph = [x for x in done.stderr.splitlines() if "[glyph]" in x]
    assert len(glyph) == 1 and ": warning:" in glyph[0] and "fonts-noto-cjk" in glyph[0], glyph
