"""folio's benchmark: the report at 1×, 10× and 50× its size, against WeasyPrint alone and pandoc.

    python bench/run.py [--sizes 1,10,50] [--runs 3] [--no-memory]

Prints medians of several runs, measured side by side in this one invocation, and the ratios
the rebuild issues set as targets. Needs `pip install -e ".[bench]"` (pypandoc-binary) for the
pandoc columns (skipped with a note otherwise). Takes a few minutes at 50×: WeasyPrint is the
floor. Memory is the peak of the whole process tree (folio, its writer processes and layout
workers), as proportional set size (PSS: shared pages divided among the processes sharing them),
sampled every 20 ms (--no-memory: not measured, and the times are those of builds nothing
watches: the sampler takes CPU from what it measures)."""
from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from make_source import scaled  # noqa: E402

PY = sys.executable
# What a user's Python does: write bytecode beside the code and read it in every later process.
# An environment that asks it not to (PYTHONDONTWRITEBYTECODE, as on the machine these figures
# were first taken on) makes each process of each build (the command, its layout workers)
# compile folio's ~300 modules again, 0.15-0.3 s of CPU apiece, which no user pays.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
ALONE = ("import sys; from weasyprint import HTML; "
         "HTML(filename=sys.argv[1], base_url=sys.argv[2]).write_pdf(sys.argv[3])")
# folio's print HTML laid out once as folio lays it out (its WeasyPrint changes, a tagged PDF,
# the collector off), with no hyphenation round, no cut and no edition made from it: the floor
# of any arrangement of the cold build that lays the PDF out with WeasyPrint.
ONCE = ("import sys; from folio.layout.weasy import fixes, no_collector; fixes(); from weasyprint import HTML\n"
        "with no_collector(): HTML(filename=sys.argv[1], base_url=sys.argv[2]).render()"
        ".write_pdf(sys.argv[3], pdf_variant='pdf/ua-1')")


