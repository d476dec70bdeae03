"""The local engine: a process pool over shards, streaming, resumable, losing nothing.

Inputs are read in order and cut into shards of ``shard_size`` records or about
``SHARD_BYTES`` of pages, across input files (twenty thousand small files make forty
shards, not twenty thousand), and the cut depends only on the inputs, never on the
worker count. Each shard is processed in a worker and committed atomically
(``io/writers.py``); at most one shard more than there are workers is in flight, so
memory stays flat however large the corpus. After ``kill -9`` at any moment,
``--resume`` skips the committed shards and redoes the rest; the output equals an
uninterrupted run's. A lock keeps a second run out of a folder in use.
``manifest.json`` is written from the shards' markers when the main stage ends; the
corpus stages (site chrome, dedup) then add their sections.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import UsageError
from ..io.outfolder import absolute, guarded, locked
from ..io.readers import (
    Fields,
    FileSlice,
    Item,
    input_size,
    plain_jsonl,
    read_input,
    read_slice,
    scan_inputs,
)
from ..io.records import RawRecord
from ..io.writers import atomic_write, write_shard
from ..process import Options, process
from ..progress import Progress

__all__ = ["Report", "RunConfig", "run"]

OUTCOMES = ("kept", "rejected", "failed")
SHARD_BYTES = 4_000_000  # a shard's raw size at most (about): bounds memory in flight

# Called with ("main", manifest) when the main stage ends, then with each corpus
# stage's name and manifest section as it ends (the CLI prints them as they come).
Report = Callable[[str, dict[str, Any]], None]


@dataclass(frozen=True, slots=True)
class RunConfig:
    """Everything a run depends on (the resolved recipe)."""

    inputs: tuple[str, ...]
    out: Path
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    resume: bool = False
    format: str = "parquet"
    shard_size: int = 500
    fields: Fields = field(default_factory=Fields)
    options: Options = field(default_factory=Options)
    site_chrome: bool = True  # then drop lines a site repeats across its pages
    dedup: bool = True  # then cluster the kept records (threshold 0.8)
    progress: bool = True

    def describe(self) -> dict[str, Any]:
        """The configuration as recorded in the manifest (what decides the output), with
        paths made absolute: ``in/``, ``./in`` and ``/abs/in`` are the same job."""
        data = asdict(self)
        data["out"] = absolute(self.out)
        data["inputs"] = [absolute(name) for name in self.inputs]
        for volatile in ("resume", "progress", "workers"):
            data.pop(volatile)
        return data


def run(config: RunConfig, report: Report | None = None) -> dict[str, Any]:
    """Run the job; returns the manifest (also written to ``OUT/manifest.json``).

    Misuse raises :class:`UsageError` or :class:`InputError`; a folder that cannot be
    written (full disk, no permission) :class:`OutputError`; Ctrl-C
    :class:`Interrupted`. Each says what to do next; finished shards are kept."""
    if config.format not in ("parquet", "jsonl"):
        raise UsageError(f"unknown format {config.format!r}; use parquet or jsonl")
    # Inputs are read, and records named, by their absolute path: a resumed run that
    # spells a path otherwise (``in/``, ``./in``, ``/abs/in``) names its records alike.
    config = replace(config, inputs=tuple(absolute(name) for name in config.inputs),
                     out=Path(absolute(config.out)))
    with guarded(config.out, config.inputs):
        found = scan_inputs(config.inputs).outside(config.out)
        if not found.files:
            raise UsageError(f"no input files found in {', '.join(config.inputs)}"
                             " (looked for pages, JSONL, Parquet and WARC files)")
        with locked(config.out):
            return _run_locked(config, found.files, found.skipped_counts(), report)


def _run_locked(config: RunConfig, paths: list[Path], skipped: dict[str, int],
                report: Report | None) -> dict[str, Any]:
    _prepare(config, paths)
    session = time.time()
    done = {p.stem for p in (config.out / "done").glob("*.json")}
    total = sum(input_size(p) for p in paths)  # 0 for a broken link or a FIFO
    with Progress("records: 0", total, enabled=config.progress) as bar:
        throughput = _Throughput(bar)
        if config.workers <= 1:
            for shard, parts, consumed in _shards(paths, config):
                marker = None if shard in done else _run_shard(config, shard, parts, session)
                throughput.add(marker, consumed)
        else:
            _run_pool(config, paths, done, throughput, session)
    manifest = _manifest(config, paths) | {"skipped": skipped}
    atomic_write(config.out / "manifest.json",
                 json.dumps(manifest, ensure_ascii=False, indent=1).encode())
    if report:
        report("main", manifest)
    # Corpus stages: they read and rewrite the kept shards, and add their manifest section.
    if config.site_chrome:
        from ..site_chrome import remove_site_chrome

        manifest["site_chrome"] = remove_site_chrome(config.out, progress=config.progress)
        if report:
            report("site_chrome", manifest["site_chrome"])
    if config.dedup:
        from ..dedup.stage import dedup_folder

        manifest["dedup"] = dedup_folder(config.out, progress=config.progress)
        if report:
            report("dedup", manifest["dedup"])
    return manifest


def _prepare(config: RunConfig, paths: list[Path]) -> None:
    """Refuse to mix runs: a used folder is only resumed, and only with the same job."""
    recorded = config.out / "run.json"
    # What decides the output: the options, each input's size and modification time (a
    # file that changed would be cut into other shards), how shards are cut, the version.
    description = json.loads(json.dumps({  # as JSON sees it: tuples become lists
        "config": config.describe(), "inputs": [absolute(p) for p in paths],
        "files": {absolute(p): _stamp(p) for p in paths}, "shard_bytes": SHARD_BYTES,
        "version": __version__}))
    if recorded.exists():
        if not config.resume:
            raise UsageError(f"{config.out} holds an earlier run; pass --resume to finish it,"
                             " or choose a new output folder")
        earlier = json.loads(recorded.read_text(encoding="utf-8"))
        if earlier != description:
            raise UsageError(f"{config.out} holds a run with other inputs or options, so it"
                             f" cannot be resumed with these: {_difference(earlier, description)}")
        for partial in config.out.rglob(".*.tmp-*"):  # writes a kill cut short
            partial.unlink()
        return
    if any(p.name != ".lock" for p in config.out.iterdir()):
        raise UsageError(f"{config.out} is not empty; choose a new output folder")
    atomic_write(recorded, json.dumps(description, ensure_ascii=False, indent=1).encode())
    (config.out / "kept").mkdir()  # an empty corpus is still a run


def _stamp(path: Path) -> list[int]:
    try:
        status = path.stat()
    except OSError:  # a broken link: read (and reported) as a failed record
        return [-1, -1]
    return [status.st_size, status.st_mtime_ns]


def _difference(earlier: dict[str, Any], now: dict[str, Any]) -> str:
    """What differs between two job descriptions, in a few words."""
    said = []
    before, after = set(earlier.get("inputs", [])), set(now["inputs"])
    if before - after:
        said.append(f"inputs no longer given or found: {', '.join(sorted(before - after)[:3])}")
    if after - before:
        said.append(f"new inputs: {', '.join(sorted(after - before)[:3])}")
    old_files, new_files = earlier.get("files", {}), now["files"]
    changed = sorted(f for f in before & after if old_files.get(f) != new_files.get(f))
    if changed:
        said.append(f"inputs changed since the run began: {', '.join(changed[:3])}")
    for key in ("shard_bytes", "version"):
        if earlier.get(key) != now[key]:
            said.append(f"{key} was {earlier.get(key)!r}, now {now[key]!r}")
    old, new = earlier.get("config", {}), now["config"]
    for key in sorted(set(old) | set(new)):
        if key != "inputs" and old.get(key) != new.get(key):
            said.append(f"{key} was {old.get(key)!r}, now {new.get(key)!r}")
    return "; ".join(said) or "the recorded job differs"


@dataclass(frozen=True, slots=True)
class Part:
    """Records of one input inside a shard: a list, or a byte range the worker reads."""

    source: str
    items: list[Item] | FileSlice


def _shards(paths: list[Path], config: RunConfig) -> Iterator[tuple[str, list[Part], int]]:
    """Shards of ``shard_size`` records, or fewer when they reach ``SHARD_BYTES``, cut
    across inputs, with the input bytes each accounts for (for the progress bar). The
    cut depends on the inputs alone, so a resumed run cuts the same shards. A plain JSONL
    file is cut into byte ranges that the workers read themselves."""
    parts: list[Part] = []
    count = size = consumed = index = 0
    for path in paths:
        source = str(path)
        if plain_jsonl(path):
            start = offset = 0
            first = number = 1
            with path.open("rb") as handle:
                for line in handle:
                    offset, number = offset + len(line), number + 1
                    if line.strip():
                        count, size = count + 1, size + len(line)
                    if count >= config.shard_size or size >= SHARD_BYTES:
                        parts.append(Part(source, FileSlice(source, start, offset, first,
                                                            config.fields)))
                        yield f"{index:06d}", parts, consumed + offset - start
                        parts, count, size, consumed, index = [], 0, 0, 0, index + 1
                        start, first = offset, number
            if offset > start:
                parts.append(Part(source, FileSlice(source, start, offset, first,
                                                    config.fields)))
                consumed += offset - start
            continue
        batch: list[Item] = []
        for item in read_input(path, config.fields):
            batch.append(item)
            count, size = count + 1, size + len(getattr(item, "data", ""))
            if count >= config.shard_size or size >= SHARD_BYTES:
                yield f"{index:06d}", [*parts, Part(source, batch)], consumed
                parts, batch, count, size, consumed, index = [], [], 0, 0, 0, index + 1
        if batch:
            parts.append(Part(source, batch))
        consumed += input_size(path)
    if parts or index == 0:
        yield f"{index:06d}", parts, consumed


def _run_pool(config: RunConfig, paths: list[Path], done: set[str], throughput: _Throughput,
              session: float) -> None:
    window = config.workers + 1  # shards in flight: bounds memory, keeps workers busy
    process(RawRecord("warm-up", "<p>载入。</p>"), config.options)  # forked workers share tables
    pool = ProcessPoolExecutor(max_workers=config.workers, initializer=_worker_setup)
    pending: dict[Future[dict[str, Any]], int] = {}
    try:
        for shard, parts, consumed in _shards(paths, config):
            if shard in done:
                throughput.add(None, consumed)
                continue
            pending[pool.submit(_run_shard, config, shard, parts, session)] = consumed
            if len(pending) >= window:
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    throughput.add(future.result(), pending.pop(future))
        for future, consumed in pending.items():
            throughput.add(future.result(), consumed)
    except BrokenProcessPool:
        # A dead worker: the pool has ended its other workers already. Wait for its
        # manager thread, which the interpreter's exit hook would otherwise race and
        # print a traceback over the message (CPython 3.11's concurrent.futures).
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    except BaseException:
        # Ctrl-C, a full disk: stop at once; the shards in flight are redone by
        # --resume (workers die with the parent, see _worker_setup).
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


def _worker_setup() -> None:
    """Workers leave Ctrl-C to the parent (one message, not a traceback per worker) and,
    on Linux, are killed when their parent dies (kill -9 leaves no orphans that could
    still commit shards beside a resumed run)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


