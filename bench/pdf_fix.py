"""The PDF after a one-word fix, against its own cold build: the seed report as it is (chapters
running on) at 1×, 10× and 50×.

    python bench/pdf_fix.py [--sizes 1,10,50] [--runs 3] [--layouts auto,single]

For each size and layout (the front matter's `pdf-layout`: `auto` cuts a long report where its
pages begin blocks; `single` is one WeasyPrint pass, what `auto` did before for chapters that
run on): a cold `folio build -f pdf` (build folder removed), then a one-word correction in the
last chapter and `folio build -f pdf` again; medians of `--runs`, and the ratio of the two
measured in this invocation (target: ≤ 0.15 at 10× and 50×). Prints the load average: a shared
machine is noisy, compare ratios."""
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
from run import PY, median, one_word, project, run  # noqa: E402


def one_size(times: int, runs: int, layout: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        where = Path(tmp)
        source = project(times, where)
        text = re.sub(r"(?m)^---\n", f"---\npdf-layout: {layout}\n", source.read_text(encoding="utf-8"), count=1)
        source.write_text(text, encoding="utf-8")
        build = [PY, "-m", "folio", "build", str(source), "-f", "pdf"]
        cold, fix, laid, pages = [], [], [], 0
        for i in range(runs):
            shutil.rmtree(where / "build", ignore_errors=True)
            source.write_text(text, encoding="utf-8")
            cold.append(run(build, where)[0])
            source.write_text(one_word(text, "appreciation" if i % 2 == 0 else "gratitude"), encoding="utf-8")
            fix.append(run(build, where)[0])
            stats = where / "build" / ".folio" / "chunks" / "last-run.json"
            if stats.exists() and layout != "single":
                record = json.loads(stats.read_text(encoding="utf-8"))
                laid.append(f"{len(record.get('laid out', []))}/{record.get('chunks')}"
                            f"+{record.get('layouts', 0)}l+{record.get('probes', 0)}p")
            pagemap = json.loads((where / "build" / ".folio" / "pagemap.json").read_text(encoding="utf-8"))
            pages = len(pagemap["pages"])
        return {"cold": median(cold), "fix": median(fix), "laid": ",".join(laid), "pages": pages}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,10,50")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--layouts", default="auto,single")
    args = parser.parse_args()
    print(f"median of {args.runs} runs; {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start")
    print(" | ".join(("size", "layout", "pages", "cold PDF s", "PDF after fix s", "fix/cold",
                      "chunks laid out/all+layouts+probes, per run")))
    for times in [int(s) for s in args.sizes.split(",")]:
        for layout in args.layouts.split(","):
            m = one_size(times, args.runs, layout)
            print(" | ".join((f"{times}×", layout, str(m["pages"]), f"{m['cold']:.2f}", f"{m['fix']:.2f}",
                              f"{m['fix'] / m['cold']:.2f}", m["laid"] or "-")), flush=True)
        print(f"  load average now {os.getloadavg()[0]:.1f}", flush=True)


if __name__ == "__main__":
    main()
