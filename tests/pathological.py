"""Pathological inputs finish quickly and grow roughly linearly: the cases and the machinery
of the tests in test_pathological*.py (one file per writer, and test_word_import_scaling.py, so
that pytest-xdist can run them side by side: one file held a worker for minutes).

The cases of the CommonMark reference implementation (cmark's test/pathological_tests.py),
markdown-it's known quadratic inputs, and folio's own syntax. Each case is built (parse,
transforms, one writer: HTML, then DOCX and PDF) at n and 4n repetitions by a warm worker
process (two per writer, each taking its cases in turn, imports paid once) under a kill timer
per case; the time is measured inside the worker around the build alone. The test
asserts that the build finishes, ends with status 0 or 1 with located messages only (no
traceback), and that time(4n) / time(n) <= 8 when the times are large enough to measure:
linear work gives 4, quadratic 16, and 8 lies between them with a factor of two to spare
either way (at n and 4n the margin was 2 against 2.5, and a shared two-core machine crossed
it). n and 4n are built in turns with a tiny document, with the cycle collector paused
(its cost on a big heap is CPython's, not folio's); the ratio is taken on wall and on CPU time,
and the lower one counts; a case over the limit is measured again. The syntax of other tools
is read by the parser into ordinary blocks, so its cases run through the HTML writer only; and
the PDF and Word writers build one case of each model shape (one_of_each_shape: half the cases
reach them as the same paragraph of plain text), the table naming the case that stands for each.

Run the tests with -s to see the table of figures. Run this file as a script (python
tests/pathological.py CASE [WRITER N]) to time one case by hand.
"""
from __future__ import annotations

