"""The chunked route, start to end: split, lay out in workers (or take from the cache),
settle the numbers, lay out the frames, stitch.

Every chunk is submitted at once, in document order, with the best numbers known (the last
build's, else estimates): a chunk whose shown numbers turn out wrong is laid out again,
which after a first build is rare. A frame segment is laid out as soon as every chunk up
to its own has been laid out; a segment whose pages changed since is laid out again."""
from __future__ import annotations

import json
import re
import time
from concurrent.futures import FIRST_COMPLETED, wait
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from ...diagnostics import FolioError, Kind, Location, Reporter
from ...files import is_inside, write_atomic
from ...project import Project
from . import cache as caching
from . import frames, plan, stitch
from .numbers import Sequence, chunk_key, sequence
from .pool import Pool, workers_wanted
from .worker import Job, run

MAX_ROUNDS = 6            # layouts of one chunk before the route gives up (numbers that never settle)
HINTS = "hints.json"
STATS = "last-run.json"
URL = re.compile(r"url\(\s*['\"]?([^'\")\s]+)")


class Unsettled(Exception):
    """The chunked layout could not settle (a writer falls back to a single pass)."""


@dataclass
class Options:
    numbering: object            # callable: pages (objects with .anchors) → [(number, style)]
    label: object                # callable: (number, style) → printed label
    facts: tuple | None = None   # per-page hook run in the workers (see worker.Job)
    tagging: str | None = None
    workers: int | None = None


@dataclass
class Page:
    """A page of the stitched file, for fingerprints and the page map."""
    label: str
    number: int
    style: str
    text: str
    chunk: object = None          # worker.PageFacts of the chunk page (None: a blank page)
    frame: object = None          # worker.PageFacts of its frame page


@dataclass
class Output:
    pdf: bytes
    pages: list
    stats: dict = field(default_factory=dict)


def write(page_html: str, project: Project, reporter: Reporter, options: Options) -> Output:
    started = time.perf_counter()
    base = project.root.as_uri() + "/"
    laid = plan.split(page_html, base, read=_reader(project))
    split_seconds = time.perf_counter() - started
    store = caching.Cache(project.out_dir / caching.FOLDER)
    hints = _load(store.folder / HINTS)
    with Pool(options.workers or workers_wanted(len(laid.chunks))) as pool:
        route = Route(laid, project, store, pool, options, hints)
        route.run()
    refused = sorted({url for r in route.all_results() for url in r.refused})
    for url in refused:
        reporter.error(Location(project.shown(project.source)),
                       f"refused to fetch '{url}': only files inside the project are read", Kind.FILE)
    if refused:
        raise FolioError("fetch")
    stitching = time.perf_counter()
    output = route.stitched()
    output.stats.update(seconds=round(time.perf_counter() - started, 3), chunks=len(laid.chunks),
                        split=round(split_seconds, 3), stitch=round(time.perf_counter() - stitching, 3))
    _save(store.folder / HINTS, route.hints())
    _save(store.folder / STATS, output.stats)
    store.prune()
    return output


