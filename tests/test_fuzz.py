"""Fuzzing: any source, however broken, builds to HTML, PDF and DOCX or ends in located errors.

A Hypothesis strategy puts Markdown-like sources together from pieces of folio's syntax (front
matter, headings with attributes, cross-references, footnotes, abbreviations, symbols, gaps,
tables, lists, quotes, code) and from trouble (control characters, unbalanced markup, odd
unicode, references to missing labels and images, front matter with anchors, aliases, alias
bombs and duplicate keys, image and reference-doc paths with odd characters, and images beside
the source that are damaged, bombs, not images at all, or SVG that reaches outside). The
property: building all three formats never raises; every message is one located line,
`path:line: error|warning: text [kind]`; a build without errors leaves an HTML page that
parses, a PDF, and a DOCX that python-docx re-opens and whose zip tests clean.

Every failing example Hypothesis has found is kept in tests/fixtures/fuzz/NAME.md and built
with the same property. CI runs FOLIO_FUZZ_EXAMPLES examples (25 by default); a longer local
run: FOLIO_FUZZ_EXAMPLES=300 python -m pytest tests/test_fuzz.py, or thousands through the HTML
writer alone: FOLIO_FUZZ_FORMATS=html FOLIO_FUZZ_EXAMPLES=10000.
"""
from __future__ import annotations

import atexit
import functools
import hashlib
import os
import re
import shutil
import tempfile
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import docx
import lxml.html
import pytest
from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st

from folio.build import build
from folio.diagnostics import Reporter
from folio.project import Project

# Lays out PDFs, starts LibreOffice, Chromium or builds whole reports: the slow tier
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = sorted((ROOT / "tests" / "fixtures" / "fuzz").glob("*.md"))
# FOLIO_FUZZ_FORMATS=html: parsing, the transforms and the HTML writer alone, for a run of
# thousands of examples (an example through all three writers takes about 2 s).
FORMATS = [f for f in os.environ.get("FOLIO_FUZZ_FORMATS", "html,pdf,docx").split(",") if f]
EXAMPLES = int(os.environ.get("FOLIO_FUZZ_EXAMPLES", "25"))
LOCATED = re.compile(r"^[^:\n]+(:\d+)?: (error|warning): [^\n]+ \[[a-z-]+\]$")

# ---- the pieces ----------------------------------------------------------------

LABELS = ["sec-intro", "sec-a", "sec-b", "tbl-t", "para-p", "fig-f", "fn-x", "fn-y", "sec-none"]
NOTES = ["x", "y", "z"]
ABBREVIATIONS = {"UN": "United Nations", "WHO": "World Health Organization",
                 "UN DESA": "United Nations Department of Economic and Social Affairs",
                 "UNHCR": "Office of the United Nations High Commissioner for Refugees"}
CONTROLS = ["\x00", "\x0b", "\x0c", "\x1b", "\ufffe", "\uffff", "\r", "\r\n", "\t", "\u2028",
            "\u00ad", "\u200b", "\ufeff"]
UNBALANCED = ["*", "_", "**", "[", "]", "`", "``", "{", "}", "![", "<", ">", "&", "&#", "&amp",
              "\\", "|", "(", ")", "~", "#", "[^", "*[", "{#", "@", "-@", ":",
              # other tools' syntax, half-written (issue 10)
              "^[", ":::", "$", "$$", "<!--", "-->", "~~", "^", "{{<", "(@)", "[@", "]{", "\\newpage"]
WORDS = ["the", "report", "Member States", "migration", "1", "II", "(c)", "2017", "e.g.",
         "UN", "WHO", "UNHCR", "UN DESA", "IOM", "A/RES/70/1", "S/RES/2334 (2016)", "ESA/P/WP/249",
         "'quoted'", '"quoted"', "it's", "--", "...", "café", "中文", "عربي", "Ωμέγα", "🙂", "e\u0301"]
WORD = st.sampled_from(WORDS) | st.text(max_size=8)
HREFS = ["http://example.org/", "https://undocs.org/A/RES/70/1", "#sec-a", "mailto:a@b.org",
         "javascript:alert(1)", "", "<a b>", "data:text/html,x", "../x", "x y", "%zz", "\\", "ftp://x"]
