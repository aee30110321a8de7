"""The PDF after a one-word fix, against its own cold build: the seed report as it is (chapters
running on) at 1×, 10× and 50×.

    python bench/pdf_fix.py [--sizes 1,10,50] [--runs 3] [--layouts auto,single] [--baseline DIR] [--colds N]

For each size and layout (the front matter's `pdf-layout`: `auto` cuts a long report where its
pages begin blocks; `single` is one WeasyPrint pass, what `auto` did before for chapters that
run on): a cold `folio build -f pdf` (build folder removed), then a one-word correction in the
last chapter and `folio build -f pdf` again; medians of `--runs`, and the ratio of the two
measured in this invocation (target: ≤ 0.15 at 10× and 50×), in wall seconds and in CPU seconds
(user + system of the whole process tree: what a loaded machine disturbs least). --baseline DIR:
a folio source tree measured the same way, run for run interleaved with this one (its folio
first on PYTHONPATH), and this tree's fix against the baseline's. Prints the load average: a
shared machine is noisy, compare ratios."""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import CPU, PY, median, one_word, project, run  # noqa: E402


def one_size(times: int, runs: int, layout: str, trees: list, colds: int | None = None) -> dict:
    """Per tree (name, env): medians of the cold and the fix builds (wall and CPU), each tree
    in its own project copy, the runs interleaved (run 1 of every tree, then run 2...). With
    `colds` fewer than `runs`, the later fixes start from a copy of the last cold build's folder."""
    with tempfile.TemporaryDirectory() as tmp:
        places = {}
        for name, _ in trees:
            where = Path(tmp) / name.replace(" ", "-")
            where.mkdir()
            source = project(times, where)
            text = re.sub(r"(?m)^---\n", f"---\npdf-layout: {layout}\n", source.read_text(encoding="utf-8"), count=1)
            source.write_text(text, encoding="utf-8")
            places[name] = (where, source, text)
        found = {name: {k: [] for k in ("cold", "fix", "cold_cpu", "fix_cpu", "laid")} for name, _ in trees}
        pages = 0
        for i in range(runs):
            for name, env in trees:
                where, source, text = places[name]
                r = found[name]
                build = [PY, "-m", "folio", "build", str(source), "-f", "pdf"]
                shutil.rmtree(where / "build", ignore_errors=True)
                source.write_text(text, encoding="utf-8")
                if i < (colds or runs):
                    r["cold"].append(run(build, where, env=env, memory=False)[0])
                    r["cold_cpu"].append(CPU["last"])
                    shutil.rmtree(where.parent / f"{where.name}-cold", ignore_errors=True)
                    shutil.copytree(where / "build", where.parent / f"{where.name}-cold")
                else:
                    shutil.copytree(where.parent / f"{where.name}-cold", where / "build")
                source.write_text(one_word(text, "appreciation" if i % 2 == 0 else "gratitude"), encoding="utf-8")
                r["fix"].append(run(build, where, env=env, memory=False)[0])
                r["fix_cpu"].append(CPU["last"])
                stats = where / "build" / ".folio" / "chunks" / "last-run.json"
                if stats.exists() and layout != "single":
                    record = json.loads(stats.read_text(encoding="utf-8"))
                    r["laid"].append(f"{len(record.get('laid out', []))}/{record.get('chunks')}"
                                     f"+{record.get('layouts', 0)}l+{record.get('probes', 0)}p")
                pagemap = json.loads((where / "build" / ".folio" / "pagemap.json").read_text(encoding="utf-8"))
                pages = len(pagemap["pages"])
        return {name: {**{k: median(v) for k, v in r.items() if k != "laid"}, "laid": ",".join(r["laid"]),
                       "pages": pages} for name, r in found.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,10,50")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--layouts", default="auto,single")
    parser.add_argument("--baseline", type=Path, default=None)
    parser.add_argument("--colds", type=int, default=None,
                        help="cold builds per tree (default: --runs); the other fixes start from a copy of the last")
    args = parser.parse_args()
    trees = [("this tree", None)]
    if args.baseline:
        trees.append(("baseline", {"PYTHONPATH": str(args.baseline.resolve())}))
    print(f"median of {args.runs} runs; {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start")
    print(" | ".join(("size", "layout", "tree", "pages", "cold PDF s", "PDF after fix s", "fix/cold",
                      "cold CPU s", "fix CPU s", "fix/cold CPU", "chunks laid out/all+layouts+probes, per run")))
    for times in [int(s) for s in args.sizes.split(",")]:
        for layout in args.layouts.split(","):
            found = one_size(times, args.runs, layout, trees, args.colds)
            for name, m in found.items():
                print(" | ".join((f"{times}×", layout, name, str(m["pages"]), f"{m['cold']:.2f}", f"{m['fix']:.2f}",
                                  f"{m['fix'] / m['cold']:.2f}", f"{m['cold_cpu']:.2f}", f"{m['fix_cpu']:.2f}",
                                  f"{m['fix_cpu'] / m['cold_cpu']:.2f}", m["laid"] or "-")), flush=True)
            if args.baseline:
                mine, base = found["this tree"], found["baseline"]
                print(f"  this tree / baseline: fix wall {mine['fix'] / base['fix']:.2f}, fix CPU"
                      f" {mine['fix_cpu'] / base['fix_cpu']:.2f}, cold wall {mine['cold'] / base['cold']:.2f},"
                      f" cold CPU {mine['cold_cpu'] / base['cold_cpu']:.2f}", flush=True)
        print(f"  load average now {os.getloadavg()[0]:.1f}", flush=True)


if __name__ == "__main__":
    main()
