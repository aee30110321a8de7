"""The chunked route, start to end: split, lay out in workers (or take from the cache),
settle the numbers, lay out the frames, stitch.

Every chunk is submitted at once, in document order, with the best numbers known (the last
build's, else estimates): a chunk whose shown numbers turn out wrong is laid out again,
which after a first build is rare. A frame segment is laid out as soon as every chunk up
to its own has been laid out; a segment whose pages changed since is laid out again."""
from __future__ import annotations

import re
import time
from collections import Counter
from concurrent.futures import FIRST_COMPLETED, BrokenExecutor, wait
from contextlib import nullcontext
from dataclasses import dataclass, field
from functools import partial

from ...diagnostics import FolioError, Kind, Location, Reporter
from ...project import Project
from . import cache as caching
from . import cuts, frames, keys, plan, stitch
from .numbers import Sequence, chunk_key, sequence
from .pool import take, workers_wanted
from .worker import Job, Rendered, call, run

MAX_ROUNDS = 6            # layouts of one chunk before the route gives up (numbers that never settle)
LAID_SIDE = "right"       # the side a chunk is laid out as beginning on, unless on its own (sided)
BATCH = 4                 # chunks whose frames are laid out in one document
MANY = 64                 # workers wanted before the chunks are counted: as many as there are cores
HINTS = "hints.json"
STATS = "last-run.json"
URL = re.compile(r"url\(\s*['\"]?([^'\")\s]+)")


class Unsettled(Exception):
    """The chunked layout could not settle (a writer falls back to a single pass)."""


class UnsafeCut(Unsettled):
    """A soft cut the chunk before it cannot end at: that chunk's last page holds only notes
    carried over (WeasyPrint's blank page type), which in the flow share a page with the text
    after the cut. The rounds of cuts drop it (cuts.py)."""
    def __init__(self, cut: str):
        super().__init__(f"no place to cut at '{cut}'")
        self.cut = cut


@dataclass
class Options:
    numbering: object            # callable: pages (objects with .anchors) → [(number or None, style)]
    label: object                # callable: (number, style) → printed label (None: an unnumbered page)
    facts: tuple | None = None      # hooks run in the workers (see worker.Job); a set among their
                                    # arguments is narrowed to the ids each chunk holds
    document: tuple | None = None
    setup: str | None = None
    tagging: str | None = None
    no_heads: object = None         # callable: PageFacts → True where the page prints no top margin boxes
    revise: object = None           # callable: (the chunks' `document` results, whether each chunk
                                    # lies flipped: Route.flipped) → lay out again?
    revisions: int = 0              # at most this many times (the print HTML made again each time)
    guess: object = None            # callable: revision → the print HTML that revision likely has
                                    # (the last build's), or None; its changed chunks are laid out
                                    # on idle workers while the revision before runs (speculate);
                                    # None where the last build made one round (nothing to guess)
    unwanted: object = None         # callable: (a chunk's ids, flipped) → a worker.Job `skip` hook, True where
                                    # the chunk's own result makes `revise` lay out again (its PDF
                                    # would never be used); not asked in the last revision
    begins: object = None           # callable: (PageFacts before, PageFacts) → ids of the blocks
                                    # the page begins with (soft cuts, cuts.py; None: none)
    variant: str = ""               # names the print HTML's variant, whose cuts are kept apart
    workers: int | None = None

    def hooks(self) -> list[str]:
        """The "module:function" hooks the workers call (the salt of every chunk's key)."""
        named = (self.facts and self.facts[0], self.document and self.document[0], self.setup, self.tagging)
        return [hook for hook in named if hook]

    def modules(self) -> tuple:
        """The modules of the workers' hooks, which a new worker imports as it warms up."""
        return tuple(dict.fromkeys(hook.partition(":")[0] for hook in self.hooks()))


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
    extras: list = field(default_factory=list)   # each chunk's `document` hook result, in order
    stats: dict = field(default_factory=dict)


def workers(options: Options):
    """The layout workers for a build (a context manager: see pool.Pool), for a writer that
    lays out more than once or has more for them to do after the layout (route.write's `pool`)."""
    return take(options.workers or workers_wanted(MANY), options.modules())