IMAGES = ["images/missing.png", "../outside.png", "http://example.org/x.png", "/etc/passwd",
          "", "chart.png",
          # paths with odd characters: NUL and controls escaped, traversal spelled out and
          # encoded, bidi and zero-width characters, spaces, a name too long for the system,
          # device files, the project's own secrets, query and fragment parts, backslashes
          "images/%00.png", "images/a%0Ab.png", "%2e%2e/%2e%2e/etc/passwd", "images/..%2f..%2fx.png",
          "images/\u202egnp.exe", "images/a\u200bb.png", "images/a b.png", "images/ä%20ö.png",
          "images/" + "x" * 300 + ".png", "/dev/zero", "/proc/self/environ", "../.env", "../.git/config",
          "file:///etc/passwd", "images/a?b.png", "images/a#b.png", "images\\x.png", "./", ".", "..",
          "images//x.png", "~/x.png", "C:/x.png", "%",
          # files the fuzz project holds beside the source: good, damaged, a bomb, not an image
          "images/chart.png", "images/logo.svg", "images/corrupt.png", "images/bomb.png", "images/text.png",
          "images/fetching.svg", "images/chart.png?x=1", "images/../images/chart.png", "images"]


def _label() -> st.SearchStrategy[str]:
    return st.sampled_from(LABELS) | st.from_regex(r"(sec|para|tbl|fig|fn)-[a-z0-9_:.-]{0,6}",
                                                   fullmatch=True)


@st.composite
def inline(draw, depth: int = 0) -> str:
    pieces = [
        WORD,
        st.sampled_from(CONTROLS),
        st.sampled_from(UNBALANCED),
        st.builds(lambda label: "@" + label, _label()),
        st.builds(lambda label: f"[-@{label}]", _label()),
        st.builds(lambda label: f"[page @{label}]", _label()),
        st.builds(lambda n: f"[^{n}]", st.sampled_from(NOTES) | st.text(max_size=3)),
        st.sampled_from(["{gap}", "{gap: text lost}", "{gap:}", "{gap: {nested}}", "{gap: "]),
        st.builds(lambda w: f"`{w}`", WORD),
        st.builds(lambda h, w: f"[{w}]({h})", st.sampled_from(HREFS), WORD),
        st.builds(lambda s, w: f"![{w}]({s})", st.sampled_from(IMAGES), WORD),
        st.sampled_from(["  \n", "\\\n", "\n"]),
        st.builds(lambda t: f"^[{t}]", WORD),                                     # an inline note
        st.sampled_from(["[Heading]", "[x][Heading]", "$x$", "<b>", "<!-- c -->", "[w]{.c}", "[@key]"]),
    ]
    if depth < 2:
        pieces += [st.builds(lambda t, m: f"{m}{t}{m}", inline(depth + 1), st.sampled_from(["*", "**", "_", "***"])),
                   st.builds(lambda t, h: f"[{t}]({h})", inline(depth + 1), st.sampled_from(HREFS))]
    parts = draw(st.lists(st.one_of(pieces), min_size=1, max_size=8))
    return " ".join(parts)


@st.composite
def heading(draw) -> str:
    level = draw(st.integers(1, 4))
    attrs = draw(st.lists(st.sampled_from(
        ["#sec-intro", "#sec-a", "#sec-b", "#sec-none", "#h-dup", "number=II", "number=B",
         "number=3", "number=bad", "number=", ".unnumbered", ".front", ".preface",
         ".abbreviations", "#", "=", '"'])
        | st.builds(lambda label: "#" + label, _label()), max_size=3))
    tail = draw(st.sampled_from(["", " {" + " ".join(attrs) + "}", " {" + " ".join(attrs), " {gap}"]))
    return "#" * level + " " + draw(inline()).replace("\n", " ") + tail


@st.composite
def table(draw) -> str:
    width = draw(st.integers(1, 4))
    cell = (WORD | inline()).map(lambda w: w.replace("\n", " ").replace("\r", " "))
    rows = draw(st.lists(st.lists(cell, min_size=0, max_size=width + 1), min_size=0, max_size=4))
    align = draw(st.lists(st.sampled_from(["---", ":--", "--:", ":-:", "-"]), min_size=width, max_size=width))
    lines = ["| " + " | ".join(f"H{i}" for i in range(width)) + " |", "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    caption = draw(st.sampled_from(["", "Table: A caption", "Table: Caption {#tbl-t}",
                                    "Table: {#tbl-t}", "Table:", "Table: *Caption* {#bad label}"]))
    return "\n".join(lines) + ("\n" + caption if caption else "")


def _indent(text: str, prefix: str, rest: str) -> str:
    lines = text.split("\n")
    return "\n".join([prefix + lines[0]] + [rest + line for line in lines[1:]])


