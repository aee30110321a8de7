"""A correction while the watcher runs: how long until the HTML shows it, and the PDF.

    python bench/watch.py [--times 10] [--runs 3] [--formats html,pdf,docx] [--baseline DIR]

Starts `folio serve` on a copy of the seed report at N× (chapters running on, as it is), waits
for its first build and for the watcher, then makes a one-word correction in the last chapter
`--runs` times (a different word each time, one correction at a time) and polls the outputs:
the HTML is read back until it has the corrected phrase; the PDF is read back (pdftotext) each
time its file is replaced, until its text has it. Medians, and the figures per run (targets,
issue 22: HTML under 1 s, PDF under 2 s at 10×). --baseline DIR: a folio source tree measured
the same way after this one (its folio first on PYTHONPATH). Prints the load average: a shared
machine is noisy."""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import PY, median, one_word, project  # noqa: E402

WORDS = ("steady", "patient", "careful", "prompt", "useful")     # short: never hyphenated
POLL = 0.02
TIMEOUT = 300.0


def serve(source: Path, formats: str, env: dict) -> tuple[subprocess.Popen, list[str]]:
    """The watcher, started; returns once it has built and is watching (its lines collected)."""
    proc = subprocess.Popen([PY, "-m", "folio", "serve", str(source), "--port", "0", "-f", formats],
                            cwd=source.parent.parent, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env=env)
    lines: list[str] = []
    ready = threading.Event()

    def read():
        for line in proc.stdout:
            lines.append(line.rstrip("\n"))
            if line.startswith("serving "):
                ready.set()
    threading.Thread(target=read, daemon=True).start()
    if not ready.wait(TIMEOUT):
        proc.kill()
        raise SystemExit("the watcher did not start:\n" + "\n".join(lines))
    time.sleep(1.0)                     # the watcher starts watching after it says it serves
    return proc, lines


def flat(text: str) -> str:
    """Text as read from a page: line-end hyphens joined, runs of white space one space."""
    return " ".join(re.sub(r"-\n(?=\w)", "", text).split())


def pdf_text(path: Path) -> str:
    run = subprocess.run(["pdftotext", "-q", str(path), "-"], capture_output=True, text=True)
    return run.stdout


def correction(source: Path, text: str, word: str, out: Path, want_pdf: bool) -> tuple[float, float | None]:
    """(seconds until the HTML has the corrected phrase, until the PDF has it)."""
    phrase = f"excellent {word} work"
    html, pdf = out / "html" / "index.html", out / "report.pdf"
    pdf_seen = pdf.stat().st_mtime_ns if pdf.exists() else None
    started = time.perf_counter()
    source.write_text(one_word(text, word), encoding="utf-8")
    html_at = pdf_at = None
    while time.perf_counter() - started < TIMEOUT:
        now = time.perf_counter() - started
        if html_at is None and phrase in flat(html.read_text(encoding="utf-8", errors="replace")):
            html_at = now
        if want_pdf and pdf_at is None and pdf.exists() and pdf.stat().st_mtime_ns != pdf_seen:
            pdf_seen = pdf.stat().st_mtime_ns
            if phrase in flat(pdf_text(pdf)):
                pdf_at = now
        if html_at is not None and (pdf_at is not None or not want_pdf):
            return html_at, pdf_at
        time.sleep(POLL)
    raise SystemExit(f"no change seen in {TIMEOUT:.0f} s (html {html_at}, pdf {pdf_at})")


def route(out: Path) -> str:
    """What the chunked PDF route says it did (its record of the last build), if it was used."""
    try:
        stats = json.loads((out / ".folio" / "chunks" / "last-run.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    return (f" (route {stats.get('seconds')} s: split {stats.get('split')}, chunks laid out"
            f" {stats.get('laid out')} of {stats.get('chunks')} in {stats.get('layouts')} layouts"
            f" ({stats.get('ahead taken', 0)} of {stats.get('laid out ahead', 0)} laid out ahead taken),"
            f" stitch {stats.get('stitch')})")


def settle(lines: list[str], name: str, count: int) -> None:
    """Wait until the watcher has printed its count-th summary line for `name` (the last format
    it builds): the rebuild is over, the next correction is one of its own."""
    deadline = time.perf_counter() + TIMEOUT
    while sum(1 for line in lines if line.startswith(f"{name} ")) < count and time.perf_counter() < deadline:
        time.sleep(0.1)


def measure(times: int, runs: int, formats: list[str], env: dict) -> None:
    last = (["html"] + [f for f in formats if f != "html"])[-1]      # the watcher builds the HTML first
    with tempfile.TemporaryDirectory() as tmp:
        where = Path(tmp)
        source = project(times, where)
        text = source.read_text(encoding="utf-8")
        started = time.perf_counter()
        proc, lines = serve(source, ",".join(formats), env)
        print(f"first build and watcher ready: {time.perf_counter() - started:.1f} s")
        html_s, pdf_s = [], []
        try:
            for i in range(runs):
                done = sum(1 for line in lines if line.startswith(f"{last} "))
                html_at, pdf_at = correction(source, text, WORDS[i % len(WORDS)], where / "build", "pdf" in formats)
                html_s.append(html_at)
                if pdf_at is not None:
                    pdf_s.append(pdf_at)
                settle(lines, last, done + 1)
                print(f"run {i + 1}: HTML {html_at:.2f} s" + (f", PDF {pdf_at:.2f} s" if pdf_at is not None else "")
                      + route(where / "build"))
        finally:
            proc.terminate()
            proc.wait(30)
        print("\n".join(f"  | {line}" for line in lines if line.startswith(("html ", "pdf ", "docx ", "changed"))))
        print(f"median of {runs}: HTML {median(html_s):.2f} s (target < 1 s)"
              + (f", PDF {median(pdf_s):.2f} s (target < 2 s)" if pdf_s else "")
              + f"; load average {os.getloadavg()[0]:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--times", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--formats", default="html,pdf,docx")
    parser.add_argument("--baseline", type=Path, default=None)
    args = parser.parse_args()
    print(f"{args.times}×, formats {args.formats}; {os.cpu_count()} cores, load average "
          f"{os.getloadavg()[0]:.1f} at the start")
    trees = [("this tree", dict(os.environ))]
    if args.baseline:
        trees.append(("baseline", {**os.environ, "PYTHONPATH": str(args.baseline.resolve())}))
    for name, env in trees:
        print(f"-- {name}")
        measure(args.times, args.runs, args.formats.split(","), env)


if __name__ == "__main__":
    main()