def write(page_html, project: Project, reporter: Reporter, options: Options, pool=None) -> Output:
    """The PDF of the print HTML; `page_html()` makes it (called once the workers are
    starting, so that they import WeasyPrint meanwhile). `pool`: the workers to use (the
    caller's, from workers(), left open); else the route takes its own and closes it."""
    started, began = time.perf_counter(), time.time()
    store = caching.Cache(project.out_dir / caching.FOLDER)
    laid_out: list[int] = []
    records: list = []
    named: list[str] = []           # the chunks laid out in this build, by name (in any round)
    spans: list[tuple] = []         # and by extent (first unit, last unit)
    framed = Counter()              # frame pages laid out and taken from the cache, in any round
    starts: list[int] = []          # where each revision's layouts begin in them
    probes = [0]
    guessed: dict = {}              # cache key → future of a chunk laid out ahead (speculate)
    made: set = set()               # the keys of every chunk laid out ahead
    plans = Splits()                # a guess's split, for the revision whose print HTML it guessed
    try:
        with nullcontext(pool) if pool is not None else workers(options) as pool:
            if options.guess is not None:
                pool.grow()             # a worker for the guesses, importing WeasyPrint meanwhile
            for revision in range(options.revisions + 1):
                record = cuts.Record.load(store.folder, options.variant, revision, records[-1] if records else None)
                if records:      # a pair confirmed names both chunks whole (their keys): it holds in any revision
                    record.pairs |= records[-1].pairs
                records.append(record)
                html = page_html()
                split_seconds = time.perf_counter() - started
                starts.append(len(spans))
                ahead = None
                if revision < options.revisions and options.guess is not None:
                    ahead = partial(_speculate, revision + 1, project, store, pool, options, guessed, made, plans)
                route, laid = _cut(html, project, store, pool, options, record, began, (named, spans, framed), probes,
                                   last=revision == options.revisions, guessed=guessed, ahead=ahead, plans=plans)
                extras = [route.results[c.index][1].extra for c in laid.chunks]
                flips = [route.flipped(c.index, route.seq) for c in laid.chunks]
                if revision == options.revisions or options.revise is None or not options.revise(extras, flips):
                    break
                revision, start = revision + 1, len(named)
            for future in guessed.values():     # guessed wrong: not waited for
                future.cancel()
    except BrokenExecutor as exc:   # a worker died, starting too: the writer lays the PDF out in one pass
        raise Unsettled(f"a layout worker failed: {exc!r}") from exc
    refused = sorted({url for r in route.all_results() for url in r.refused})
    for url in refused:
        reporter.error(Location(project.shown(project.source)),
                       f"refused to fetch '{url}': only files inside the project are read", Kind.FILE)
    if refused:
        raise FolioError("fetch")
    stitching = time.perf_counter()
    output = route.stitched()
    output.extras = extras
    # The chunks of the file this build laid out (by index): the first revision's layouts (twice
    # where a chunk was laid out twice: again on its own side), then the chunks later revisions
    # add. A layout of another extent (a round of cuts, or a revision, that cut elsewhere) is no
    # chunk of the file: "layouts" counts every one.
    final = {_extent(c): c.index for c in laid.chunks}
    for revision, start in enumerate(starts):
        mine = [final[s] for s in spans[start:(starts + [len(spans)])[revision + 1]] if s in final]
        laid_out += mine if revision == 0 else [i for i in mine if i not in laid_out]
    output.stats["laid out"] = sorted(laid_out)
    output.stats["layouts"] = len(spans)
    # Every revision replays the hyphenation rounds from no hints: the frames a correction needs
    # anew may be laid out in an earlier revision and found in the cache by the last one.
    output.stats.update({"frames laid out": framed["laid out"], "frames from cache": framed["from cache"]})
    # Chunks laid out ahead (speculate), and those a revision took (they are in "layouts" too).
    output.stats.update({"laid out ahead": len(made), "ahead taken": len(made - set(guessed))})
    # The cache entries taken (by key): which of the folder's entries a build reads (the others
    # are what earlier rounds or builds laid out and nothing asks for now).
    # Revisions made, and the print HTMLs split (once each: a revision a guess was right about
    # takes the guess's split).
    output.stats.update(revisions=len(starts), splits=plans.made)
    output.stats.update(probes=probes[0], cuts=sorted(record.cuts),
                        **{"laid out names": named, "entries read": sorted(store.read),
                           "own side": sorted(chunk_key(laid.chunks[i]) for i in route.sided)})
    cuts.Record.save(store.folder, records)
    output.stats.update(seconds=round(time.perf_counter() - started, 3), chunks=len(laid.chunks),
                        split=round(split_seconds, 3), stitch=round(time.perf_counter() - stitching, 3))
    keys.save(store.folder / HINTS, route.hints())
    keys.save(store.folder / STATS, output.stats)
    store.prune()
    return output