@st.composite
def block(draw, depth: int = 0) -> str:
    text = inline()
    if depth < 2 and draw(st.integers(0, 4)) == 0:   # blocks inside quotes, lists and notes
        inner = draw(block(depth + 1))
        kind = draw(st.sampled_from(["quote", "item", "ordered", "note", "div", "definition", "admonition"]))
        if kind == "quote":
            return _indent(inner, "> ", "> ")
        if kind == "div":
            fence = draw(st.sampled_from(["::: {#box-a .warning}", "::: note", ":::{tip} Title", "::: {.x}",
                                          ":::: {#tbl-t}"]))
            return f"{fence}\n{inner}\n" + draw(st.sampled_from([":::", "::::", ""]))
        if kind == "definition":
            return draw(st.sampled_from(["Heading", "Term"])) + "\n" + _indent(inner, ":   ", "    ")
        if kind == "admonition":
            return "!!! note\n" + _indent(inner, "    ", "    ")
        if kind == "note":
            first = draw(inline()).replace("\n", " ")
            return f"[^{draw(st.sampled_from(NOTES))}]: {first}\n\n" + _indent(inner, "    ", "    ")
        mark = "- " if kind == "item" else "1. "
        return _indent(inner, mark, " " * len(mark))
    return draw(st.one_of(
        heading(),
        text,
        st.builds(lambda label, t: f"{{#{label}}}\n{t}", _label(), text),                 # a labelled paragraph
        st.builds(lambda n, t: f"[^{n}]: {t}", st.sampled_from(NOTES), text),     # a footnote
        st.builds(lambda a: f"*[{a[0]}]: {a[1]}", st.sampled_from(list(ABBREVIATIONS.items()))),
        st.builds(lambda a, e: f"*[{a}]: {e}", WORD, WORD),
        table(),
        st.sampled_from(["+---+---+\n| a | b |\n+===+===+\n| 1 | 2 |\n+---+---+",  # grid, simple, multiline
                         "+---+\n| a\n| - b |\n+-",
                         "  a     b\n---  ----\n  1     2",
                         "---  ---\n  x    y\n---  ---",
                         "-------\nh    i\n---  ---\na    b\nc\n\nd    e\n-------",
                         "| a line\n|   block", ": a caption", "Table: {#tbl-t}"]),
        st.builds(lambda items, mark: "\n".join(f"{mark} {i}" for i in items),
                  st.lists(text, min_size=1, max_size=3), st.sampled_from(["-", "*", "1.", "2)"])),
        st.builds(lambda a, b: f"- {a}\n  - {b}\n    1. {b}", text, text),
        st.builds(lambda t: "> " + t.replace("\n", "\n> "), text),
        st.builds(lambda t: f"```\n{t}\n```", WORD),
        st.builds(lambda t: f"```python\n{t}", WORD),                          # unclosed fence
        st.builds(lambda t: "    " + t, WORD),                                  # indented code
        st.sampled_from(["---", "***", "{gap}", "{gap: the chapters are missing}", ""]),
        st.builds(lambda c, label: f"![{c}](images/missing.png){{#{label}}}", WORD, _label()),
        st.text(max_size=30),                                                   # anything at all
    ))


# Ignoring the error kinds lets a broken model (unresolved references, missing notes and
# images, no text at all) through to the writers.
IGNORE_ERRORS = ("ignore: [xref-unknown, xref-unnumbered, label-duplicate, footnote-unknown, file,"
                 " syntax, abbr-duplicate, front-matter-key, front-matter-type, front-matter]")
