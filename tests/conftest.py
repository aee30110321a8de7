"""Shared fixtures: builds of the report and the showcase, made once per test session."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# LibreOffice's layout pass costs seconds per DOCX; the tests that check it ask for it.
os.environ.setdefault("FOLIO_DOCX_PAGE_NUMBERS", "estimate")
sys.path.insert(0, str(Path(__file__).parent))

from folio.build import build, load  # noqa: E402
from folio.diagnostics import Reporter  # noqa: E402
from folio.project import Project  # noqa: E402

REPORT = ROOT / "source" / "report.md"
SHOWCASE = ROOT / "tests" / "showcase" / "showcase.md"
DOCUMENTS = ROOT / "tests" / "documents"     # test documents written for issue 10


def build_into(source: Path, out: Path, formats: list[str]):
    """Build source into out; the result carries the reporter with every message."""
    result = build(Project.for_source(source, root=ROOT, out_dir=out), formats, Reporter())
    assert result.ok, "\n".join(map(str, result.reporter.messages))
    return result


@pytest.fixture(scope="session")
def report_html(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report-html")
    build_into(REPORT, out, ["html"])
    return out / "html" / "index.html"


@pytest.fixture(scope="session")
def report_pdf(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report-pdf")
    build_into(REPORT, out, ["pdf"])
    return out / "report.pdf"


@pytest.fixture(scope="session")
def showcase_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("showcase")
    result = build_into(SHOWCASE, out, ["html", "pdf"])
    return out, result


@pytest.fixture(scope="session")
def documents(tmp_path_factory) -> dict:
    """name → (build folder, result): every tests/documents/*.md built in all three formats."""
    out = tmp_path_factory.mktemp("documents")
    return {path.stem: (out / path.stem, build_into(path, out / path.stem, ["html", "pdf", "docx"]))
            for path in sorted(DOCUMENTS.glob("*.md"))}


@pytest.fixture(scope="session")
def long_report(tmp_path_factory):
    """(source, build folder) of a report of over 100 pages in our own words (long_report.py),
    its chapters on new pages: the chunked layout route."""
    from long_report import long_report as text
    where = tmp_path_factory.mktemp("long-report")
    source = where / "long.md"
    source.write_text(text(), encoding="utf-8")
    build_into(source, where / "build", ["pdf"])
    return source, where / "build"


@pytest.fixture(scope="session")
def showcase_model():
    return load(Project.for_source(SHOWCASE, root=ROOT), Reporter())


HEADING_LINE = re.compile(r"^(#{1,6}) (.*?)\s*(\{[^{}]*\})?\s*$")


def source_headings(source: Path, depth: int) -> list[tuple[int, str]]:
    """(level, title) of every heading the contents lists, read from the Markdown source itself:
    front-matter parts (level 1 only, class .front) and body headings down to `depth`."""
    text = source.read_text(encoding="utf-8")
    if text.startswith("---\n"):
        text = text[text.index("\n---\n", 4) + 5:]
    found, in_front, fenced = [], False, False
    for line in text.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        match = None if fenced else HEADING_LINE.match(line)
        if not match:
            continue
        level, title, attrs = len(match.group(1)), match.group(2), match.group(3) or ""
        if attrs.startswith("{gap"):                    # `# {gap: …}`: the gap is the title
            title, attrs = (title + " " + attrs).strip(), ""
        if level == 1:
            in_front = ".front" in attrs
        if (level == 1 or not in_front) and level <= depth:
            # a heading that is only a gap is a lost part: every edition shows the marker
            found.append((level, "[…]" if re.fullmatch(r"\{gap[^{}]*\}", title) else title))
    return found


def make_project(where: Path, text: str | None = None) -> Path:
    """A throwaway project: copies of templates/ and styles/, and source/report.md holding
    `text` (the real report if None). Returns the source's path."""
    for folder in ("templates", "styles"):
        shutil.copytree(ROOT / folder, where / folder)
    (where / "source").mkdir()
    source = where / "source" / "report.md"
    source.write_text(REPORT.read_text(encoding="utf-8") if text is None else text, encoding="utf-8")
    return source


def run_folio(*args, cwd=ROOT) -> subprocess.CompletedProcess:
    """The command line as a user runs it."""
    return subprocess.run([sys.executable, "-m", "folio", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


def need(program: str) -> str:
    path = shutil.which(program)
    if not path:
        if os.environ.get("CI"):  # CI installs every tool: a missing one is a failure there
            pytest.fail(f"{program} is not installed; .ci/run should install it")
        pytest.skip(f"{program} is not installed (.ci/run installs it)")
    return path


def pdf_outline(reader, items=None, depth=1) -> list[tuple[int, str, int]]:
    """(depth, title, page index) of every outline item of a pypdf reader, in order."""
    out = []
    for item in reader.outline if items is None else items:
        if isinstance(item, list):
            out += pdf_outline(reader, item, depth + 1)
        else:
            out.append((depth, item.title, reader.get_destination_page_number(item)))
    return out
