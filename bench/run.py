"""folio's benchmark: the report at 1×, 10× and 50× its size, against WeasyPrint alone and pandoc.

    python bench/run.py [--sizes 1,10,50] [--runs 3]

Prints medians of several runs, measured side by side in this one invocation, and the ratios
the rebuild issue sets as targets. Needs `pip install pypandoc-binary` for the pandoc rows
(skipped with a note otherwise). Takes a few minutes at 50×: WeasyPrint is the floor."""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from make_source import scaled  # noqa: E402

PY = sys.executable


def run(cmd, cwd, watch: Path | None = None):
    """(seconds, peak RSS in MiB, seconds until `watch` changed) of one command."""
    before = watch.stat().st_mtime_ns if watch and watch.exists() else None
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    ready = None
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if watch is not None and ready is None and watch.exists() and watch.stat().st_mtime_ns != before:
            ready = time.perf_counter() - started
        if pid:
            break
        time.sleep(0.002)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(map(str, cmd))}\n{proc.stderr.read().decode()}")
    return elapsed, usage.ru_maxrss / 1024, ready


def project(times: int, where: Path) -> Path:
    for folder in ("templates", "styles"):
        shutil.copytree(ROOT / folder, where / folder)
    (where / "source").mkdir()
    text = (ROOT / "source" / "report.md").read_text(encoding="utf-8")
    (where / "source" / "report.md").write_text(scaled(text, times), encoding="utf-8")
    return where / "source" / "report.md"


def print_html(source: Path, where: Path) -> Path:
    """folio's own print HTML, for WeasyPrint to render alone."""
    code = ("import sys; from folio.build import load; from folio.project import Project;"
            "from folio.diagnostics import Reporter; from folio.writers.pdf import print_html;"
            "p = Project.for_source(sys.argv[1]); r = Reporter();"
            "open(sys.argv[2], 'w').write(print_html(load(p, r), p, r))")
    out = where / "print.html"
    subprocess.run([PY, "-c", code, str(source), str(out)], check=True, cwd=where)
    return out


def median(samples):
    return statistics.median(samples) if samples else float("nan")


def one_size(times: int, runs: int, pandoc: str | None) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        where = Path(tmp)
        source = project(times, where)
        build = [PY, "-m", "folio", "build", str(source)]
        out = where / "build"
        html_out, docx_out = out / "html" / "index.html", out / "report.docx"
        page = print_html(source, where)
        alone = [PY, "-c", "import sys; from weasyprint import HTML; "
                 "HTML(filename=sys.argv[1], base_url=sys.argv[2]).write_pdf(sys.argv[3])",
                 str(page), where.as_uri() + "/", str(where / "alone.pdf")]
        r = {k: [] for k in ("cold", "cold_mem", "alone", "alone_mem", "noop", "html_fix",
                             "docx_fix", "pandoc_docx", "pandoc_html")}
        text = source.read_text(encoding="utf-8")
        for i in range(runs):
            t, mem, _ = run(alone, where)
            r["alone"].append(t)
            r["alone_mem"].append(mem)
            shutil.rmtree(out, ignore_errors=True)
            t, mem, _ = run(build, where)
            r["cold"].append(t)
            r["cold_mem"].append(mem)
            r["noop"].append(run(build, where)[0])
            # a one-word correction in the last chapter
            word = "appreciation" if i % 2 == 0 else "gratitude"
            source.write_text(text.replace("excellent work", f"excellent {word} work"), encoding="utf-8")
            _, _, ready = run(build, where, watch=html_out)
            r["html_fix"].append(ready)
            source.write_text(text.replace("excellent work", f"excellent {word}x work"), encoding="utf-8")
            _, _, ready = run(build, where, watch=docx_out)
            r["docx_fix"].append(ready)
            if pandoc:
                r["pandoc_docx"].append(run([pandoc, str(source), "-o", str(where / "p.docx")], where)[0])
                r["pandoc_html"].append(run([pandoc, str(source), "-s", "-o", str(where / "p.html")], where)[0])
        return {k: median(v) for k, v in r.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,10,50")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    try:
        import pypandoc
        pandoc = pypandoc.get_pandoc_path()
    except (ImportError, OSError):
        pandoc = None
        print("pandoc rows skipped: pip install pypandoc-binary", file=sys.stderr)
    print(f"median of {args.runs} runs; machine: {os.cpu_count()} cores")
    header = ("size", "cold s", "WP alone s", "cold/WP", "no-op s", "HTML after fix s",
              "DOCX after fix s", "pandoc DOCX s", "pandoc HTML s", "peak MiB", "WP MiB", "mem ratio")
    print(" | ".join(header))
    for times in [int(s) for s in args.sizes.split(",")]:
        m = one_size(times, args.runs, pandoc)
        print(" | ".join([f"{times}×", f"{m['cold']:.2f}", f"{m['alone']:.2f}",
                          f"{m['cold'] / m['alone']:.2f}", f"{m['noop']:.3f}", f"{m['html_fix']:.2f}",
                          f"{m['docx_fix']:.2f}", f"{m['pandoc_docx']:.2f}", f"{m['pandoc_html']:.2f}",
                          f"{m['cold_mem']:.0f}", f"{m['alone_mem']:.0f}",
                          f"{m['cold_mem'] / m['alone_mem']:.2f}"]), flush=True)
    print("targets: cold/WP ≤ 1.25; no-op ≤ 0.3 s; HTML after fix ≤ 0.5 s at 1× (≤ 1.5 s at 50×); "
          "DOCX after fix ≤ pandoc DOCX; mem ratio ≤ 1.2 at 50×")


if __name__ == "__main__":
    main()