GOOD_KEYS = [
    IGNORE_ERRORS, "title: A report", "short-title: Short", "paper: a4", "paper: letter",
    "paragraph-numbers: true", "contents-depth: 3", "contents-depth: 1", "abbreviations-table: used",
    "year: 2017", "ignore: [abbr-unused, abbr-first-use]", "abbreviations-allow: [TOGETHER]",
    "meeting: {place: New York, dates: 1-3 May}", "symbol: ESA/P/WP/249", "language: en",
    "date: 2017-05-01",
]
# Keys whose values parse but are odd: escapes YAML turns into control characters, huge or
# negative years, impossible dates, lists where names are expected, wrong types.
ODD_KEYS = [
    'title: "A\\x0b report\\x00"', 'subject: "\\ud800"', 'author: "\\uffff"', 'banner: "\\x1b[31m"',
    "year: 99999", "year: -1", "year: 0", "year: 1e400", "date: 2017-13-01", "date: 2017-02-30",
    "date: May", "date: 2017-05-01T10:00:00", "date: 99999-01-01", "ignore: [[abbr-unused]]",
    "ignore: [{a: b}]", "ignore: [1]", "ignore: [nope]", "ignore: abbr-unused",
    "abbreviations-allow: [[a], {b: c}]", "meeting: {place: [a], dates: {b: c}, other: x}",
    'meeting: {place: "\\x00"}', "meeting: 3", "reference-doc: missing.docx",
    "reference-doc: ../../etc/passwd", "reference-doc: ''", "title: '<b>&amp; *x* {gap} @sec-a'",
    "reference-doc: /etc/passwd", 'reference-doc: "a\\x00b.docx"', "reference-doc: " + "r" * 300 + ".docx",
    "reference-doc: ../source/fuzz.md", "reference-doc: fonts", 'language: "en\\" onload=x"',
    "year: 0x" + "f" * 2000, "contents-depth: -5", 'title: "\\u202Eevil"',
    "title: " + "x" * 300, "title: |\n  two\n  lines", "title: {a: b}", "title:", "paragraph-numbers: 1",
    "contents-depth: 99", "contents-depth: -1", "contents-depth: yes", "paper: a5", "year: twenty",
    "titel: x", "1: one", "null: x", "? [a]\n: b",
]
# Anchors and aliases (refused where written), a nested alias bomb, merge keys, duplicate keys.
ALIASES = [
    "title: &t A title\nsubject: *t", "meeting: &m {place: Geneva}\nbanner: *m", "year: &y 2017\nyear: *y",
    "ignore: &i [abbr-unused]\nabbreviations-allow: *i", "title: &a x\ntitle: x",
    "base: &b {place: a}\nmeeting:\n  <<: *b", "anchors:\n  - &l0 lol\n"
    + "".join(f"  - &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]\n" for i in range(1, 10)) + "title: *l9",
    "abbreviations-allow: [&w WORD, *w, *w]", "title: *nowhere", "&top\ntitle: x",
    "reference-doc: &r ../../etc/passwd\nsymbol: *r",
]
# Front matter that does not parse as YAML, or is not a mapping.
BROKEN_YAML = ["title: [unclosed", "title: 'x", "\tkey: v", ": :", "- a", "title: x: y",
               "title: !!python/object:os.system x", "&a [*a]", "*undefined", "{", "%YAML 9.9"]
FRONT_MATTER = st.one_of(
    st.just(""),
    st.just(f"---\n{IGNORE_ERRORS}\n---\n\n"),
    st.builds(lambda ignore, good, odd, broken: "---\n" + "\n".join(good + odd + broken + ignore)
              + "\n---\n\n",
              st.sampled_from([[], [IGNORE_ERRORS]]),
              st.lists(st.sampled_from(GOOD_KEYS), max_size=4),
              st.lists(st.sampled_from(ODD_KEYS + ALIASES), max_size=2),
              st.sampled_from([[]] * 5 + [[b] for b in BROKEN_YAML[:3]])
              | st.lists(st.sampled_from(BROKEN_YAML), max_size=1)),
)


@st.composite
def source(draw) -> str:
    blocks = draw(st.lists(block(), min_size=0, max_size=10))
    separators = draw(st.lists(st.sampled_from(["\n\n", "\n\n", "\n"]), min_size=len(blocks), max_size=len(blocks)))
    return draw(FRONT_MATTER) + "".join(b + s for b, s in zip(blocks, separators, strict=True))


# ---- the property --------------------------------------------------------------

class _Balance(HTMLParser):
    """Every element the writer opens is closed, in order (it writes no optional end tags)."""
    VOID = {"br", "hr", "img", "meta", "link", "input", "col", "wbr", "source"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.stack[-1] if self.stack else ''}>")
        else:
            self.stack.pop()


def check_html(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    tree = lxml.html.document_fromstring(text)
    assert tree.tag == "html" and tree.find("body") is not None
    checker = _Balance()
    checker.feed(text)
    checker.close()
    assert not checker.problems and not checker.stack, (checker.problems[:5], checker.stack[-5:])


def check_docx(path: Path) -> None:
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
    docx.Document(str(path))


def check_pdf(path: Path) -> None:
    data = path.read_bytes()
    assert data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:]


CHECKS = {".html": check_html, ".docx": check_docx, ".pdf": check_pdf}