class Route:
    def __init__(self, laid, project, store, pool, options, hints):
        self.plan, self.project, self.cache, self.pool = laid, project, store, pool
        self.options, self.known = options, hints
        self.salt = _salt(laid)
        self.results: dict[int, tuple[str, object]] = {}    # chunk → (key, Rendered)
        self.frames: dict[str, object] = {}                  # frame key → Rendered
        self.pending: dict = {}                              # future → (kind, chunk or None, key)
        self.sides: dict[int, str] = {}                      # chunks laid out on a forced side
        self.rounds: dict[int, int] = {}
        self.owner = {name: c.index for c in laid.chunks for name in c.anchors}
        self.stats = {"laid out": [], "from cache": [], "frames laid out": 0, "frames from cache": 0}

    # ---- the loop ----------------------------------------------------------------------------

    def run(self) -> None:
        idle = 0
        while True:
            seq = self.sequence()
            wanted = {c.index: self.chunk_job(c, seq) for c in self.plan.chunks}
            self.submit_chunks(wanted)
            settled = all(self.final(k, job) for k, job in wanted.items())
            segments = self.segments(seq, wanted)
            self.submit_frames(segments)
            if settled and len(segments) == len(self.plan.chunks) and not self.pending \
                    and all(s.key in self.frames for s in segments):
                if self.sides_agree(seq, segments):
                    self.seq, self.segment_list = seq, segments
                    return
                continue
            if self.pending:
                idle = 0
                done, _ = wait(list(self.pending), return_when=FIRST_COMPLETED)
                for future in done:
                    self.collect(future)
            else:
                idle += 1   # progress came from the cache; it cannot go on forever
                if idle > 2 * len(self.plan.chunks) + 4:
                    raise Unsettled("no layout left to wait for, and nothing settled")

    def final(self, index: int, job: Job) -> bool:
        return index in self.results and self.results[index][0] == job.key

    def sequence(self) -> Sequence:
        results = {k: r for k, (_, r) in self.results.items()}
        first = results[0].pages[0].side if 0 in results and results[0].pages else "right"
        return sequence(self.plan, results, first, self.options.numbering, self.options.label,
                        self.known.get("counts", {}))

    def chunk_job(self, chunk, seq: Sequence) -> Job:
        labels = {t: seq.label(t, self.known.get("labels", {})) for t in chunk.targets}
        html = chunk.html(labels, self.sides.get(chunk.index, "right"))
        return self.job("chunk", html, self.images(chunk))

    def job(self, kind: str, html: str, extra: str = "") -> Job:
        chunk = kind == "chunk"
        key = caching.key(kind, self.salt, extra, html,
                          repr((self.options.facts, self.options.tagging)) if chunk else "")
        return Job(kind, html, self.plan.base_url, str(self.project.root), key,
                   self.options.facts if chunk else None, self.options.tagging if chunk else None)

    def submit_chunks(self, wanted: dict) -> None:
        flying = {key for _, _, key in self.pending.values()}
        for index, job in wanted.items():
            if self.final(index, job) or job.key in flying:
                continue
            cached = self.cache.get(job.key)
            if cached is not None:
                self.results[index] = (job.key, cached)
                self.stats["from cache"].append(index)
                continue
            if any(k == index for _, k, _ in self.pending.values()):
                continue   # an older layout of it is running: its page count may be enough
            if index in self.results and not self.ready(index) and len(self.pending) >= self.pool.size:
                continue   # numbers still moving: lay it out again once they are known
            self.rounds[index] = self.rounds.get(index, 0) + 1
            if self.rounds[index] > MAX_ROUNDS:
                raise Unsettled(f"chunk {index} laid out {MAX_ROUNDS} times without settling")
            self.pending[self.pool.submit(run, job)] = ("chunk", index, job.key)

    def ready(self, index: int) -> bool:
        """Are the numbers a chunk shows known: every chunk up to the last one holding one of
        its targets laid out?"""
        owners = [self.owner.get(t, len(self.plan.chunks) - 1) for t in self.plan.chunks[index].targets]
        return all(k in self.results for k in range(max(owners, default=-1) + 1))

    def submit_frames(self, segments: list) -> None:
        flying = {key for _, _, key in self.pending.values()}
        for segment in segments:
            if segment.key in self.frames or segment.key in flying:
                continue
            cached = self.cache.get(segment.key)
            if cached is not None:
                self.frames[segment.key] = cached
                self.stats["frames from cache"] += 1
                continue
            self.pending[self.pool.submit(run, segment.job)] = ("frame", None, segment.key)

    def collect(self, future) -> None:
        kind, index, key = self.pending.pop(future)
        try:
            rendered = future.result()
        except Exception as exc:   # a worker died or WeasyPrint failed: the route cannot go on
            raise Unsettled(f"a layout worker failed: {exc!r}") from exc
        self.cache.put(key, rendered)
        self.stats[f"{kind} seconds"] = round(self.stats.get(f"{kind} seconds", 0) + rendered.seconds, 3)
        self.stats[f"{kind} cpu"] = round(self.stats.get(f"{kind} cpu", 0) + rendered.cpu, 3)
        if kind == "chunk":
            self.results[index] = (key, rendered)
            self.stats["laid out"].append(index)
        else:
            self.frames[key] = rendered
            self.stats["frames laid out"] += 1

    # ---- frames --------------------------------------------------------------------------

    def segments(self, seq: Sequence, wanted: dict) -> list:
        """Frame segments of every chunk whose predecessors (and itself) are laid out."""
        out, strings, previous_name = [], {}, None
        for chunk in self.plan.chunks:
            if chunk.index not in self.results:
                break
            rendered = self.results[chunk.index][1]
            start = seq.first[chunk.index]
            blank = start > 0 and seq.slots[start - 1].chunk is None
            pages = [frames.FramePage(facts.name, seq.slots[start + j].side, seq.numbering[start + j][0],
                                      facts.strings, blank_before=(j == 0 and blank))
                     for j, facts in enumerate(rendered.pages)]
            stub = None if chunk.index == 0 else (previous_name, "", sorted(strings.items()))
            segment = frames.Segment(pages, stub, chunk.blank_name, seq.slots[0].side)
            html = frames.html(segment, self.plan.head, *reversed(self.plan.attributes))
            job = self.job("frame", html)
            segment.key, segment.job, segment.chunk = job.key, job, chunk.index
            out.append(segment)
            for facts in rendered.pages:
                strings.update(dict(facts.strings))
            previous_name = rendered.pages[-1].name if rendered.pages else previous_name
        return out

    def sides_agree(self, seq: Sequence, segments: list) -> bool:
        """A chunk laid out on the other side is shifted, not laid out again, when both sides
        give pages the same content box; where they do not, it is laid out on its own side."""
        agree = True
        for segment in segments:
            framed = self.frame_pages(segment)
            rendered = self.results[segment.chunk][1]
            for facts, frame in zip(rendered.pages, framed, strict=True):
                if _content_box(facts) != _content_box(frame):
                    first = seq.slots[seq.first[segment.chunk]].side
                    if self.sides.get(segment.chunk) == first:
                        raise Unsettled(f"chunk {segment.chunk}: its pages differ from their frames")
                    self.sides[segment.chunk] = first
                    agree = False
                    break
        return agree

    def frame_pages(self, segment) -> list:
        """The segment's laid-out frame pages that belong to chunk pages (stub, blank left out)."""
        pages = self.frames[segment.key].pages[1 if segment.stub else 0:]
        expected = sum(2 if p.blank_before else 1 for p in segment.pages)
        if len(pages) != expected:
            raise Unsettled(f"frame segment of chunk {segment.chunk}: {len(pages)} pages, {expected} expected")
        return [p for p in pages if not p.blank]

    # ---- the file --------------------------------------------------------------------------

    def stitched(self) -> Output:
        seq, placed, pages, marks, anchors = self.seq, [], [], [], {}
        by_chunk = {s.chunk: s for s in self.segment_list}
        segment_index = {s.chunk: i for i, s in enumerate(self.segment_list)}
        for i, slot in enumerate(seq.slots):
            owner = slot.chunk if slot.chunk is not None else seq.slots[i + 1].chunk
            segment = by_chunk[owner]
            laid = self.frames[segment.key].pages
            offset = (1 if segment.stub else 0) + (i - seq.first[owner]) + (
                1 if seq.first[owner] > 0 and seq.slots[seq.first[owner] - 1].chunk is None else 0)
            frame = laid[offset]
            number, style = seq.numbering[i]
            if slot.chunk is None:
                placed.append(stitch.Placed(None, 0, (segment_index[owner], offset), 0.0, frame.height))
                pages.append(Page(seq.labels[i], number, style, frame.text, None, frame))
                continue
            facts = self.results[slot.chunk][1].pages[slot.page]
            dx = (frame.margins[3] - facts.margins[3]) * stitch.SCALE
            placed.append(stitch.Placed(slot.chunk, slot.page, (segment_index[owner], offset), dx, facts.height))
            pages.append(Page(seq.labels[i], number, style, facts.text + frame.text, facts, frame))
            marks += [stitch.Mark(i, x, y, label, level, state) for level, label, (x, y), state in facts.bookmarks]
        for name, (index, x, y) in seq.anchors.items():
            anchors[name] = stitch.Mark(index, x, y)
        pdf = stitch.stitch([self.results[c.index][1].pdf for c in self.plan.chunks],
                            [self.frames[s.key].pdf for s in self.segment_list],
                            placed, anchors, marks, seq.numbering)
        return Output(pdf, pages, self.stats)

    def all_results(self) -> list:
        return [r for _, r in self.results.values()] + list(self.frames.values())

    def hints(self) -> dict:
        seq = self.seq
        counts = {chunk_key(c): len(self.results[c.index][1].pages) for c in self.plan.chunks}
        targets = {t for c in self.plan.chunks for t in c.targets}
        return {"counts": counts, "labels": {t: seq.label(t, {}) for t in sorted(targets)}}

    def images(self, chunk) -> str:
        """A digest of the files a chunk's elements point to (images), read once per build."""
        urls = sorted({e.get("src") for e in chunk.tree.iter() if isinstance(e.tag, str) and e.get("src")})
        return ";".join(f"{u}={_file_digest(u, self.project)}" for u in urls)