class _Throughput:
    """Moves the main stage's bar by the input bytes each shard accounts for, and says
    how many records and MB/s so far."""

    def __init__(self, bar: Progress) -> None:
        self.bar, self.records, self.pages = bar, 0, 0
        self.started = time.perf_counter()

    def add(self, marker: dict[str, Any] | None, consumed: int) -> None:
        """A shard finished (``marker``) or was already done (None)."""
        if marker is not None:
            self.records += marker["read"]
            self.pages += marker["bytes"]
        speed = self.pages / 1e6 / max(time.perf_counter() - self.started, 1e-9)
        self.bar.advance(consumed, f"records: {self.records:,} ({speed:.1f} MB/s)")


def _run_shard(config: RunConfig, shard: str, parts: list[Part], session: float
               ) -> dict[str, Any]:
    started = time.perf_counter()
    outcomes: dict[str, list[dict[str, Any]]] = {kind: [] for kind in OUTCOMES}
    audit: list[dict[str, Any]] | None = [] if config.options.changes else None
    reasons: Counter[str] = Counter()
    size = read = 0
    for part in parts:
        items = read_slice(part.items) if isinstance(part.items, FileSlice) else part.items
        for item in items:
            data = getattr(item, "data", "")
            size += len(data) if isinstance(data, bytes) else len(data.encode("utf-8",
                                                                               "replace"))
            read += 1
            kind, row = process(item, config.options)
            changes = row.pop("changes", None)
            if audit is not None and changes is not None:
                audit.append({"id": row["id"], "changes": changes})
            row["input"] = part.source
            outcomes[kind].append(row)
            if kind == "rejected":
                reasons[row["reason"]] += 1
    marker = {"shard": shard, "inputs": sorted({p.source for p in parts}), "read": read,
              "bytes": size, "reasons": dict(sorted(reasons.items())),
              "seconds": round(time.perf_counter() - started, 3), "session": session,
              "finished": time.time()}
    marker |= {kind: len(rows) for kind, rows in outcomes.items()}
    write_shard(config.out, shard, {**outcomes, "changes": audit}, config.format, marker)
    return marker