def _speculate(revision: int, project: Project, store, pool, options: Options, guessed: dict, made: set,
               plans: Splits) -> None:
    """The chunks the next revision likely lays out (its print HTML as the last build had it,
    cut where the last build cut it), submitted before the revision now running submits its
    own (a guessed chunk draws its PDF: the longer layout): a correction's chunk is laid out
    once per hyphenation round, each round waiting for the one before. Used only where the
    revision's job has the same key (the same layout), so the file does not depend on the
    guess; a guess that would lay out as many chunks as there are workers is not made (a
    larger change: its rounds differ too much to guess)."""
    html = options.guess(revision) if options.guess else None
    if html is None:
        return
    base, read = project.root.as_uri() + "/", keys.reader(project)
    record = cuts.Record.load(store.folder, options.variant, revision)
    laid = plans.split(html, base, read, frozenset(record.cuts))
    ahead = Route(laid, project, store, pool, options, {})
    jobs = [ahead.chunk_job(c, None) for c in laid.chunks if not c.targets]
    # Not one made before: a round that took it may not have collected it yet (not in the cache).
    wanted = [j for j in jobs if j.key not in made and not store.exists(j.key)]
    if 0 < len(wanted) < pool.size:
        pool.grow()
        guessed.update((job.key, pool.submit(run, job)) for job in wanted)
        made.update(job.key for job in wanted)


def _cut(html: str, project: Project, store, pool, options: Options, record, began: float,
         laid_names: tuple, probes: list, last: bool = True, guessed: dict | None = None, ahead=None,
         plans: Splits | None = None):
    """The print HTML's chunks, cut where the pages say (cuts.py), laid out and settled: rounds
    until the cuts the confirmed layout chooses are the ones it was laid out with. `last`: the
    last revision, whose chunks are all drawn. `ahead`: called once, before the first layouts
    are submitted (speculate, for the next revision)."""
    base, read = project.root.as_uri() + "/", keys.reader(project)
    named, spans, framed = laid_names
    chosen = frozenset(record.cuts)
    evidence: list = []
    begins = options.begins
    hints = keys.load(store.folder / HINTS)
    for _ in range(cuts.ROUNDS):
        laid = (plans if plans is not None else Splits()).split(html, base, read, chosen)
        depth = cuts.depths(laid)
        if begins and not chosen and not evidence:
            # Nothing known: a chunk that large is laid out once (no PDF) to find its cuts.
            big = [c for c in laid.chunks if sum(u.size for u in c.units) >= cuts.DISCOVER]
            probe_route = Route(laid, project, store, pool, options, hints, last)
            # Meanwhile the chunks that show no numbers are laid out on the other workers, into
            # the cache, where the route after this finds those the discovery leaves as they are.
            beside = [probe_route.chunk_job(c, None) for c in laid.chunks if c not in big and not c.targets]
            found = _probes(probe_route, big, probes, beside=beside, named=named)
            evidence += [cuts.layout(r, begins, depth) for r in found]
            chosen = frozenset(b for e in evidence for b in e.begins if b and cuts.chosen(b)) - record.unsafe
            if chosen:
                continue
        route = Route(laid, project, store, pool, options, hints, last, guessed)
        route.began, route.ahead, ahead = began, ahead, None
        try:
            route.run()
        except UnsafeCut as exc:
            record.unsafe.add(exc.cut)
            _laid(route, laid, named, spans, framed)
            chosen = chosen - {exc.cut}
            continue
        hints = route.hints()          # the next round's numbers: this one's
        _laid(route, laid, named, spans, framed)
        if begins is None:
            return route, laid
        # A chunk that a soft cut ends holds its last page as the flow does only if that cut
        # holds: as evidence for other cuts, that page is left out (a probe's last page too).
        ends = {c.index - 1 for c in laid.chunks if c.cut}
        mine = {c.index: cuts.layout(route.results[c.index][1], begins, depth, complete=c.index not in ends)
                for c in laid.chunks}
        evidence += list(mine.values())
        verdicts, pairs = _verdicts(laid, route, mine, evidence, record)
        began_well: set = set()
        for from_start in (False, True):
            # A probe from a page inside the chunk before says nothing where that page was no
            # place to cut (a note carried over to it): then one from that chunk's start.
            wanted = [i for i, v in verdicts.items() if v is None and i not in began_well
                      and not (from_start and not any(mine[i - 1].begins))]
            asked = _probe_plans(laid, html, base, read, chosen, mine, wanted, from_start)
            if not asked:
                continue
            found = _probes(route, [c for _, c in asked], probes)
            for (index, probe), rendered in zip(asked, found, strict=True):
                evidence.append(cuts.layout(rendered, begins, depth, complete=probe.complete))
                before = mine[index - 1]
                at = before.begins.index(probe.cut) if probe.cut in before.begins else 0
                if evidence[-1].pages[:1] == before.pages[at:at + 1]:
                    began_well.add(index)
            verdicts, pairs = _verdicts(laid, route, mine, evidence, record)
        trusted = {c.index for c in laid.chunks if not c.cut or verdicts.get(c.index)}
        for index, verdict in verdicts.items():
            if verdict is False and index - 1 in trusted:
                record.unsafe.add(laid.chunks[index].cut)
        found_cuts = {b for i in trusted for b in mine[i].begins if b}
        found_cuts |= {laid.chunks[i].cut for i, v in verdicts.items() if v}
        new = frozenset(b for b in found_cuts if cuts.chosen(b)) - record.unsafe
        if new == chosen and all(verdicts.values()):
            record.cuts = set(chosen)
            record.pairs = set(pairs)
            return route, laid
        chosen = new
    raise Unsettled(f"the cuts did not settle in {cuts.ROUNDS} rounds")