def _content_box(facts) -> tuple:
    top, right, bottom, left = facts.margins
    return round(facts.width - left - right, 2), round(facts.height - top - bottom, 2), round(top, 2)


def _salt(laid) -> str:
    """What a chunk's PDF depends on besides its HTML: the stylesheets' files and the files
    they point to (fonts), and the code and libraries that lay out and write it."""
    parts = [metadata.version("weasyprint"), metadata.version("pydyf")]
    here = Path(__file__).parent
    for path in sorted(here.glob("*.py")) + [here.parent / "fetcher.py"]:
        parts.append(caching.key(path.read_bytes()))
    for sheet in laid.sheets:
        parts.append(caching.key(sheet.text))
        for url in sorted(set(URL.findall(sheet.text))):
            parts.append(f"{url}={_url_digest(sheet.url, url)}")
    return caching.key(*parts)


def _url_digest(base: str, url: str) -> str:
    from urllib.parse import unquote, urljoin, urlparse
    parsed = urlparse(urljoin(base, url))
    path = Path(unquote(parsed.path))
    try:
        return caching.key(path.read_bytes()) if parsed.scheme == "file" else url
    except OSError:
        return "missing"


def _file_digest(url: str, project: Project) -> str:
    return _url_digest(project.root.as_uri() + "/", url)


def _reader(project: Project):
    """Stylesheets the chunker reads: files inside the project only (the workers' fetcher
    refuses and reports the others)."""
    from urllib.parse import unquote, urlparse

    def read(url: str) -> str:
        parsed = urlparse(url)
        path = Path(unquote(parsed.path))
        if parsed.scheme != "file" or not is_inside(path, project.root) or not path.is_file():
            return ""
        return path.read_text(encoding="utf-8", errors="replace")
    return read


def _load(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _save(path: Path, data: dict) -> None:
    try:
        write_atomic(path, json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8"))
    except OSError:
        pass