def _manifest(config: RunConfig, paths: list[Path]) -> dict[str, Any]:
    markers = [json.loads(p.read_text(encoding="utf-8"))
               for p in sorted((config.out / "done").glob("*.json"))]
    totals = {key: sum(m[key] for m in markers) for key in ("read", *OUTCOMES, "bytes")}
    reasons: Counter[str] = Counter()
    for marker in markers:
        reasons.update(marker["reasons"])
    # Wall time of every session that worked on the job (a killed one counts up to its
    # last committed shard), so a resumed run reports the whole job, not its last part.
    sessions: dict[float, float] = {}
    for marker in markers:
        start = marker.get("session", marker.get("finished", 0.0))
        sessions[start] = max(sessions.get(start, start), marker.get("finished", start))
    seconds = sum(end - start for start, end in sessions.items())
    import numpy
    import selectolax

    return {
        "read": totals["read"], "kept": totals["kept"], "rejected": totals["rejected"],
        "failed": totals["failed"], "reasons": dict(sorted(reasons.items())),
        "inputs": [str(p) for p in paths], "shards": len(markers),
        "format": config.format, "config": config.describe(),
        "versions": {"zhclean": __version__, "python": sys.version.split()[0],
                     "numpy": numpy.__version__, "selectolax": selectolax.__version__},
        "timings": {"seconds": round(seconds, 3), "sessions": len(sessions),
                    "shard_seconds": round(sum(m.get("seconds", 0) for m in markers), 3),
                    "mb_per_second": round(totals["bytes"] / 1e6 / max(seconds, 1e-9), 2),
                    "workers": config.workers},
    }
