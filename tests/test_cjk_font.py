"""Chinese needs a CJK font of tens of megabytes that folio does not carry: fontconfig finds it
when fonts-noto-cjk is installed. Without it, the PDF is one located error naming the package
(never a PDF of empty boxes, nor a warning on every line); a build without the PDF says it once
as a warning."""
from __future__ import annotations

import shutil
import subprocess

import pytest
from conftest import ROOT, make_project, run_folio

CHINESE = ROOT / "tests" / "documents" / "languages" / "zh.md"
# Every closing mark where a line could break before it: sentences of 1 to 39 characters, each
# ended by another of the marks a Chinese line never starts with.
WORDS = "国际移民组织编制了本报告所列数据按区域列出各政府和民间社会都参与"
CLOSING, OPENING = "。，、；：？！）」", "（「"
# fontconfig's only fonts folio's own (styles/fonts/): as on a machine without fonts-noto-cjk, for
# the folio run in a subprocess (FONTCONFIG_FILE), whatever this machine has installed.
CARRIED_ONLY = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig><dir>{fonts}</dir><cachedir>{cache}</cachedir></fontconfig>
"""


@pytest.fixture
def no_cjk_font(tmp_path, monkeypatch):
    config = tmp_path / "fonts.conf"
    config.write_text(CARRIED_ONLY.format(fonts=ROOT / "styles" / "fonts", cache=tmp_path / "fc-cache"),
                      encoding="utf-8")
    monkeypatch.setenv("FONTCONFIG_FILE", str(config))
    fc_list = shutil.which("fc-list")
    if fc_list:     # the premise: fontconfig, so configured, has no font for Chinese
        assert subprocess.run([fc_list, ":lang=zh", "file"], capture_output=True, text=True).stdout.strip() == ""



def _language_line(text: str) -> int:
    return next(n for n, line in enumerate(text.split("\n"), 1) if line.startswith("language:"))


@pytest.mark.usefixtures("no_cjk_font")
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
    done = run_folio("build", source, cwd=tmp_path)             # every edition: the PDF fails alone
    assert done.returncode == 1 and done.stderr.count("[glyph]") == 1, done.stderr
    assert (tmp_path / "build" / "html" / "index.html").is_file() and (tmp_path / "build" / "report.docx").is_file()
    assert not (tmp_path / "build" / "report.pdf").exists()
    done = run_folio("check", source, cwd=tmp_path)
    assert done.returncode == 1 and done.stderr.count("[glyph]") == 1, done.stderr


@pytest.mark.usefixtures("no_cjk_font")
def test_without_the_pdf_it_is_said_once_as_a_warning(tmp_path):
    source = make_project(tmp_path, CHINESE.read_text(encoding="utf-8"))
    done = run_folio("build", source, "-f", "html,docx", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    glyph = [x for x in done.stderr.splitlines() if "[glyph]" in x]
    assert len(glyph) == 1 and ": warning:" in glyph[0] and "fonts-noto-cjk" in glyph[0], glyph


@pytest.mark.slow
def test_no_chinese_line_starts_with_a_closing_mark(tmp_path):
    """Pango breaks lines by UAX #14, whose classes forbid a break before 。，、；：？！）」 and after
    （「: the PDF keeps the rule (laid out here in the fonts' missing-glyph boxes when no CJK font
    is installed: the line breaks do not depend on the glyphs)."""
    import re

    from conftest import need
    need("pdftotext")
    sentences = "".join(WORDS[:n % len(WORDS) + 1] + CLOSING[n % len(CLOSING)] for n in range(1, 40))
    sentences += "".join(f"见{OPENING[n % 2]}第{n}段{'）' if n % 2 == 0 else '」'}" for n in range(30))
    source = make_project(tmp_path, CHINESE.read_text(encoding="utf-8") + "\n\n" + sentences + "\n")
    done = run_folio("build", source, "-f", "pdf", "--ignore", "glyph", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    subprocess.run([shutil.which("pdftotext"), "-bbox-layout", str(tmp_path / "build" / "report.pdf"),
                    str(tmp_path / "boxes.html")], check=True)
    html = (tmp_path / "boxes.html").read_text(encoding="utf-8")
    lines = ["".join(re.findall(r"<word[^>]*>(.*?)</word>", line)) for line in re.findall(r"<line[^>]*>(.*?)</line>",
                                                                                         html, re.S)]
    body = [line for line in lines if any(c in line for c in WORDS)]
    assert len(body) > 15, lines                            # the paragraph runs over many lines
    assert [line for line in body if line[0] in CLOSING or line[-1] in OPENING] == [], body
