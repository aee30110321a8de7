"""Shared fixtures: builds of the report and the showcase, made once per test session."""
from __future__ import annotations

import os
import pickle
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from filelock import FileLock

ROOT = Path(__file__).resolve().parents[1]
# LibreOffice's layout pass costs seconds per DOCX; the tests that check it ask for it.
os.environ.setdefault("FOLIO_DOCX_PAGE_NUMBERS", "estimate")
# A build leaves no LibreOffice running after it (tests/test_office.py asks for one it stops).
os.environ.setdefault("FOLIO_OFFICE", "once")
# Where the environment asks Python not to write bytecode (PYTHONDONTWRITEBYTECODE, as on this
# machine), each process the suite starts (some 300 folio commands, as many layout workers)
# compiled folio's ~300 modules from source again: 0.15-0.3 s of CPU each. They share one cache
# instead, outside the checkout (the first process fills it with its dependencies' too).
if os.environ.pop("PYTHONDONTWRITEBYTECODE", None) is not None:
    os.environ.setdefault("PYTHONPYCACHEPREFIX", str(Path(tempfile.gettempdir()) / "folio-tests-pycache"))
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


def shared_build(tmp_path_factory, name: str, make):
    """Run make(folder) once for the whole test run, however many xdist workers ask: the
    workers share one folder under the run's base temp, the first builds while the others wait
    on a lock, and all read the result it pickled. Without xdist it is a plain build."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        out = tmp_path_factory.mktemp(name)
        return out, make(out)
    root = tmp_path_factory.getbasetemp().parent      # the same for every worker of the run
    out, done = root / f"shared-{name}", root / f"shared-{name}.pickle"
    with FileLock(str(root / f"shared-{name}.lock")):
        if not done.exists():
            shutil.rmtree(out, ignore_errors=True)    # a worker that died half-way
            out.mkdir()
            done.write_bytes(pickle.dumps(make(out)))
    return out, pickle.loads(done.read_bytes())


def pytest_xdist_auto_num_workers(config):
    """`-n auto`: a worker more than there are cores. A test spends part of its time waiting on
    processes it started (LibreOffice, Chromium, a layout worker, a server, a folio command
    starting up), and two workers on two cores kept them 91 % busy; a third takes that time
    up (the whole suite on two cores: 8:49 with two workers, 8:20 with three)."""
    from folio.layout.chunked.pool import workers_wanted
    return workers_wanted(1 << 10) + 1     # workers_wanted: as many as the cores this process may use


def pytest_addoption(parser):
    parser.addoption("--accept", action="store_true",
                     help="write the writers' golden files (tests/golden/) from this build")


# Tests that ask for one of these builds lay out a PDF or run an office suite: they belong to
# the slow tier (`pytest -m "not slow"` leaves them out) without a marker of their own.
SLOW_FIXTURES = {"report_pdf", "report_editions", "showcase_build", "documents", "long_report"}


# The longest files and their seconds of CPU (issue 21; each file alone, `-n 0`, 2026-12-07 after
# the chunked tests' documents were made smaller, on a busy machine: their order is what counts;
# test_hostile.py not measured again). xdist hands out whole files (--dist loadfile) in
# collection order (--no-loadscope-reorder), and a worker takes its next file while its last
# two tests run: these go first, longest first, so that the workers end together on short
# files instead of one running a long file alone at the end (by its own order,
# test_pathological.py once started after two thirds of the suite). A file that takes minutes
# is split (one per writer, or by fixture) rather than listed here alone: a file is the
# smallest unit a worker takes. The pathological files build in two processes of their own.
# test_hyphenation.py builds the long report and the report's editions that other files share:
# early, they are ready when those ask for them.
LONGEST_FIRST = {
    "test_pathological.py": 153, "test_hostile.py": 130, "test_hyphenation.py": 112,
    "test_chunked_route.py": 109, "test_chunked_runon.py": 106, "test_pathological_pdf.py": 101,
    "test_chunked.py": 88, "test_pathological_docx.py": 88, "test_chunked_corrections.py": 73,
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
    items.sort(key=lambda item: -LONGEST_FIRST.get(item.path.name, 0))   # stable: files stay whole


@pytest.fixture(scope="session")
def report_html(tmp_path_factory) -> Path:
    out, _ = shared_build(tmp_path_factory, "report-html", lambda out: build_into(REPORT, out, ["html"]))
    return out / "html" / "index.html"


@pytest.fixture(scope="session")
def report_editions(tmp_path_factory) -> Path:
    """The build folder of the report in every format, made once for the run: the PDFs, the
    DOCX, and the web page that links them. Tests read it and change nothing in it."""
    out, _ = shared_build(tmp_path_factory, "report-editions",
                          lambda out: build_into(REPORT, out, ["html", "pdf", "docx"]))
    return out


@pytest.fixture(scope="session")
def report_pdf(report_editions) -> Path:
    return report_editions / "report.pdf"


@pytest.fixture(scope="session")
def showcase_build(tmp_path_factory):
    return shared_build(tmp_path_factory, "showcase",
                        lambda out: build_into(SHOWCASE, out, ["html", "pdf"]))


def _build_documents(out: Path) -> dict:
    return {path.stem: build_into(path, out / path.stem, ["html", "pdf", "docx"])
            for path in sorted(DOCUMENTS.glob("*.md"))}


@pytest.fixture(scope="session")
def documents(tmp_path_factory) -> dict:
    """name → (build folder, result): every tests/documents/*.md built in all three formats."""
    out, results = shared_build(tmp_path_factory, "documents", _build_documents)
    return {name: (out / name, result) for name, result in results.items()}


@pytest.fixture(scope="session")
def long_report(tmp_path_factory):
    """(source, build folder) of a report of some 70 pages in our own words (long_report.py),
    its chapters on new pages: the chunked layout route."""
    from long_report import long_report as text

    def make(where: Path):
        (where / "long.md").write_text(text(), encoding="utf-8")
        return build_into(where / "long.md", where / "build", ["pdf"])
    where, _ = shared_build(tmp_path_factory, "long-report", make)   # test_justification, test_hyphenation
    return where / "long.md", where / "build"


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
            # a heading that is only a gap is a lost part: every edition shows the marker and why
            lost = re.fullmatch(r"\{gap(?::\s*([^{}]*))?\}", title)
            found.append((level, f"[…] {(lost.group(1) or 'text missing from the source').strip()}" if lost else title))
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


def build_here(source: Path, formats: str, ok: bool = True):
    """Build source's own project (its templates, styles and build/) in this process, as
    `folio build SOURCE -f FORMATS` does, for a test not about the command line (a new process
    costs about a second): asserts it succeeded (ok=False: failed). The result carries the
    reporter and each output's `rebuilt`."""
    result = build(Project.for_source(source), formats.split(","), Reporter())
    assert result.ok is ok, [str(m) for m in result.reporter.messages]
    return result


def colour_spread(image):
    """An RGB image's largest difference between the channels of each pixel, as an image (a
    grey's is 0), computed by Pillow: a loop over the pixels in Python took seconds a page."""
    from PIL import ImageChops
    red, green, blue = image.split()
    return ImageChops.subtract(ImageChops.lighter(ImageChops.lighter(red, green), blue),
                               ImageChops.darker(ImageChops.darker(red, green), blue))


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


@pytest.fixture(scope="session")
def built_once(tmp_path_factory):
    """built_once(name, make) → the folder make(folder) filled, once for the whole run however
    many files and xdist workers ask for `name` (shared_build): the chunked tests' builds from
    nothing (tests/chunked_pdf.py), which several files read and change only in copies."""
    done: dict[str, Path] = {}

    def get(name: str, make) -> Path:
        if name not in done:
            done[name] = shared_build(tmp_path_factory, name, make)[0]
        return done[name]
    return get


@pytest.fixture(scope="session")
def long_report_lines(tmp_path_factory, long_report) -> list:
    """The long report's lines of running text (tests/typeset.py), read once for the run however
    many workers ask: test_hyphenation and test_justification measure them, and reading them
    takes about as long as a third of the build."""
    from long_report import read_lines
    source, out = long_report
    return shared_build(tmp_path_factory, "long-report-lines",
                        lambda _: read_lines(source, out / f"{source.stem}.pdf"))[1]