@dataclass
class Splits:
    """plan.split, once per print HTML and cuts in a build: the revision a guess was right
    about (its hints, so its print HTML, and its cuts) takes the Plan the guess split."""
    plans: dict = field(default_factory=dict)     # (print HTML, cuts) → Plan
    made: int = 0                                 # plan.split calls (the build's record: "splits")

    def split(self, html: str, base: str, read, cuts: frozenset):
        if (html, cuts) not in self.plans:
            while len(self.plans) >= 3:   # the revision's own, the next one's guessed, a round of cuts
                del self.plans[next(iter(self.plans))]
            self.plans[html, cuts] = plan.split(html, base, read=read, cuts=cuts)
            self.made += 1
        return self.plans[html, cuts]


def _extent(chunk) -> tuple:
    return chunk.units[0].key, chunk.units[-1].key


def _verdicts(laid, route, mine: dict, evidence: list, record) -> tuple[dict, set]:
    """For every chunk a soft cut begins: True (confirmed), False (the flow differs), None
    (nothing says yet); and the confirmed (key before, key after) pairs."""
    verdicts, pairs = {}, set()
    for chunk in laid.chunks[1:]:
        if not chunk.cut:
            continue
        pair = (route.results[chunk.index - 1][0], route.results[chunk.index][0])
        following = laid.chunks[chunk.index + 1] if chunk.index + 1 < len(laid.chunks) else None
        cut_after = bool(following and following.cut)
        before, after = mine[chunk.index - 1].pages, mine[chunk.index].pages
        verdict = True if pair in record.pairs or _as_before(pair, record, before, after, route.cache) else None
        for layout in evidence:
            if verdict is not None:
                break
            if layout is mine[chunk.index] or layout is mine[chunk.index - 1]:
                continue
            verdict = cuts.confirms(layout, chunk.cut, before, after, cut_after)
        verdicts[chunk.index] = verdict
        if verdict:
            pairs.add(pair)
    return verdicts, pairs


def _as_before(pair: tuple, record, before: list, after: list, cache) -> bool:
    """A cut confirmed before (a pair of the record) whose chunk on one side is the same (its
    key) and whose chunk on the other shows the same page where they meet (its first page, or
    the last before the cut): the flow breaks there as it did, for what decides a page break
    is on the two pages that meet at it (a probe compares no more). A correction inside a
    chunk, and each hyphenation round that changes it, is not probed again at both its cuts."""
    for key_before, key_after in record.pairs:
        if key_before == pair[0] and key_after != pair[1]:
            old = cache.get(key_after)
            if old is not None and old.pages and cuts.signature(old.pages[0]) == after[0]:
                return True
        if key_after == pair[1] and key_before != pair[0]:
            old = cache.get(key_before)
            if old is not None and old.pages and cuts.signature(old.pages[-1]) == before[-1]:
                return True
    return False


def _probe_plans(laid, html: str, base: str, read, chosen: frozenset, mine: dict, wanted: list,
                 from_start: bool = False):
    """(index, probe chunk) for each cut `wanted` (nothing confirmed it yet): a document from
    the last page the chunk before it begins with a block (or that chunk's start, `from_start`
    or where there is none) to LOOK bytes past the cut. All at once: a probe compares the
    pages on both sides of its cut, whatever the verdict on the cut before."""
    if not wanted:
        return []
    starts = {i: "" if from_start else next((b for b in reversed(mine[i - 1].begins) if b), "") for i in wanted}
    wide = plan.split(html, base, read=read, soft=frozenset(b for b in starts.values() if b), cuts=chosen)
    units = wide.units
    out = []
    for index in wanted:
        before, chunk = wide.chunks[index - 1], wide.chunks[index]
        first = units.index(before.units[0])
        if starts[index]:
            first = next(k for k, u in enumerate(units) if u.cut == starts[index])
        at = units.index(chunk.units[0])
        end, size = at, 0
        last = at + len(chunk.units)
        while end < last and size < cuts.LOOK:
            size += units[end].size
            end += 1
        probe = wide.span(first, end, cut=bool(starts[index] or before.cut))
        probe.complete = end == last
        out.append((index, probe))
    return out


