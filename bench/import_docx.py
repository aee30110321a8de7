"""How long `folio import-docx` takes on a long report with many tracked changes.

    python bench/import_docx.py --times 50 --changes 100 --runs 3

builds the report at TIMES its size into DOCX, puts CHANGES tracked replacements (w:del + w:ins,
as Word writes them) into as many body paragraphs spread over the file, then times the import:
in this process (reading, matching, projecting, diffing) and as a user runs it (a new process).
Prints medians. The target: under 2 s at 50× with 100 changes.
"""
from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WORD = re.compile(r"\b[a-z]{6,}\b")


def project(where: Path, times: int) -> Path:
    from make_source import scaled
    for folder in ("templates", "styles"):
        shutil.copytree(ROOT / folder, where / folder)
    (where / "source").mkdir()
    source = where / "source" / "report.md"
    source.write_text(scaled((ROOT / "source" / "report.md").read_text(encoding="utf-8"), times), encoding="utf-8")
    return source


def build_docx(source: Path) -> Path:
    from folio.build import build
    from folio.diagnostics import Reporter
    from folio.project import Project
    result = build(Project.for_source(source, root=source.parent.parent), ["docx"], Reporter())
    assert result.ok, [str(m) for m in result.reporter.messages]
    return source.parent.parent / "build" / "report.docx"


def with_changes(docx: Path, out: Path, count: int) -> int:
    """count paragraphs, evenly spread, each with one word replaced as a tracked change."""
    with zipfile.ZipFile(docx) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    root = etree.fromstring(parts["word/document.xml"])
    def from_source(p) -> bool:     # a paragraph folio wrote for a source block, not a generated one
        return any((b.get(f"{{{W}}}name") or "").startswith("_F") for b in p.iter(f"{{{W}}}bookmarkStart"))
    runs = [r for r in root.iter(f"{{{W}}}r") if (t := r.find(f"{{{W}}}t")) is not None and WORD.search(t.text or "")
            and r.getparent().tag == f"{{{W}}}p" and from_source(r.getparent())]
    by_paragraph = {}
    for r in runs:
        by_paragraph.setdefault(r.getparent(), r)
    chosen = list(by_paragraph.values())
    chosen = chosen[:: max(1, len(chosen) // count)][:count]
    for n, run in enumerate(chosen):
        _replace_word(run, n)
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return len(chosen)


def _replace_word(run, n: int) -> None:
    t = run.find(f"{{{W}}}t")
    match = WORD.search(t.text)
    before, word, after = t.text[:match.start()], match.group(), t.text[match.end():]
    attrs = {f"{{{W}}}id": str(1000 + 2 * n), f"{{{W}}}author": "Bench", f"{{{W}}}date": "2026-11-28T00:00:00Z"}
    parent, at = run.getparent(), run.getparent().index(run)
    new = [_run(before, "t"), etree.Element(f"{{{W}}}del", attrs), etree.Element(f"{{{W}}}ins", attrs),
           _run(after, "t")]
    new[1].append(_run(word, "delText"))
    new[2].append(_run(word.upper(), "t"))
    parent.remove(run)
    for k, el in enumerate(new):
        parent.insert(at + k, el)


def _run(text: str, tag: str):
    run = etree.Element(f"{{{W}}}r")
    t = etree.SubElement(run, f"{{{W}}}{tag}")
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return run


def in_process(docx: Path, source: Path) -> tuple[float, str]:
    from folio.corrections import import_docx
    from folio.diagnostics import Reporter
    start = time.perf_counter()
    outcome = import_docx(docx, source.read_text(encoding="utf-8"), "source/report.md", Reporter())
    return time.perf_counter() - start, outcome.summary


def as_a_user(docx: Path, source: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "folio", "import-docx", str(docx), str(source)], cwd=source.parent.parent,
                   capture_output=True, check=False)
    return time.perf_counter() - start


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--times", type=int, default=50)
    args.add_argument("--changes", type=int, default=100)
    args.add_argument("--runs", type=int, default=3)
    opts = args.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        source = project(Path(tmp), opts.times)
        edited = Path(tmp) / "edited.docx"
        made = with_changes(build_docx(source), edited, opts.changes)
        size = edited.stat().st_size / 2**20
        inside = [in_process(edited, source) for _ in range(opts.runs)]
        outside = [as_a_user(edited, source) for _ in range(opts.runs)]
        print(f"report ×{opts.times}: {len(source.read_text(encoding='utf-8')) / 1000:.0f}k characters,"
              f" DOCX {size:.1f} MB, {made} tracked replacements")
        print(f"  summary: {inside[0][1]}")
        print(f"  import in process: {statistics.median(t for t, _ in inside):.2f} s (median of {opts.runs})")
        print(f"  import as a user runs it: {statistics.median(outside):.2f} s (median of {opts.runs})")


if __name__ == "__main__":
    main()
