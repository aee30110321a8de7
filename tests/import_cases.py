"""Word files that once made `folio import-docx` superlinear or unbounded (issue 25), at any
size n, for tests/test_word_import_scaling.py: each maker returns the source, its project and the
edited DOCX's bytes. The DOCX is folio's own, built from the source, then edited in its XML."""
from __future__ import annotations

import io
import random
import re
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DATE = 'w:author="Ed" w:date="2024-01-01T00:00:00Z"'
SMALL = ("---\ntitle: T\n---\n\n# One {#sec-one}\n\nFirst paragraph here.\n\nSecond paragraph here.\n\n"
         "Third paragraph.\n")
COMMENTS_REL = ('<Relationship Id="rIdC" Target="comments.xml" '
                'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"/>')


def built(where: Path, text: str):
    from folio.build import load
    from folio.diagnostics import Reporter
    from folio.project import Project
    from folio.writers.docx import render_docx

    (where / "source").mkdir(parents=True, exist_ok=True)
    source = where / "source" / "report.md"
    source.write_text(text, encoding="utf-8")
    project = Project.for_source(source, root=ROOT)
    data, _ = render_docx(load(project, Reporter()), project, Reporter())
    return source, project, data


def patch(data: bytes, change, comments: str | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for name in zin.namelist():
            part = zin.read(name)
            if name == "word/document.xml":
                part = change(part.decode("utf-8")).encode("utf-8")
            elif name == "word/_rels/document.xml.rels" and comments is not None:
                part = part.replace(b"</Relationships>", COMMENTS_REL.encode() + b"</Relationships>")
            zout.writestr(name, part)
        if comments is not None:
            zout.writestr("word/comments.xml", comments)
    return out.getvalue()


def at_end_of(words: str, extra: str):
    """A change that ends the paragraph holding words with extra (runs)."""
    def change(xml: str) -> str:
        for match in re.finditer(r"<w:p [^>]*>.*?</w:p>", xml):
            if words in match.group(0):
                return xml[:match.end() - len("</w:p>")] + extra + xml[match.end() - len("</w:p>"):]
        raise AssertionError(words)
    return change


def tracked_changes(n: int, where: Path):
    """One paragraph of n words, each replaced with tracking on (w:del + w:ins)."""
    words = " ".join(f"word{k}" for k in range(n))
    source, project, data = built(where, SMALL.replace("Second paragraph here.", words))
    runs = "".join(f'<w:del w:id="{2 * k + 10}" {DATE}><w:r><w:delText>word{k}</w:delText></w:r></w:del>'
                   f'<w:ins w:id="{2 * k + 11}" {DATE}><w:r><w:t>term{k}</w:t></w:r></w:ins>'
                   f'<w:r><w:t xml:space="preserve"> </w:t></w:r>' for k in range(n))

    def change(xml: str) -> str:
        found = re.search(r"<w:t>(word0 [^<]*)</w:t>", xml)
        return xml[:found.start()] + "<w:t></w:t></w:r>" + runs + "<w:r><w:t></w:t>" + xml[found.end():]
    return source, project, patch(data, change)


def long_merge(n: int, where: Path):
    """A report of n like paragraphs; the source changed at its head since the DOCX was built,
    the DOCX corrected near its end: a three-way merge."""
    text = SMALL + "".join(f"Paragraph {k % 7} of the report, with the same words.\n\n" for k in range(n))
    source, project, data = built(where, text)
    source.write_text(text.replace("First paragraph here.", "First paragraph, changed since."), encoding="utf-8")
    data = patch(data, lambda xml: xml[::-1].replace("Paragraph 3 of"[::-1], "Paragraph three of"[::-1], 1)[::-1])
    return source, project, data


def open_comments(n: int, where: Path):
    """n comment ranges opened in one paragraph and never closed."""
    source, project, data = built(where, SMALL)
    extra = "".join(f'<w:commentRangeStart w:id="{k}"/><w:r><w:t>x</w:t></w:r>' for k in range(n))
    comments = f'<w:comments xmlns:w="{W}">' + "".join(
        f'<w:comment w:id="{k}" w:author="A"><w:p><w:r><w:t>c{k}</w:t></w:r></w:p></w:comment>'
        for k in range(n)) + "</w:comments>"
    return source, project, patch(data, at_end_of("Second paragraph", extra), comments)


def long_text(n: int, where: Path):
    """A tracked insertion of n kilobytes of words (random, so that it deflates only some ten
    times, under the ratio a zip bomb is refused at) into one paragraph."""
    source, project, data = built(where, SMALL)
    rnd = random.Random(n)
    words = " ".join("".join(rnd.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rnd.randint(2, 9)))
                     for _ in range(n * 1024 // 6))
    extra = f'<w:ins w:id="5000" {DATE}><w:r><w:t xml:space="preserve"> {words}</w:t></w:r></w:ins>'
    return source, project, patch(data, at_end_of("Second paragraph", extra))


CASES = {"tracked changes in one paragraph": tracked_changes, "three-way merge of a long report": long_merge,
         "comment ranges never closed": open_comments, "a long text node": long_text}


def peak_mb() -> float:
    """This process's peak resident memory, in MB. VmHWM belongs to the running image alone;
    getrusage's ru_maxrss keeps the peak of the process before exec, which under pytest-xdist
    is a worker's that has built whole reports (650 MB read for an import of 80)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0