import dataclasses
import gc
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from math import isqrt
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
N = 5_000
FACTOR = 4
# n per writer: WeasyPrint costs ~50 ms a page, so the PDF's n is smaller, and smaller again for
# the shapes that make a page every few repetitions (at 2,000 they are 160 pages). The Word run
# measures python-docx (the parser is HTML's): a quadratic injected into its writer of inlines
# gave 10.4 and 10.7 at N / 2 (16.2 and 14.5 at N), for half the CPU.
# The HTML run at 4,000 (its 121 cases: 91 CPU-s, 107 at N). A cost a·n + b·n² reads 8 at n when
# b·n/a = 0.5; the kramdown bug of the past read 7.5 at 2,500 (b·n/a = 0.41), so 0.66 and 8.8 at
# 4,000. A quadratic injected into the HTML writer of inlines read 14.9 and 16.1 here.
SIZES = {"html": 4_000, "docx": N // 2, "pdf": 500}
# The shapes that make a block (a table, a heading, a div) of each repetition are smaller in
# the writers that take longest over them: at N, their build took 15 to 160 times NOISE beyond
# t0 (the Word file of 20,000 tables: over a minute of CPU); at these sizes it still takes 8 to
# 14 times NOISE (CPU, measured), so that a quadratic (16) stands well clear of the limit (8)
# and of linear work (4).
SHAPE_SIZES = {
    "pdf": {"headings alike": 64, "tables": 64, "nested lists (indented)": 125},
    "docx": {"tables": N // 16, "headings alike": N // 16, "nested strong emph": N // 4,
             "nested *** mixes": N // 2},
    "html": {"divs nested": N // 4, "divs never closed": N // 4, "tables": N // 2,
             "MyST directives never closed": N // 2},
}


def size(case: str, writer: str) -> int:
    if case in ISSUE_25_CASES:
        return ISSUE_25_CASES[case][1]
    return SHAPE_SIZES[writer].get(case, SIZES[writer])


TIMEOUT = {"html": 60, "docx": 240, "pdf": 240}   # seconds, per case (its builds at n and 4n)
MAX_RATIO = 8.0         # the geometric mean of 4 (linear) and 16 (quadratic)
# Below this (after t0), both times are noise: the ratio is not checked.
NOISE = {"html": 0.05, "docx": 0.1, "pdf": 0.25}
# One round of (t0, n, 4n) builds, as a busy machine gives anyway: more rounds (while they
# took under 1 s) came only on a quiet machine, where they were least needed and a third of the
# HTML run's CPU. A ratio over the limit is measured again (RETRIES), the best of each time kept.
REPEAT, BUDGET = 1, 1.0
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
    "front matter aliases": lambda n: "---\nabbreviations-allow: [" + ", ".join(
        ["&a x"] + ["*a"] * n) + "]\n---\n\ntext\n",
    # --- the shapes of issue 16 ---
    "gap reason of spaces": lambda n: "a {gap:" + " " * n + "x\n",
    "heading of spaces": lambda n: "# Title" + " " * n + "x\n\ntext\n",
    "heading of spaces, then {": lambda n: "# Title" + " " * n + "{x\n\ntext\n",
    "table caption of spaces": lambda n: "| a |\n|---|\n| b |\n\nTable: x" + " " * n + "y\n",
    "table caption of spaces, {#": lambda n: "| a |\n|---|\n| b |\n\nTable: x" + " " * n + "{#tbl-a}x\n",
    "capitals A…A": lambda n: "A" * n + "\n",
    "capitals A…Aa": lambda n: "A" * n + "a\n",
    "capitals A.": lambda n: "A." * n + "\n",
    "capitals A-": lambda n: "A-" * n + "\n",
    "symbol-like A.A/": lambda n: "A.A/" * n + "\n",
    "distinct abbreviations": lambda n: "".join(f"*[X{i:X}Y]: Expansion {i}\n" for i in range(n // 5))
                                        + "\n" + " ".join(f"X{i:X}Y" for i in range(n // 5)) + "\n",
    "distinct abbreviations spelled out": lambda n: "".join(
        f"*[X{i:X}Y]: Expansion {i}\n" for i in range(n // 5)) + "\n" + " ".join(
        f"Expansion {i} (X{i:X}Y)" for i in range(n // 5)) + "\n",
    # isqrt: k names of 1…k letters are k²/2 letters, so the text stays linear in n
    "abbreviations that are prefixes": lambda n: "".join(f"*[{'Q' * i}]: q\n" for i in range(1, isqrt(n)))
                                                 + "\n" + " ".join("Q" * i for i in range(isqrt(n))) + "\n",
}

# Syntax other tools bring (issue 10); a table, a div or a note is a block of its own and
# costs more than a line of text, so some cases repeat n / 5 times.
OTHER_TOOL_CASES = {
    # --- other tools' syntax of issue 20 ---
    "unclosed citation [ @a": lambda n: "[" + " @a" * n + "\n",
    "text citations @a2020": lambda n: "[@k] " + "@a2020 " * n + "\n",
    "kramdown refs {{a": lambda n: "{{a" * n + "\n",
    "kramdown attributes {:a": lambda n: "{:a" * n + "\n",
    "kramdown comment {::comment}": lambda n: "{::comment}" * n + "\n",
    "heading {- - -": lambda n: "# Title {" + "- " * n + "}\n\ntext\n",
    "empty links [](#)": lambda n: "[](mailto:a@b.org)" * n + "\n",
    "front matter never closed": lambda n: "---\n" + "".join(f"k{i}: v\n" for i in range(n)) + "\ntext\n",
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
    # Raw HTML (issue 20): read by lxml into tables and formatting.
    "HTML table rows": lambda n: "<table>\n" + '<tr><td>a</td><td colspan="2">b <b>c</b></td></tr>\n' * (n // 2)
                                 + "</table>\n",
    "HTML table row spans": lambda n: "<table>\n" + '<tr><td rowspan="3">a</td><td>b</td></tr>\n' * (n // 2)
                                      + "</table>\n",
    "HTML table, Markdown cells": lambda n: "<table>\n\n" + "<tr><td>\n\n*a*\n\n</td></tr>\n\n" * (n // 5)
                                            + "</table>\n",
    "HTML table never closed": lambda n: "<table>\n<tr><td>a</td></tr>\n\n" + "Text *a*.\n\n" * (n // 2),
    "HTML blocks never closed": lambda n: "<div>\n\ntext\n\n" * (n // 2),
    "HTML inline nested <b>": lambda n: "<b>" * n + "a" + "</b>" * n,
    "HTML inline openers <sup>": lambda n: "<sup>a " * n,
    "HTML inline misnested <b><i>": lambda n: "<b><i>a</b></i> " * n,
    "HTML blocks nested <div>": lambda n: "<div>" * n + "a" + "</div>" * n + "\n",
    "HTML comments never closed": lambda n: "<!--\n" * n,
    "MyST directives": lambda n: "```{note} Title\n:class: tip\ntext\n```\n\n" * (n // 5),
    "MyST directives never closed": lambda n: "```{note}\n" * n,
    "MyST directives nested": lambda n: "".join("`" * (3 + k) + "{note}\n" for k in reversed(range(isqrt(n))))
                                        + "text\n" + "".join("`" * (3 + k) + "\n" for k in range(isqrt(n))),
}
CASES = {**CASES, **OTHER_TOOL_CASES}

# The shapes of issue 25, each through the writer it was slow in, at its own n (a few seconds).
LONG = 4_000


def _everywhere(n: int) -> str:
    """One unbroken word of n letters in the title, a heading, the body, a table cell and a note."""
    return (f"---\ntitle: {'t' * n}\n---\n\n# {'h' * n}\n\n{'b' * n}[^a]\n\n| a |\n|---|\n| {'c' * n} |\n\n"
            f"[^a]: {'n' * n}\n")


ISSUE_25_CASES = {
    "chapters": ("docx", 300, lambda n: "".join(f"# Chapter {i}\n\nText.\n\n" for i in range(n))),
    "unknown cross-references": ("html", 1_000, lambda n: "".join(
        f"## Section {i} {{#sec-{i:05d}a}}\n\nSee @sec-{i:05d}b.\n\n" for i in range(n))),
    "a long word in a table cell": ("pdf", 10_000, lambda n: "| a | b |\n|---|---|\n| x | " + "w" * n + " |\n"),
    "a long word everywhere": ("pdf", LONG, _everywhere),
    "a long word everywhere, in Word": ("docx", LONG, _everywhere),
}


# ---- the warm worker ------------------------------------------------------------
# One process per writer (two at a time) builds its cases one after the other: the imports,
# WeasyPrint's fonts and the templates are paid once, not once a case. A case that does not
# finish within TIMEOUT[writer] is killed with its process; the rest go on in a fresh one.

WARM = "# Warm {#sec-w}\n\nA text @sec-w.\n"
STARTUP = 120           # seconds for a worker's imports and its warm-up build


def _serve(writer: str, jobs: list, capture: Path, results) -> None:
    """Build each (case, n) of jobs at n and 4n with one writer; write one JSON line per case to
    results as it is done: times, messages, and what the case wrote to stdout and stderr (the
    process's own descriptors 1 and 2 lead to `capture` while it runs)."""
    sys.path.insert(0, str(ROOT))
    from folio.build import build
    from folio.diagnostics import Reporter
    from folio.project import Project
    from folio.stamps import output_paths

    def timed(project) -> tuple[float, float, Reporter]:
        """Wall time (perf_counter) and this process's CPU time of one build."""
        gc.collect()
        gc.disable()  # CPython's cycle collector grows faster than linear on big heaps
        try:
            reporter = Reporter()
            wall, cpu = time.perf_counter(), time.process_time()
            build(project, [writer], reporter, force=True)
            return time.perf_counter() - wall, time.process_time() - cpu, reporter
        finally:
            gc.enable()

    def project(folder: Path, text: str):
        (folder / "src").mkdir(parents=True)
        source = folder / "src" / "case.md"
        source.write_text(text, encoding="utf-8")
        made = Project.for_source(source, root=ROOT, out_dir=folder / "out")
        # The PDF in one pass at n and 4n alike: from 120 KB of print HTML (two cases' 4n) the
        # chunked route started layout workers, a cost the smaller build had not, in processes
        # whose CPU time this one's clock does not see (the ratio measured the switch of route).
        return dataclasses.replace(made, overrides=(("pdf-layout", "single"),)) if writer == "pdf" else made

    def measure(case: str, n: int, tmp: Path) -> dict:
        make = CASES[case] if case in CASES else ISSUE_25_CASES[case][2]
        projects = {size: project(tmp / str(size), make(size)) for size in (n, FACTOR * n)}
        # The cost of any build (a PDF's cover and fonts, the tiny document `warm`): taken off
        # both times before the ratio. It, n and 4n in turns: a busy machine slows all three
        # alike, not one of them.
        base: list = []
        wall: dict = {n: [], FACTOR * n: []}
        cpu: dict = {n: [], FACTOR * n: []}
        messages: list = []
        started = time.perf_counter()
        while len(wall[n]) < REPEAT and (not wall[n] or time.perf_counter() - started < BUDGET):
            base.append(timed(warm)[:2])
            for size, each in projects.items():
                seconds, cpu_seconds, reporter = timed(each)
                wall[size].append(seconds)
                cpu[size].append(cpu_seconds)
                messages = [str(m) for m in reporter.messages[:20]]
                if not reporter.errors and not all(p.is_file() for p in output_paths(each, writer)):
                    messages.append(f"the {writer} output was not written")
        return {"t0": min(b[0] for b in base), "c0": min(b[1] for b in base), "t1": min(wall[n]),
                "t2": min(wall[FACTOR * n]), "c1": min(cpu[n]), "c2": min(cpu[FACTOR * n]),
                "builds": len(wall[n]), "messages": messages}

    with tempfile.TemporaryDirectory() as tmp:
        warm = project(Path(tmp) / "warm", WARM)
        timed(warm)  # imports, the MarkdownIt, the Jinja templates, WeasyPrint's fonts
        print(json.dumps({"ready": True}), file=results, flush=True)
        saved = os.dup(1), os.dup(2)
        for index, (case, n) in enumerate(jobs):
            sys.stdout.flush()
            sys.stderr.flush()
            with open(capture, "wb") as sink:        # a fresh file for each case
                os.dup2(sink.fileno(), 1)
                os.dup2(sink.fileno(), 2)
            try:
                out, status = measure(case, n, Path(tmp) / f"case-{index}"), 0
            except Exception:     # the subprocess of a case of its own would have ended with 1
                traceback.print_exc()
                out, status = {}, 1
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os.dup2(saved[0], 1)
                os.dup2(saved[1], 2)
            shutil.rmtree(Path(tmp) / f"case-{index}", ignore_errors=True)
            said = capture.read_text(encoding="utf-8", errors="replace")
            print(json.dumps({"case": case, "timeout": False, "status": status, "stderr": said, **out}),
                  file=results, flush=True)


def _serve_in_turn(writer: str, jobs: list) -> dict:
    """{case: run} of jobs [(case, n), …], built one after the other by a warm worker, under a
    kill timer of TIMEOUT[writer] s a case; after a case that hangs or kills its process,
    a fresh worker takes the rest."""
    runs, pending = {}, list(jobs)
    with tempfile.TemporaryDirectory() as tmp:
        while pending:
            _worker(writer, pending, Path(tmp) / "capture", runs)
    return runs


def _worker(writer: str, pending: list, capture: Path, runs: dict) -> None:
    """Start a worker on the pending jobs; take each case off as its result (or its hang, or
    its crash) comes in; the worker ends after the last or after a case that hung or crashed."""
    proc = subprocess.Popen([sys.executable, __file__, "--serve", writer, str(capture)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, cwd=ROOT, start_new_session=True)
    proc.stdin.write(json.dumps(pending) + "\n")
    proc.stdin.close()
    lines = _lines(proc.stdout)
    limit, ready = STARTUP, False
    try:
        while pending:
            case = pending[0][0]
            try:
                line = lines.get(timeout=limit)
            except queue.Empty:
                assert ready, f"the {writer} worker did not start within {STARTUP} s"
                runs[case] = {"case": case, "timeout": True}
                pending.pop(0)
                return
            if line is None:                      # the process died in this case
                said = capture.read_text(encoding="utf-8", errors="replace") if capture.exists() else ""
                runs[case] = {"case": case, "timeout": False, "status": proc.wait(), "stderr": said}
                pending.pop(0)
                return
            if not line.startswith("{"):
                continue                          # what the worker said outside any case
            out = json.loads(line)
            if out.get("ready"):
                limit, ready = TIMEOUT[writer], True
                continue
            assert out["case"] == case, (out["case"], case)
            runs[case] = out
            pending.pop(0)
    finally:
        _end(proc)


def _lines(stream) -> queue.Queue:
    """The lines of stream as they come, then None, read by a thread: a queue waits with a timeout."""
    lines: queue.Queue = queue.Queue()

    def read():
        for line in stream:
            lines.put(line)
        lines.put(None)
    threading.Thread(target=read, daemon=True).start()
    return lines


def _end(proc: subprocess.Popen) -> None:
    """Kill a worker and what it started (a build's layout workers), and reap it."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


def _serve_two(writer: str, cases: list) -> dict:
    """{case: run}, the cases shared between two warm workers (CI has two cores)."""
    jobs = [(case, size(case, writer)) for case in cases]
    with ThreadPoolExecutor(max_workers=2) as pool:
        halves = pool.map(lambda half: _serve_in_turn(writer, half), [jobs[0::2], jobs[1::2]])
        runs = {k: v for half in halves for k, v in half.items()}
    return {case: runs[case] for case in cases}


# ---- what the tests call ------------------------------------------------------------

def _ratio(run: dict, writer: str = "html") -> float | None:
    """t(4n) / t(n), wall or CPU time, whichever is lower: other processes on the machine
    stretch the wall time, cache contention the CPU time; a quadratic stretches both. The time
    of a build of a tiny document (t0) is taken off both first."""
    if "t1" not in run:
        return None
    wall = [run[key] - run["t0"] for key in ("t1", "t2")]
    cpu = [run[key] - run["c0"] for key in ("c1", "c2")]
    noise = NOISE[writer]
    if max(wall) < noise:
        return None
    return min(wall[1] / max(wall[0], noise), cpu[1] / max(cpu[0], noise))


def _measure(writer: str, cases: list) -> dict:
    """{case: run}. A ratio over the limit is measured again (up to RETRIES times) before it
    counts: a real quadratic fails every time, a burst of load on a shared machine does not."""
    runs = _serve_two(writer, cases)
    for _ in range(RETRIES):
        over = [case for case, run in runs.items() if (_ratio(run, writer) or 0) > MAX_RATIO]
        if not over:
            break
        for case, again in _serve_two(writer, over).items():
            if "t1" in again:
                for key in ("t0", "t1", "t2", "c0", "c1", "c2"):
                    runs[case][key] = min(runs[case][key], again[key])
    return runs


def _problems(case: str, run: dict, writer: str = "html") -> list[str]:
    n = size(case, writer)
    if run["timeout"]:
        return [f"{case} ({writer}): no result within {TIMEOUT[writer]} s"]
    if run["status"] != 0 or "Traceback" in run["stderr"] or "t1" not in run:
        return [f"{case} ({writer}): exit {run['status']}\n{run['stderr'][-2000:]}"]
    problems = [f"{case} ({writer}): not a located message: {m!r}" for m in run["messages"]
                if not MESSAGE.match(m)]
    ratio = _ratio(run, writer)
    if ratio is not None and ratio > MAX_RATIO:
        problems.append(f"{case} ({writer}): t({FACTOR * n}) / t({n}) = {run['t2']:.3f} / {run['t1']:.3f}"
                        f" = {ratio:.2f} > {MAX_RATIO}")
    return problems


# Other tools' syntax (issue 10): the parser makes ordinary blocks of it, which the writers
# see in the other cases; through the heavy writers these would only add minutes.
OTHER_TOOLS = frozenset(OTHER_TOOL_CASES)


# ---- what a writer sees of a case ------------------------------------------------------------
# Most cases are the parser's trouble: half of them come out of it as one paragraph of plain
# text (16 as one long word of brackets, backticks or marks, 13 as many short words). A writer
# is handed the model, not the source: two cases whose models have the same shape (the same
# nodes, nested alike, their text of the same kind) take it down the same paths at the same
# size, and the second measures nothing the first did not. Through the PDF and Word writers
# (a build there costs ~0.7 s before any text) one case of each shape is built; a case whose
# source is refused before any writer runs (a located error) is measured by the HTML run,
# which parses it as every writer would.

def _text_kind(text: str) -> tuple:
    """What a writer's line breaking, hyphenation, runs and escaping make of a text: one word or
    many, the longest short or long, of letters or not, whether spaces come in long runs, and
    whether it holds characters that markup escapes or that are not printable."""
    words = text.split()
    escaped = (not all(c.isprintable() or c.isspace() for c in text), bool(set("&<>\"'") & set(text)))
    if not words:
        return ("spaces", len(text) > 30, *escaped)
    longest = max(words, key=len)
    return (len(words) > 1, len(longest) > 30, longest.isalpha(), " " * 31 in text, *escaped)


def _shape(node) -> tuple | None:
    """The model's nodes as a nested tuple of their types (text by its kind), a run of equal
    siblings as one: n and 4n repetitions of a case have the same shape."""
    from folio.model import nodes as m
    if isinstance(node, (list, tuple)):
        out: list = []
        for shape in filter(None, map(_shape, node)):
            if not out or out[-1] != shape:
                out.append(shape)
        return tuple(out) or None
    if isinstance(node, str):
        return _text_kind(node)
    if dataclasses.is_dataclass(node) and type(node).__module__ == m.__name__:
        fields = [(f.name, getattr(node, f.name)) for f in dataclasses.fields(node) if f.name != "loc"]
        shapes = ((name, _shape(value)) for name, value in fields if name == "text" or not isinstance(value, str))
        return (type(node).__name__, tuple((name, shape) for name, shape in shapes if shape))
    return None


def model_shape(text: str, writer: str) -> tuple | None:
    """The shape of a source's model (body, notes, the title's kind), or None when the source is
    refused before any writer (a located error; its font check as the writer's build has it)."""
    sys.path.insert(0, str(ROOT))
    from folio.build import load
    from folio.diagnostics import FolioError, Reporter
    from folio.project import Project
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "case.md"
        source.write_text(text, encoding="utf-8")
        reporter = Reporter()
        try:
            doc = load(Project.for_source(source, root=ROOT, out_dir=Path(tmp) / "out"), reporter,
                       font="" if writer == "pdf" else "warning")
        except FolioError:
            return None
        if reporter.errors:
            return None
        return (_shape(doc.blocks), _shape(list(doc.footnotes.values())),
                _text_kind(str(doc.meta.get("title", ""))))


# The size at which a case's shape is taken: the same shape as at its full size (a run of equal
# siblings is one, and a text's kind changes at 30 characters), for a tenth of the parsing:
# at 500 and at the full sizes, every case of the Word and PDF runs fell in the same groups.
SHAPE_N = 500


def one_of_each_shape(writer: str, cases: list) -> tuple[list, dict]:
    """(the cases to build, {case left out: the case of its shape, or "" if HTML measures it})."""
    kept, seen, left = [], {}, {}
    for case in cases:
        make = CASES[case] if case in CASES else ISSUE_25_CASES[case][2]
        try:
            shape = model_shape(make(min(size(case, writer), SHAPE_N)), writer)
        except Exception:           # a crash: the writer's own run shows it, with its traceback
            kept.append(case)
            continue
        if shape is None:
            left[case] = ""
        elif shape in seen:
            left[case] = seen[shape]
        else:
            seen[shape] = case
            kept.append(case)
    return kept, left


def check_all(writer: str) -> None:
    """Every case through one writer (other tools' syntax through HTML only, and through the
    heavy writers one case of each model shape): all finish with located messages and scale
    linearly."""
    cases = [c for c in CASES if writer == "html" or c not in OTHER_TOOLS]
    if writer != "html":
        cases, left = one_of_each_shape(writer, cases)
        print(f"\n{writer}: measured by the case of the same shape (or by HTML's, refused before any writer):")
        for case, by in left.items():
            print(f"  {case:40} {by or '(html)'}")
    runs = _measure(writer, cases)
    problems = [p for case, run in runs.items() for p in _problems(case, run, writer)]
    _print_table(runs, writer)
    assert not problems, "\n".join(problems)


def issue_25_cases(writer: str) -> list[str]:
    return [case for case, (its_writer, _, _) in ISSUE_25_CASES.items() if its_writer == writer]


def check_issue_25(case: str) -> None:
    """One shape of issue 25 through the writer it was slow in."""
    writer = ISSUE_25_CASES[case][0]
    run = _measure(writer, [case])[case]
    _print_table({case: run}, writer)
    problems = _problems(case, run, writer)
    assert not problems, "\n".join(problems)

def _print_table(runs, writer: str) -> None:
    def fmt(t):
        return f"{t:8.3f}" if t is not None else "       -"
    print(f"\n{writer}: {'case':32} {'t0 s':>8} {'t(n) s':>8} {'t(4n) s':>8} {'ratio':>6}"
          f"   (n = {SIZES[writer]} unless SHAPE_SIZES says; wall times, best of the builds; the ratio"
          " after t0)")
    for case, run in runs.items():
        ratio = _ratio(run, writer)
        shown = f"{ratio:6.2f}" if ratio is not None else "     -"
        print(f"{case:40} {fmt(run.get('t0'))} {fmt(run.get('t1'))} {fmt(run.get('t2'))} {shown}")


# ---- the Word import (issue 25) ----------------------------------------------------------
# Edited Word files (tests/import_cases.py) at n and 4n, each imported in a subprocess of its
# own with a kill timer: the time of the import alone (best of two, wall and CPU), and the
# process's peak memory, which must stay bounded (12,000 comment ranges never closed took 5.8 GB).

IMPORT_SIZES = {"tracked changes in one paragraph": 1000, "three-way merge of a long report": 500,
                "comment ranges never closed": 3000, "a long text node": 200}
IMPORT_TIMEOUT = 240            # seconds, per case and size
IMPORT_MEMORY = 400             # MB: the peak of a process that builds the DOCX and imports it, at 4n
IMPORT_NOISE = 0.1


def _import_worker(case: str, n: int) -> None:
    """Make CASES[case] at n, import it twice; print one JSON line: best time, peak memory."""
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "tests"))
    from import_cases import CASES as MAKERS
    from import_cases import peak_mb

    from folio.corrections import import_docx
    from folio.diagnostics import Reporter
    with tempfile.TemporaryDirectory() as tmp:
        source, project, data = MAKERS[case](n, Path(tmp))
        docx = Path(tmp) / "edited.docx"
        docx.write_bytes(data)
        times, cpus, messages = [], [], []
        for _ in range(2):
            reporter = Reporter()
            started, cpu = time.perf_counter(), time.process_time()
            import_docx(docx, source.read_text(encoding="utf-8"), "source/report.md", reporter, project=project)
            times.append(time.perf_counter() - started)
            cpus.append(time.process_time() - cpu)
            messages = [str(m) for m in reporter.messages if m.severity != "note"][:5]
    peak = peak_mb()
    print(json.dumps({"t": min(times), "c": min(cpus), "mb": peak, "messages": messages, "kb": len(data) // 1024}))


def import_run(case: str, n: int) -> dict:
    try:
        run = subprocess.run([sys.executable, __file__, "--import", case, str(n)], capture_output=True, text=True,
                             timeout=IMPORT_TIMEOUT, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return {"timeout": True}
    lines = run.stdout.strip().splitlines()
    if run.returncode or not lines:
        return {"timeout": False, "error": run.stderr[-2000:]}
    return {"timeout": False, **json.loads(lines[-1])}


def import_ratio(small: dict, large: dict) -> float | None:
    """t(4n) / t(n), wall or CPU time, whichever is lower (as _ratio says why); None when the
    import at 4n is too quick to measure."""
    if large["t"] < IMPORT_NOISE:
        return None
    return min(large[key] / max(small[key], IMPORT_NOISE) for key in ("t", "c"))


if __name__ == "__main__":
    if sys.argv[1] == "--import":
        _import_worker(sys.argv[2], int(sys.argv[3]))
    elif sys.argv[1] == "--serve":          # the warm worker: its jobs come on stdin
        _serve(sys.argv[2], json.loads(sys.stdin.readline()), Path(sys.argv[3]), sys.stdout)
    else:                                   # one case by hand: CASE [WRITER [N]]
        writer = sys.argv[2] if len(sys.argv) > 2 else "html"
        n = int(sys.argv[3]) if len(sys.argv) > 3 else size(sys.argv[1], writer)
        with tempfile.TemporaryDirectory() as folder:
            _serve(writer, [(sys.argv[1], n)], Path(folder) / "capture", sys.stdout)
