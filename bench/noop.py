"""A build with nothing to do: `invoke build` and `folio build` on the seed report, built once.

    python bench/noop.py [--runs 9] [--baseline DIR] [--no-bytecode]

Each command is run `--runs` times, interleaved with the floors it cannot go below: `python -c
pass` (the interpreter and the venv's site) and `invoke --list` (invoke's own start and the
project's tasks.py); medians of wall time and of CPU time (user + system of the process and
what it waited for: under load the CPU time is the steadier figure). --baseline DIR: a folio
source tree to measure too, in the same invocation (its folio first on PYTHONPATH, its
tasks.py in its project), e.g. `git archive <commit> | tar -x -C DIR`. Target (issue 22): the
no-op in at most 0.3 s. Python writes its bytecode caches here (PYTHONDONTWRITEBYTECODE is
unset), as on a user's machine; --no-bytecode sets it and removes the trees' folio/**/__pycache__
(every folio module compiled at each start, as where the caches cannot be written: what the
issue's 0.96–1.08 s was measured with)."""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import PY, ROOT, median  # noqa: E402

ENV = dict(os.environ)     # without PYTHONDONTWRITEBYTECODE: run.py lifts it for every bench


def project(tree: Path, where: Path) -> Path:
    """A copy of the seed project of `tree` (templates, styles, source, tasks.py)."""
    for folder in ("templates", "styles", "source"):
        shutil.copytree(tree / folder, where / folder)
    shutil.copy(tree / "tasks.py", where / "tasks.py")
    return where


def timed(cmd: list[str], cwd: Path, env: dict) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds, stdout) of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    run = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    if run.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{run.stderr}")
    return wall, cpu, run.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--baseline", type=Path, default=None)
    parser.add_argument("--no-bytecode", action="store_true")
    args = parser.parse_args()
    if args.no_bytecode:
        ENV["PYTHONDONTWRITEBYTECODE"] = "1"
        for tree in [ROOT, *([args.baseline] if args.baseline else [])]:
            for cache in (tree / "folio").rglob("__pycache__"):
                shutil.rmtree(cache)
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start")
    trees = [("this tree", ROOT, ENV)]
    if args.baseline:
        trees.append(("baseline", args.baseline.resolve(), {**ENV, "PYTHONPATH": str(args.baseline.resolve())}))
    with tempfile.TemporaryDirectory() as tmp:
        cases = []
        for name, tree, env in trees:
            where = project(tree, Path(tmp) / name.replace(" ", "-"))
            timed([PY, "-m", "invoke", "build"], where, env)            # the outputs, built once
            timed([PY, "-m", "invoke", "build"], where, env)            # and the no-op's record
            cases += [(f"{name}: invoke build", [PY, "-m", "invoke", "build"], where, env),
                      (f"{name}: folio build", [PY, "-m", "folio", "build", "source/report.md"], where, env)]
        floors = [("python -c pass", [PY, "-c", "pass"], Path(tmp), ENV),
                  ("invoke --list", [PY, "-m", "invoke", "--list"], Path(tmp) / "this-tree", ENV)]
        figures: dict = {name: ([], []) for name, *_ in floors + cases}
        for _ in range(args.runs):
            for name, cmd, cwd, env in floors + cases:
                wall, cpu, out = timed(cmd, cwd, env)
                if "rebuilt" in out:
                    raise SystemExit(f"{name}: not a no-op:\n{out}")
                figures[name][0].append(wall)
                figures[name][1].append(cpu)
    print(f"medians of {args.runs} | wall s | CPU s")
    for name, (walls, cpus) in figures.items():
        print(f"{name:28} | {median(walls):6.3f} | {median(cpus):6.3f}")
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
