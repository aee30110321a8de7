"""Pathological inputs finish quickly and grow roughly linearly.

The cases of the CommonMark reference implementation (cmark's test/pathological_tests.py),
markdown-it's known quadratic inputs, and folio's own syntax. Each case is built (parse,
transforms, HTML writer) in a subprocess with a kill timer, at n and 4n repetitions; the
time is measured inside the subprocess around the build alone. The test asserts that the
build finishes, ends with status 0 or 1 with located messages only (no traceback), and that
time(4n) / time(n) <= 8 when the times are large enough to measure: linear work gives 4,
quadratic 16, and 8 lies between them with a factor of two to spare either way (at n and
2n the margin was 2 against 2.5, and a shared two-core machine crossed it). Each time is the best of
a few builds, n and 4n in turns, with the cycle collector paused (its cost on a big heap is
CPython's, not folio's, and it alone can push a linear pass past the limit); the ratio is taken on
wall and on CPU time, and the lower one counts; a case over the limit is measured again.

Run with -s to see the table of figures. Run this file as a script (python
tests/test_pathological.py CASE) to time one case by hand.
"""
from __future__ import annotations

import gc
import json
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
N = 5_000
FACTOR = 4
BIG = FACTOR * N
TIMEOUT = 30            # seconds, per case (one subprocess builds n and 4n)
MAX_RATIO = 8.0          # the geometric mean of 4 (linear) and 16 (quadratic)
NOISE = 0.05            # below this, both times are noise: the ratio is not checked
REPEAT, BUDGET = 3, 1.0  # up to 3 rounds of (n, 4n) builds, while they take under 1 s
RETRIES = 2
MESSAGE = re.compile(r"^[^:]+(:\d+)?: (error|warning): .+ \[[a-z-]+\]$")


def _nested_list(n: int) -> str:
    # cmark nests by indentation, so its input grows as n²; a fixed depth cycle keeps
    # the size linear while every line still opens or closes list levels.
    return "".join("  " * (i % 50) + "* a\n" for i in range(n))