class Peak(threading.Thread):
    """The largest PSS the process tree under one pid reached, in MiB."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self.running = pid, 0.0, True

    def run(self):
        while self.running:
            self.peak = max(self.peak, sum(_pss(p) for p in _tree(self.pid)) / 1024)
            time.sleep(0.02)


def _tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        except OSError:
            pass
    return found


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("Pss:"))
    except (OSError, StopIteration, ValueError):
        return 0


CPU: dict[str, float] = {}   # CPU seconds (user + system, the process and what it waited for) of the last run


MEMORY = True   # --no-memory: no peaks measured (run's default)


def run(cmd, cwd, watch: Path | None = None, env: dict | None = None, memory: bool | None = None):
    """(seconds, peak PSS of the process tree in MiB, seconds until `watch` changed) of one command.
    memory=False: no peak (0.0): reading every process's memory map every 20 ms takes CPU from
    the build it measures, on a two-core machine (more from folio's tree of processes than
    from pandoc's one or WeasyPrint's)."""
    memory = MEMORY if memory is None else memory
    before = watch.stat().st_mtime_ns if watch and watch.exists() else None
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={**os.environ, **(env or {})})
    peak = Peak(proc.pid)
    peak.running = memory
    peak.start()
    ready = None
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        CPU["last"] = usage.ru_utime + usage.ru_stime if pid else 0.0
        if watch is not None and ready is None and watch.exists() and watch.stat().st_mtime_ns != before:
            ready = time.perf_counter() - started
        if pid:
            break
        time.sleep(0.002)
    elapsed = time.perf_counter() - started
    peak.running = False
    peak.join()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(map(str, cmd))}\n{proc.stderr.read().decode()}")
    return elapsed, peak.peak, ready


OPENING = None   # --chapter-opening: the report's own (continue) unless given
BASE = None      # --base: a checkout of folio before the change, for the "before" columns


def project(times: int, where: Path) -> Path:
    for folder in ("templates", "styles"):
        shutil.copytree(ROOT / folder, where / folder)
    (where / "source").mkdir()
    text = (ROOT / "source" / "report.md").read_text(encoding="utf-8")
    if OPENING:     # chapters on new pages: the body has page breaks the chunked PDF can cut at
        text = re.sub(r"(?m)^chapter-opening:.*$", f"chapter-opening: {OPENING}", text, count=1)
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
    samples = [s for s in samples if s is not None]
    return statistics.median(samples) if samples else float("nan")


def one_word(text: str, word: str) -> str:
    """A one-word correction in the last chapter (the last occurrence only: at 50× the phrase
    occurs 50 times, and a correction is one place)."""
    before, phrase, after = text.rpartition("excellent work")
    return before + f"excellent {word} work" + after


def one_size(times: int, runs: int, pandoc: str | None) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        where = Path(tmp)
        source = project(times, where)
        build = [PY, "-m", "folio", "build", str(source)]
        out = where / "build"
        html_out, docx_out, pdf_out = out / "html" / "index.html", out / "report.docx", out / "report.pdf"
        page = print_html(source, where)
        alone = [PY, "-c", ALONE, str(page), where.as_uri() + "/", str(where / "alone.pdf")]
        once = [PY, "-c", ONCE, str(page), where.as_uri() + "/", str(where / "once.pdf")]
        pdf_only = build + ["-f", "pdf", "--force"]
        r = {k: [] for k in ("cold", "cold_mem", "alone", "alone_mem", "alone_cpu", "once", "noop", "html_fix",
                             "docx_fix", "pdf_fix", "pandoc_docx", "pandoc_html", "peer", "peer_mem", "once_peer",
                             "pdf", "pdf_mem", "pdf_cpu", "word_fix", "word_fix_before", "cold_before")}
        before = {"PYTHONPATH": str(BASE), "FOLIO_OFFICE": "once"} if BASE else None
        text = source.read_text(encoding="utf-8")
        for i in range(runs):
            t, mem, _ = run(alone, where)
            r["alone"].append(t)
            r["alone_mem"].append(mem)
            r["alone_cpu"].append(CPU["last"])
            r["once"].append(run(once, where, memory=False)[0])
            _stop_office(out)
            shutil.rmtree(out, ignore_errors=True)
            t, mem, _ = run(build, where)
            r["cold"].append(t)
            r["cold_mem"].append(mem)
            shutil.rmtree(out / ".folio" / "chunks", ignore_errors=True)   # the PDF alone, from cold
            t, mem, _ = run(pdf_only, where)
            r["pdf"].append(t)
            r["pdf_mem"].append(mem)
            r["pdf_cpu"].append(CPU["last"])
            r["noop"].append(run(build, where)[0])
            word = "appreciation" if i % 2 == 0 else "gratitude"
            source.write_text(one_word(text, word), encoding="utf-8")
            _, _, ready = run(build, where, watch=html_out)
            r["html_fix"].append(ready)
            source.write_text(one_word(text, word + "x"), encoding="utf-8")
            _, _, ready = run(build, where, watch=docx_out)
            r["docx_fix"].append(ready)
            source.write_text(one_word(text, word + "y"), encoding="utf-8")
            _, _, ready = run(build, where, watch=pdf_out)
            r["pdf_fix"].append(ready)
            # The Word file alone after a one-word fix (LibreOffice kept from the build before),
            # and the same with the code before the change (LibreOffice started for it).
            source.write_text(one_word(text, word + "z"), encoding="utf-8")
            r["word_fix"].append(run(build + ["-f", "docx"], where)[0])
            if before:
                source.write_text(one_word(text, word + "w"), encoding="utf-8")
                r["word_fix_before"].append(run(build + ["-f", "docx"], where, env=before)[0])
                _stop_office(out)
                shutil.rmtree(out, ignore_errors=True)
                source.write_text(text, encoding="utf-8")
                r["cold_before"].append(run(build, where, env=before)[0])
            source.write_text(text, encoding="utf-8")
            if pandoc:
                r["pandoc_docx"].append(run([pandoc, str(source), "-o", str(where / "p.docx")], where)[0])
                t, mem, _ = run([pandoc, str(source), "-s", "-o", str(where / "p.html")], where)
                r["pandoc_html"].append(t)
                t2, mem2, _ = run([PY, "-c", ALONE, str(where / "p.html"), where.as_uri() + "/",
                                   str(where / "p.pdf")], where)
                r["peer"].append(t + t2)
                r["once_peer"].append(r["once"][-1] / (t + t2))
                r["peer_mem"].append(max(mem, mem2))
        _stop_office(out)
        return {k: median(v) for k, v in r.items()}


def _ratio(a: float, b: float) -> float:
    return a / b if b else float("nan")     # memory not measured (--no-memory): no ratio


def _stop_office(out: Path) -> None:
    """The LibreOffice the builds kept (folio/writers/docx/office.py) ends with the benchmark."""
    sys.path.insert(0, str(ROOT))
    from folio.writers.docx import office
    office.stop(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,10,50")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--base", type=Path, default=None,
                        help="a checkout of folio before the change: its cold build and Word fix, side by side")
    parser.add_argument("--chapter-opening", choices=["page", "right", "continue"], default=None,
                        help="override the report's chapter-opening (page: chapters the PDF can be cut at)")
    parser.add_argument("--no-memory", action="store_true",
                        help="measure no peak memory: the times (cold/peer above all) as the build runs unobserved")
    args = parser.parse_args()
    global OPENING, BASE, MEMORY
    OPENING, BASE, MEMORY = args.chapter_opening, args.base and args.base.resolve(), not args.no_memory
    try:
        import pypandoc
        pandoc = pypandoc.get_pandoc_path()
    except (ImportError, OSError):
        pandoc = None
        print("pandoc columns skipped: pip install -e '.[bench]'", file=sys.stderr)
    load = os.getloadavg()[0]
    print(f"chapter-opening: {OPENING or 'as the report says (continue)'}")
    print(f"median of {args.runs} runs; machine: {os.cpu_count()} cores, load average {load:.1f} at the start"
          " (a shared machine is noisy: compare ratios of one run, not times across runs)")
    header = ("size", "cold s", "pandoc+WP s", "cold/peer", "PDF s", "WP alone s", "PDF/WP", "PDF CPU/WP CPU",
              "no-op s", "HTML after fix s", "DOCX after fix s", "PDF after fix s", "pandoc DOCX s",
              "peak MiB", "PDF peak MiB", "WP MiB", "PDF mem/WP", "peer MiB",
              "Word fix s", "Word fix before s", "Word fix/before", "cold before s", "cold before/peer",
              "one layout s", "one layout/peer")
    print(" | ".join(header))
    for times in [int(s) for s in args.sizes.split(",")]:
        m = one_size(times, args.runs, pandoc)
        print(" | ".join([f"{times}×", f"{m['cold']:.2f}", f"{m['peer']:.2f}", f"{m['cold'] / m['peer']:.2f}",
                          f"{m['pdf']:.2f}", f"{m['alone']:.2f}", f"{m['pdf'] / m['alone']:.2f}",
                          f"{m['pdf_cpu'] / m['alone_cpu']:.2f}", f"{m['noop']:.3f}",
                          f"{m['html_fix']:.2f}", f"{m['docx_fix']:.2f}", f"{m['pdf_fix']:.2f}",
                          f"{m['pandoc_docx']:.2f}", f"{m['cold_mem']:.0f}", f"{m['pdf_mem']:.0f}",
                          f"{m['alone_mem']:.0f}", f"{_ratio(m['pdf_mem'], m['alone_mem']):.2f}",
                          f"{m['peer_mem']:.0f}", f"{m['word_fix']:.2f}", f"{m['word_fix_before']:.2f}",
                          f"{m['word_fix'] / m['word_fix_before']:.2f}", f"{m['cold_before']:.2f}",
                          f"{m['cold_before'] / m['peer']:.2f}", f"{m['once']:.2f}",
                          f"{m['once_peer']:.2f}"]), flush=True)
    print("cold: all three formats from nothing; peer: pandoc → HTML, then WeasyPrint → PDF; PDF: `-f pdf`,"
          " its cache emptied; CPU: user + system of the process tree; one layout: folio's print HTML laid out"
          " once by WeasyPrint with folio's changes to it, tagged, nothing else (the floor of a cold PDF)")
    print("targets: cold/peer ≤ 1.0 at 10× and 50×; PDF after fix ≤ 3 s at 50×; PDF mem/WP ≤ 1.0 at 50×;"
          " no-op ≤ 0.3 s; HTML after fix ≤ 0.5 s at 1× (≤ 1.5 s at 50×); DOCX after fix ≤ pandoc DOCX;"
          " Word fix (`-f docx` after a one-word fix, LibreOffice's pass included) ≤ 0.5× before at 10×")


if __name__ == "__main__":
    main()