def _laid(route, laid, named: list, spans: list, framed: Counter) -> None:
    """Add what a round's route laid out to the build's account."""
    named += [chunk_key(laid.chunks[i]) for i in route.stats["laid out"]]
    spans += [_extent(laid.chunks[i]) for i in route.stats["laid out"]]
    framed.update({"laid out": route.stats["frames laid out"], "from cache": route.stats["frames from cache"]})


def _probes(route, chunks: list, count: list, beside: list = (), named: list | None = None) -> list:
    """Lay out probe documents (no PDF written), in parallel; their results, in order.
    `beside`: chunk jobs laid out after them, into the cache (their names added to `named`)."""
    jobs, known = [], route.known.get("labels", {})
    for chunk in chunks:
        o = route.options
        labels = {t: route.seq.label(t, known) for t in chunk.targets} if hasattr(route, "seq") else known
        hooks = (keys.narrow(o.facts, chunk.anchors), None, o.setup, None)
        jobs.append(route.job("probe", chunk.html(labels, LAID_SIDE), route.images(chunk), chunk_key(chunk), hooks))
    if len(jobs) + len(beside) > 1:
        route.pool.grow()
    out = []
    futures = []
    for job in jobs:
        cached = route.cache.get(job.key)
        futures.append(cached if cached is not None else route.pool.submit(run, job))
    others = [(job, route.pool.submit(run, job)) for job in beside if route.cache.get(job.key) is None]
    for job, item in zip(jobs, futures, strict=True):
        if isinstance(item, Rendered):
            out.append(item)
            continue
        try:
            rendered = item.result()
        except Exception as exc:   # a worker died or WeasyPrint failed: the route cannot go on
            raise Unsettled(f"a layout worker failed: {exc!r}") from exc
        route.cache.put(job.key, rendered)
        count[0] += 1
        out.append(rendered)
    for job, future in others:
        try:
            route.cache.put(job.key, future.result())
        except Exception as exc:
            raise Unsettled(f"a layout worker failed: {exc!r}") from exc
        if named is not None:
            named.append(job.name)
    return out


def record_build(project, runs: list) -> None:
    """What the whole build laid out, when it laid the document out more than once (a carry-over
    pulled back): each run's chunks and frames, laid out or taken from the cache, together."""
    stats = dict(runs[-1])
    laid = [c for run in runs for c in run.get("laid out", [])]   # twice where it was laid out twice
    stats["laid out"] = laid
    stats["from cache"] = sorted({c for run in runs for c in run.get("from cache", [])} - set(laid))
    stats["laid out names"] = [n for run in runs for n in run.get("laid out names", [])]
    stats["entries read"] = sorted({k for run in runs for k in run.get("entries read", [])})
    stats["own side"] = sorted({n for run in runs for n in run.get("own side", [])})
    for key in ("frames laid out", "frames from cache", "probes", "layouts", "seconds"):
        stats[key] = round(sum(run.get(key, 0) for run in runs), 3)
    keys.save(project.out_dir / caching.FOLDER / STATS, stats)