# name → source for n repetitions.
CASES = {
    # --- cmark's pathological_tests.py ---
    "nested brackets": lambda n: "[" * n + "a" + "]" * n,
    "nested block quotes": lambda n: "> " * n + "a\n",
    "nested lists (one line)": lambda n: "* " * n + "a\n",
    "nested lists (indented)": _nested_list,
    "emph openers _a": lambda n: "_a " * n,
    "emph openers *a": lambda n: "*a " * n,
    "emph closers a_": lambda n: "a_ " * n,
    "3-emph openers a***": lambda n: "a***" * n,
    "mismatched *a_": lambda n: "*a_ " * n,
    "openers/closers mod 3": lambda n: "a**b" + "c* " * n,
    "nested strong emph": lambda n: "*a **a " * n + "b" + " a** a*" * n,
    "link openers [a ": lambda n: "[a " * n,
    "link openers [": lambda n: "[" * n,
    "link closers a]": lambda n: "a]" * n,
    "link openers, emph closers": lambda n: "[ a_" * n,
    "pattern [ (](": lambda n: "[ (](" * n,
    "pattern ![[]()": lambda n: "![[]()" * n,
    "reference list": lambda n: "[a]: u\n" * n + "\n" + "[a]" * n + "\n",
    "many references": lambda n: "".join(f"[{i}]: u\n" for i in range(n)) + "\n" + "[0] " * n,
    "backticks": lambda n: "".join("e" + "`" * i for i in range(1, int(n ** 0.5) * 4)),
    "backtick run e`": lambda n: "e" + "`" * n,
    "*t runs": lambda n: "*t " * n + "t*" * n,
    "unclosed links [a](b": lambda n: "[a](b" * n,
    "unclosed links [a](<b": lambda n: "[a](<b" * n,
    "nested *** mixes": lambda n: "***a " * n + "b" + " a***" * n,
    "entity-like &#": lambda n: "&#" * n,
    "entity-like &#1": lambda n: "&#1" * n + ";",
    "tables": lambda n: "aaa\rbbb\n-\v\n" * n,
    "U+0000 runs": lambda n: "abc\u0000de\u0000" * n,
    # --- markdown-it: smart quotes (typographer on), inline HTML (HTML off) ---
    "smart quotes 'a": lambda n: "'a " * n,
    'smart quotes "a': lambda n: '"a ' * n,
    "inline html <a": lambda n: "<a " * n,
    "inline html <!--": lambda n: "</" + "<!--" * n,
    # --- folio's own syntax ---
    "gaps {gap": lambda n: "{gap" * n,
    "gaps {gap: ": lambda n: "{gap: " * n + "}",
    "xrefs @sec-": lambda n: "@sec-" * n,
    "xrefs [-@sec-x": lambda n: "[-@sec-x" * n,
    "xrefs [page @sec-x": lambda n: "[page @sec-x" * n,
    "heading attrs {": lambda n: "# Title " + "{" * n + "\n\ntext\n",
    "heading attrs {#a": lambda n: "# Title " + "{#a " * n + "\n\ntext\n",
    "abbreviation defs *[A]: b": lambda n: "*[A]: b\n" * n + "\nA\n",
    "abbreviation defs *[": lambda n: "*[" * n + "\n",
    "symbols A/RES/": lambda n: "A/RES/" * n,
    "symbols A/1 ": lambda n: "A/1 " * n,
    "abbreviation uses": lambda n: "*[UNHCR]: Office of the United Nations High Commissioner"
                                   " for Refugees\n\n" + "UNHCR " * n + "\n",
    "abbreviation candidates": lambda n: " ".join(f"X{i:X}Y" for i in range(n)) + "\n",
    "footnote refs": lambda n: "[^a]" * n + "\n\n[^a]: The note.\n",
    "footnote refs missing": lambda n: "[^a" * n + "\n",
    "footnote defs uncalled": lambda n: "text\n\n" + "".join(f"[^n{i}]: note\n\n" for i in range(n)),
    "headings alike": lambda n: "## Same\n\n" * n,
    "front matter keys": lambda n: "---\n" + "".join(f"k{i}: v\n" for i in range(n)) + "---\n\ntext\n",
    "front matter [[[": lambda n: "---\ntitle: " + "[" * n + "\n---\n\ntext\n",
    # --- syntax other tools bring (issue 10); a table, a div or a note is a block of its own
    # and costs more than a line of text, so some cases repeat n / 5 times ---
    "grid table rows": lambda n: "+---+---+\n" + "| a | b |\n+---+---+\n" * (n // 2),
    "grid table, cells of blocks": lambda n: "+-----+\n" + "| a   |\n|     |\n| - b |\n" * (n // 5) + "+-----+\n",
    "grid table, broken lines": lambda n: "+---+\n" + "| a\n+-\n" * n,
    "grid borders alone": lambda n: "+---+\n" * n,
    "grid tables in grid cells": lambda n: "+-----------+\n" + "| +---+     |\n| | a |     |\n| +---+     |\n"
                                           "+-----------+\n" * (n // 5),
    "simple table rows": lambda n: "  a    b\n---  ---\n" + "  1    2\n" * (n // 2),
    "simple tables, headless": lambda n: "x\n\n" + "---  ---\n  x    y\n" * (n // 5),
    "simple table, never closed": lambda n: "x\n\n" + "---  ---\n" + "  x    y\n" * n,
    "multiline table rows": lambda n: "x\n\n------\nh    i\n---  ---\n" + "a    b\nc\n\n" * (n // 5) + "------\n",
    "multiline tables, never closed": lambda n: "x\n\n" + "------\nh    i\n---  ---\na    b\n\n" * (n // 5),
    "divs nested": lambda n: "::: {.a}\n" * n + "text\n" + ":::\n" * n,
    "divs never closed": lambda n: "::: {.a}\ntext\n\n" * n,
    "div closers alone": lambda n: ":::\n\n" * n,
    "divs in a row": lambda n: "::: warning\ntext\n:::\n\n" * (n // 5),
    "admonitions": lambda n: "!!! note\n    text\n\n" * (n // 5),
    "definition lists": lambda n: "Term\n: definition\n\n" * (n // 5),
    "definitions of one term": lambda n: "Term\n" + ": definition\n" * (n // 5),
    "inline notes ^[a]": lambda n: "^[a] " * (n // 5),
    "inline notes never closed ^[": lambda n: "^[" * n,
    "inline notes nested": lambda n: "^[a " * n + "]" * n,
    "heading refs [H]": lambda n: "# H\n\n" + "[H] " * n,
    "heading refs, openers [": lambda n: "# H\n\n" + "[" * n,
    "heading refs [a][H": lambda n: "# H\n\n" + "[a][H" * n,
    "line blocks": lambda n: "| a\n" * n,
    "citations [@a": lambda n: "[@a " * n,
    "spans [a]{": lambda n: "[a]{" * n,
    "math $a": lambda n: "$a " * n,
    "math $$a": lambda n: "$$a " * n,
    "shortcodes {{<": lambda n: "{{< " * n,
    "tex commands \\a{": lambda n: "\\a{" * n,
    "tex lines \\newpage": lambda n: "\\newpage\n" * n,
    "example items (@)": lambda n: "(@) a\n" * n,
    "scripts ~a ^a ~~a": lambda n: "~a ^a ~~a " * n,
    "dashes": lambda n: "a--b---c " * n,
}


# ---- the subprocess ----------------------------------------------------------

def _worker(case: str) -> None:
    """Build CASES[case] at N and 4N to HTML; print one JSON line: times and messages."""
    sys.path.insert(0, str(ROOT))
    from folio.build import build
    from folio.diagnostics import Reporter
    from folio.project import Project

    def timed(project) -> tuple[float, float, Reporter]:
        """Wall time (perf_counter) and this process's CPU time of one build."""
        gc.collect()
        gc.disable()  # CPython's cycle collector grows faster than linear on big heaps
        try:
            reporter = Reporter()
            wall, cpu = time.perf_counter(), time.process_time()
            build(project, ["html"], reporter, force=True)
            return time.perf_counter() - wall, time.process_time() - cpu, reporter
        finally:
            gc.enable()

    with tempfile.TemporaryDirectory() as tmp:
        projects = {}
        for name, text in (("warm", "# Warm {#sec-w}\n\nA text @sec-w.\n"),
                           (N, CASES[case](N)), (BIG, CASES[case](BIG))):
            folder = Path(tmp) / str(name)
            (folder / "src").mkdir(parents=True)
            source = folder / "src" / "case.md"
            source.write_text(text, encoding="utf-8")
            projects[name] = Project.for_source(source, root=ROOT, out_dir=folder / "out")
        timed(projects.pop("warm"))  # imports, the MarkdownIt, the Jinja templates
        # n and 4n in turns, best of a few: a busy machine slows both alike, not one of them.
        wall: dict = {N: [], BIG: []}
        cpu: dict = {N: [], BIG: []}
        messages: list = []
        started = time.perf_counter()
        while len(wall[N]) < REPEAT and (not wall[N] or time.perf_counter() - started < BUDGET):
            for n, project in projects.items():
                seconds, cpu_seconds, reporter = timed(project)
                wall[n].append(seconds)
                cpu[n].append(cpu_seconds)
                messages = [str(m) for m in reporter.messages[:20]]
    print(json.dumps({"t1": min(wall[N]), "t2": min(wall[BIG]), "c1": min(cpu[N]),
                      "c2": min(cpu[BIG]), "builds": len(wall[N]), "messages": messages}))


def run_case(case: str) -> dict:
    try:
        run = subprocess.run([sys.executable, __file__, case], capture_output=True,
                             text=True, timeout=TIMEOUT, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return {"case": case, "timeout": True}
    out = {"case": case, "timeout": False, "status": run.returncode, "stderr": run.stderr}
    lines = run.stdout.strip().splitlines()
    if run.returncode == 0 and lines:
        out.update(json.loads(lines[-1]))
    return out


# ---- the test ------------------------------------------------------------------

def _ratio(run: dict) -> float | None:
    """t(4n) / t(n), wall or CPU time, whichever is lower: other processes on the machine
    stretch the wall time, cache contention the CPU time; a quadratic stretches both."""
    if "t1" not in run or max(run["t1"], run["t2"]) < NOISE:
        return None
    return min(run["t2"] / max(run["t1"], 1e-6), run["c2"] / max(run["c1"], 1e-6))


def _measure(case: str) -> dict:
    """A ratio over the limit is measured again (up to RETRIES times) before it counts:
    a real quadratic fails every time, a burst of load on a shared machine does not."""
    run = run_case(case)
    for _ in range(RETRIES):
        if (_ratio(run) or 0) <= MAX_RATIO:
            break
        again = run_case(case)
        if "t1" in again:
            for key in ("t1", "t2", "c1", "c2"):
                run[key] = min(run[key], again[key])
    return run


def _problems(case: str, run: dict) -> list[str]:
    if run["timeout"]:
        return [f"{case}: no result within {TIMEOUT} s"]
    if run["status"] != 0 or "Traceback" in run["stderr"] or "t1" not in run:
        return [f"{case}: exit {run['status']}\n{run['stderr'][-2000:]}"]
    problems = [f"{case}: not a located message: {m!r}" for m in run["messages"] if not MESSAGE.match(m)]
    ratio = _ratio(run)
    if ratio is not None and ratio > MAX_RATIO:
        problems.append(f"{case}: t({BIG}) / t({N}) = {run['t2']:.3f} / {run['t1']:.3f}"
                        f" = {ratio:.2f} > {MAX_RATIO}")
    return problems


def test_pathological_inputs_finish_and_scale_linearly():
    with ThreadPoolExecutor(max_workers=2) as pool:  # CI has two cores
        runs = dict(zip(CASES, pool.map(_measure, CASES), strict=True))
    problems = [p for case, run in runs.items() for p in _problems(case, run)]
    _print_table(runs)
    assert not problems, "\n".join(problems)


def _print_table(runs) -> None:
    def fmt(t):
        return f"{t:8.3f}" if t is not None else "       -"
    print(f"\n{'case':32} {'t(n) s':>8} {'t(4n) s':>8} {'ratio':>6} {'cpu ratio':>9}"
          f"   (n = {N}; wall times, best of the builds)")
    for case, run in runs.items():
        t1, t2, c1, c2 = (run.get(k) for k in ("t1", "t2", "c1", "c2"))
        ratio = f"{t2 / t1:6.2f}" if t1 and t2 else "     -"
        cpu = f"{c2 / c1:9.2f}" if c1 and c2 else "        -"
        print(f"{case:32} {fmt(t1)} {fmt(t2)} {ratio} {cpu}")


if __name__ == "__main__":
    _worker(sys.argv[1])