@functools.lru_cache(maxsize=1)
def skeleton() -> Path:
    """A project the fuzzed sources are built in: folio's templates and styles, and beside the
    source good, damaged and hostile images, a secret and a git config to reach for."""
    where = Path(tempfile.mkdtemp(prefix="folio-fuzz-skeleton-"))
    atexit.register(shutil.rmtree, where, True)
    for folder in ("templates", "styles"):
        shutil.copytree(ROOT / folder, where / folder)
    images = where / "src" / "images"
    images.mkdir(parents=True)
    chart = (ROOT / "tests" / "showcase" / "images" / "chart.png").read_bytes()
    (images / "chart.png").write_bytes(chart)
    (images / "corrupt.png").write_bytes(chart[:len(chart) // 2])
    (images / "text.png").write_text("not an image\n")
    (images / "bomb.png").write_bytes(_bomb())
    (images / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">'
                                     '<rect width="40" height="20" fill="#369"/></svg>')
    (images / "fetching.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">'
                                         '<image href="file:///etc/passwd" width="9" height="9"/></svg>')
    (where / ".env").write_text("SECRET=1\n")
    (where / ".git").mkdir()
    (where / ".git" / "config").write_text("[core]\n")
    return where


def _bomb() -> bytes:
    """A PNG of 8,000 × 8,000 pixels in a few kilobytes: past folio's 50 megapixels."""
    import io

    from PIL import Image
    buffer = io.BytesIO()
    Image.new("1", (8000, 8000)).save(buffer, "PNG")
    return buffer.getvalue()


@functools.lru_cache(maxsize=1)
def warm() -> Path:
    """The skeleton, built once with each writer in this process: WeasyPrint and python-docx
    imported, the templates compiled, so that the writer processes forked for each example
    inherit them instead of paying for them thousands of times. Every example builds from
    scratch all the same (a fresh source, an empty output folder)."""
    where = skeleton()
    source = where / "src" / "fuzz.md"
    source.write_text("# Warm\n\nText.\n", encoding="utf-8")
    for fmt in FORMATS:
        build(Project.for_source(source, root=where, out_dir=where / "out"), [fmt], Reporter())
    return where


def check_source(text: str | bytes) -> str:
    """The property, for one source: build all three formats in the skeleton project, from
    an empty output folder, and judge. Returns how the build ended: "built" or "located errors"."""
    where = warm()
    shutil.rmtree(where / "out", ignore_errors=True)
    path = where / "src" / "fuzz.md"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass"))
    result = build(Project.for_source(path, root=where, out_dir=where / "out"), FORMATS, Reporter())
    messages = [str(m) for m in result.reporter.messages]
    for message in messages:
        assert LOCATED.match(message), f"not one located line: {message!r}"
        assert "writer failed" not in message, f"a writer crashed: {message}"
    if result.reporter.errors:
        return "located errors"
    assert [o.format for o in result.outputs] == FORMATS
    for out in result.outputs:
        assert out.ok and out.paths, out
        for produced in out.paths:
            assert produced.is_file(), produced
            CHECKS.get(produced.suffix, lambda p: None)(produced)
    return "built"


@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(source())
def test_any_source_builds_or_fails_with_located_errors(text):
    note(f"source: {text!r}")
    try:
        event(check_source(text))
    except Exception:
        _keep(text)
        raise


def _keep(text: str) -> None:
    """A failing example, saved where it can be copied into tests/fixtures/fuzz/."""
    folder = Path(tempfile.gettempdir()) / "folio-fuzz-failures"
    folder.mkdir(exist_ok=True)
    data = text.encode("utf-8", "surrogatepass")
    (folder / f"{hashlib.sha256(data).hexdigest()[:12]}.md").write_bytes(data)


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_fuzz_regression_fixture(fixture: Path):
    """Each source that once broke the property, named for what it broke:
    front-matter-impossible-date (YAML's ValueError escaped), front-matter-ignore-unhashable
    (`ignore: [[x]]` raised TypeError), footnote-inline-caret (`^[` inline notes: KeyError),
    ignore-file-missing-image and ignore-file-missing-reference-doc (an ignored error stopped
    a writer with no message), front-matter-escaped-controls (YAML escapes put control
    characters and surrogates into the outputs), front-matter-year-out-of-range (`year: 99999`
    crashed the PDF and DOCX writers), unsupported-in-link-text (the rules that report other
    tools' syntax did not move on when markdown-it measured a link's text: RuntimeError),
    image-truncated-after-weasyprint (WeasyPrint, once imported, makes Pillow accept truncated
    files: a half-cut PNG passed the image check in the writer processes and crashed
    python-docx), front-matter-c1-control (U+0080 in the front matter: PyYAML's reader refused it
    before folio's loader caught anything: ReaderError), inline-note-line-break (`^[\r]` quoted
    a line break into a message, which then took two lines)."""
    check_source(fixture.read_bytes())