class Route:
    def __init__(self, laid, project, store, pool, options, hints, last: bool = True, guessed: dict | None = None):
        self.plan, self.project, self.cache, self.pool = laid, project, store, pool
        self.options, self.known = options, hints
        self.unwanted = None if last or options.revise is None else options.unwanted
        self.guessed = guessed if guessed is not None else {}     # key → future laid out ahead
        self.ahead = None            # called once, before this route's first layouts are submitted
        self.salt = keys.salt(laid, project, options.hooks())
        self.results: dict[int, tuple[str, object]] = {}    # chunk → (key, Rendered)
        self.frames: dict[str, object] = {}                  # batch key → Rendered
        self.pending: dict = {}                              # future → (kind, chunk or batch, key)
        self.sided: set[int] = set()                         # chunks laid out on their own side
        self.rounds: dict[int, int] = {}
        self.made: dict[int, tuple] = {}                     # chunk → (its HTML, its job)
        self.owner = {name: c.index for c in laid.chunks for name in c.anchors}
        self.count = (len(laid.chunks) + BATCH - 1) // BATCH
        self.stats = {"laid out": [], "from cache": [], "frames laid out": 0, "frames from cache": 0,
                      "show numbers": [c.index for c in laid.chunks if c.targets]}

    # ---- the loop ----------------------------------------------------------------------------

    def run(self) -> None:
        """Until every chunk shows settled numbers and every batch of frames matches its
        chunks: take what the cache has, keep the workers busy (frames first, then chunks
        in order), collect."""
        while True:
            seq = self.sequence()
            jobs = {c.index: self.chunk_job(c, seq) for c in self.plan.chunks}
            if self.from_cache(jobs):
                continue
            batches = self.batches(seq)
            if self.frames_from_cache(batches):
                continue
            if not self.pending and len(batches) == self.count and all(b.key in self.frames for b in batches) \
                    and all(self.final(k, job) for k, job in jobs.items()):
                if self.sides_agree(batches):
                    self.seq, self.batch_list = seq, batches
                    return
                continue
            if self.ahead is not None and not all(self.final(k, job) for k, job in jobs.items()):
                # The next revision's guess first: its chunk (one at most, speculate) draws its
                # PDF, the longer layout, and waits for nothing of this revision's.
                self.ahead, ahead = None, self.ahead
                ahead()
            while len(self.pending) < self.pool.size and self.submit_next(jobs, batches):
                pass
            if self.pending and self.ahead is not None:
                self.ahead, ahead = None, self.ahead
                ahead()
            if not self.pending:
                raise Unsettled("nothing left to lay out, and the layout has not settled")
            done, _ = wait(list(self.pending), return_when=FIRST_COMPLETED)
            for future in done:
                self.collect(future)

    def final(self, index: int, job: Job) -> bool:
        """The chunk's result is this job's: the same key (the same pages), and a PDF unless
        the job would not draw one either. A chunk's job is made again when the side it
        begins on turns out otherwise (flipped): its key is the same (the same HTML), but what
        its lines ask of the next round, and so whether its PDF is wanted, is read for the
        other side; the last revision wants every PDF. Taken by key alone, a chunk laid out
        without its PDF was stitched (the seed at 50x fell back to one pass, "a chunk laid out
        without its PDF is to be stitched", in most cold builds)."""
        return index in self.results and self.results[index][0] == job.key and self.usable(job, self.results[index][1])

    def sequence(self) -> Sequence:
        results = {k: r for k, (_, r) in self.results.items()}
        first = results[0].pages[0].side if 0 in results and results[0].pages else "right"
        return sequence(self.plan, results, first, self.options.numbering, self.options.label,
                        self.known.get("counts", {}))

    def chunk_job(self, chunk, seq: Sequence) -> Job:
        labels = {t: seq.label(t, self.known.get("labels", {})) for t in chunk.targets}
        side = seq.slots[seq.first[chunk.index]].side if chunk.index in self.sided else LAID_SIDE
        html = chunk.html(labels, side)
        flipped = self.flipped(chunk.index, seq) if seq is not None else False
        if chunk.index not in self.made or self.made[chunk.index][0] is not html \
                or self.made[chunk.index][2] != flipped:
            o = self.options
            hooks = (keys.narrow(o.facts, chunk.anchors), keys.narrow(o.document, chunk.anchors), o.setup, o.tagging)
            skip = self.unwanted(chunk.anchors, flipped) if self.unwanted else None
            self.made[chunk.index] = (html, self.job("chunk", html, self.images(chunk), chunk_key(chunk), hooks, skip),
                                      flipped)
        return self.made[chunk.index][1]

    def flipped(self, index: int, seq: Sequence) -> bool:
        """Does the chunk begin on a left-hand page, laid out as if on a right-hand one (its
        pages on the other sides of the spread than in its layout: what its `document` hook
        read of them it read of the other side)?"""
        return index not in self.sided and seq.slots[seq.first[index]].side != LAID_SIDE

    def job(self, kind: str, html: str, extra: str = "", name: str = "", hooks=(None,) * 4, skip=None) -> Job:
        """A layout job, keyed by what it depends on, the project's own path left out (a
        moved or copied project keeps its cache: the files' contents are in the key). Not by
        `skip`: it changes whether the PDF is written, not the pages (usable() decides)."""
        root = self.plan.base_url
        key = caching.key(kind, self.salt, extra.replace(root, "/"), html.replace(root, "/"), name,
                          repr(keys.canonical(hooks)))
        return Job(kind, html, self.plan.base_url, self.project, key, name, *hooks, skip)

    @staticmethod
    def usable(job: Job, cached: Rendered) -> bool:
        """A chunk laid out without its PDF serves only where this job would not draw it either
        (its lines ask what the next round gives): then this revision is not the one stitched."""
        if cached.pdf or job.kind != "chunk":
            return True
        return bool(job.skip) and call(job.skip, cached.extra)

    def from_cache(self, jobs: dict) -> bool:
        found = False
        for index, job in jobs.items():
            if not self.final(index, job):
                cached = self.cache.get(job.key)
                if cached is not None and self.usable(job, cached):
                    self.results[index] = (job.key, cached)
                    self.stats["from cache"].append(index)
                    found = True
        return found

    def frames_from_cache(self, batches: list) -> bool:
        found = False
        for batch in batches:
            if batch.key not in self.frames:
                cached = self.cache.get(batch.key)
                if cached is not None:
                    self.frames[batch.key] = cached
                    self.stats["frames from cache"] += 1
                    found = True
        return found

    def submit_next(self, jobs: dict, batches: list) -> bool:
        """One more job for an idle worker: a batch of frames whose chunks are laid out, else
        a chunk not laid out yet, else one whose numbers changed (once they are known, or
        now if there is nothing else to do). False if there is nothing to submit."""
        flying = {key for _, _, key in self.pending.values()}
        busy = {index for kind, index, _ in self.pending.values() if kind == "chunk"}
        waiting = [b for b in batches if b.key not in self.frames and b.key not in flying]
        if len(waiting) + sum(not self.final(k, job) for k, job in jobs.items()) > 1:
            self.pool.grow()
        elif not self.pending:
            try:
                self.pool.first_ready()
            except Exception as exc:   # the worker could not start: the route cannot go on
                raise Unsettled(f"a layout worker failed to start: {exc!r}") from exc
        for batch in waiting[:1]:
            self.pending[self.pool.submit(run, batch.job)] = ("frame", batch.chunks, batch.key)
            return True
        stale = [k for k, job in jobs.items() if not self.final(k, job) and k not in busy and job.key not in flying]
        fresh = [k for k in stale if k not in self.results and not self.plan.chunks[k].targets]
        ready = [k for k in stale if self.ready(k)]
        # A chunk showing numbers not known yet (the contents): after a first build, wait for
        # them (the last build's layout is likely in the cache); on a first build, lay it out
        # first, with estimates: its page count lets the frames after it start early.
        guess = [k for k in stale if k not in self.results and self.plan.chunks[k].targets] if not self.known else []
        choice = (guess or fresh or ready or (stale if not self.pending else []))[:1]
        for index in choice:
            self.rounds[index] = self.rounds.get(index, 0) + 1
            if self.rounds[index] > MAX_ROUNDS:
                raise Unsettled(f"chunk {index} laid out {MAX_ROUNDS} times without settling")
            ahead = self.guessed.pop(jobs[index].key, None)     # laid out ahead, drawn: as good
            self.pending[ahead or self.pool.submit(run, jobs[index])] = ("chunk", index, jobs[index].key)
        return bool(choice)

    def ready(self, index: int) -> bool:
        """Are the numbers a chunk shows known: every chunk up to the last one holding one of
        its targets laid out?"""
        owners = [self.owner.get(t, len(self.plan.chunks) - 1) for t in self.plan.chunks[index].targets]
        return all(k in self.results for k in range(max(owners, default=-1) + 1))

    def collect(self, future) -> None:
        kind, index, key = self.pending.pop(future)
        try:
            rendered = future.result()
        except Exception as exc:   # a worker died or WeasyPrint failed: the route cannot go on
            raise Unsettled(f"a layout worker failed: {exc!r}") from exc
        self.cache.put(key, rendered)
        self.stats.setdefault("timeline", []).append(
            [kind[0] + str(index), round(rendered.began - self.began, 2), round(rendered.seconds, 2)])
        self.stats[f"{kind} seconds"] = round(self.stats.get(f"{kind} seconds", 0) + rendered.seconds, 3)
        self.stats[f"{kind} cpu"] = round(self.stats.get(f"{kind} cpu", 0) + rendered.cpu, 3)
        if kind == "chunk":
            self.results[index] = (key, rendered)
            self.stats["laid out"].append(index)
        else:
            self.frames[key] = rendered
            self.stats["frames laid out"] += 1

    # ---- frames --------------------------------------------------------------------------

    def batches(self, seq: Sequence) -> list:
        """Frame batches (BATCH chunks each) of which every chunk, and every one before,
        has been laid out."""
        out, strings, before = [], {}, None
        chunks = self.plan.chunks
        for start in range(0, len(chunks), BATCH):
            group = chunks[start:start + BATCH]
            if any(c.index not in self.results for c in group):
                break
            parts = []
            for chunk in group:
                first = seq.first[chunk.index]
                blank = first > 0 and seq.slots[first - 1].chunk is None
                pages = self.results[chunk.index][1].pages
                # A blank page inside a chunk (a left/right break deeper than the split looks)
                # is made again by the frame document, before the page that follows it.
                bare = self.options.no_heads or (lambda facts: False)
                parts.append(frames.Part(chunk.chain, [
                    frames.FramePage(facts.name, seq.slots[first + j].side, seq.numbering[first + j][0],
                                     facts.strings, blank_before=(j == 0 and blank) or (j > 0 and pages[j - 1].blank),
                                     no_heads=bare(facts))
                    for j, facts in enumerate(pages) if not facts.blank]))
            stub = None if before is None else (before[0], before[1], sorted(strings.items()))
            batch = frames.Batch(parts, stub, seq.slots[0].side, chunks=tuple(c.index for c in group))
            job = self.job("frame", frames.html(batch, self.plan.head, *reversed(self.plan.attributes)))
            batch.key, batch.job = job.key, job
            out.append(batch)
            for chunk in group:
                for facts in self.results[chunk.index][1].pages:
                    strings.update(dict(facts.strings))
                    before = (chunk.chain, facts.name)
        return out

    def frame_pages(self, batch) -> list:
        """The laid-out frame pages of a batch, as (kind, facts): stub, blank or page."""
        kinds = batch.layout()
        laid = self.frames[batch.key].pages
        if len(laid) != len(kinds) or any((k == "blank") != p.blank for k, p in zip(kinds, laid, strict=True)):
            raise Unsettled(f"frames of chunks {batch.chunks}: {len(laid)} pages, {len(kinds)} expected")
        return list(zip(kinds, laid, strict=True))

    def sides_agree(self, batches: list) -> bool:
        """A chunk is laid out as if it began on a right-hand page, and shifted where it
        begins on a left one: right when both sides give pages the same content box. Where
        they do not, or where the chunk holds a blank page (a left/right break inside it), it
        is laid out on its own side from then on (and again whenever that side changes)."""
        agree = True
        for batch in batches:
            framed = iter(f for kind, f in self.frame_pages(batch) if kind == "page")
            for index in batch.chunks:
                pages = self.results[index][1].pages
                mismatch = False
                for facts in (p for p in pages if not p.blank):
                    box, frame = keys.content_box(facts), keys.content_box(next(framed))
                    mismatch |= box != frame
                    following = self.plan.chunks[index + 1] if index + 1 < len(self.plan.chunks) else None
                    if box[1:] != frame[1:] and facts is pages[-1] and following is not None and following.cut:
                        # Not a side (sides differ in width only): a page of carried-over notes.
                        raise UnsafeCut(following.cut)
                if (mismatch or any(p.blank for p in pages)) and index not in self.sided:
                    self.sided.add(index)
                    agree = False
                elif mismatch:
                    raise Unsettled(f"chunk {index}: on its own side, its pages still differ from their frames")
        return agree

    # ---- the file --------------------------------------------------------------------------

    def stitched(self) -> Output:
        seq = self.seq
        if any(not self.results[c.index][1].pdf for c in self.plan.chunks):   # usable() forbids it
            raise Unsettled("a chunk laid out without its PDF is to be stitched")
        frame_of = []                              # (batch, index in its PDF, facts) per slot
        for b, batch in enumerate(self.batch_list):
            frame_of += [(b, i, facts) for i, (kind, facts) in enumerate(self.frame_pages(batch)) if kind != "stub"]
        placed, pages, marks = [], [], []
        for i, slot in enumerate(seq.slots):
            b, at, frame = frame_of[i]
            number, style = seq.numbering[i]
            if slot.chunk is None:
                placed.append(stitch.Placed(None, 0, (b, at), 0.0, frame.height))
                pages.append(Page(seq.labels[i], number, style, frame.text, None, frame))
                continue
            facts = self.results[slot.chunk][1].pages[slot.page]
            dx = (frame.margins[3] - facts.margins[3]) * stitch.SCALE
            placed.append(stitch.Placed(slot.chunk, slot.page, (b, at), dx, facts.height))
            pages.append(Page(seq.labels[i], number, style, facts.text + frame.text, facts, frame))
            marks += [stitch.Mark(i, x, y, label, level, state) for level, label, (x, y), state in facts.bookmarks]
        anchors = {name: stitch.Mark(index, x, y) for name, (index, x, y) in seq.anchors.items()}
        pdf = stitch.stitch([self.results[c.index][1].pdf for c in self.plan.chunks],
                            [self.frames[b.key].pdf for b in self.batch_list],
                            placed, anchors, marks)
        return Output(pdf, pages, stats=self.stats)

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
        return ";".join(f"{u}={keys.file_digest(u, self.project)}" for u in urls)


