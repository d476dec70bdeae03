"""The local engine: a process pool over shards, streaming, resumable, losing nothing.

Inputs are read in order and cut into shards of ``shard_size`` records (so a shard's
name depends only on the input, never on the worker count). Each shard is processed in
a worker and committed atomically (``io/writers.py``); at most one shard more than there
are workers is in flight, so memory stays flat however large the corpus. After ``kill -9`` at any
moment, ``--resume`` skips the committed shards and redoes the rest; the output equals an
uninterrupted run's. ``manifest.json`` is written last, from the shards' markers.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import UsageError
from ..io.readers import (
    Fields,
    FileSlice,
    Item,
    expand_inputs,
    plain_jsonl,
    read_input,
    read_slice,
)
from ..io.records import RawRecord
from ..io.writers import atomic_write, write_shard
from ..process import Options, process

__all__ = ["RunConfig", "run"]

OUTCOMES = ("kept", "rejected", "failed")
SHARD_BYTES = 4_000_000  # a shard's raw size at most (about): bounds memory in flight


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
        """The configuration as recorded in the manifest (what decides the output)."""
        data = asdict(self)
        data["out"] = str(self.out)
        for volatile in ("resume", "progress", "workers"):
            data.pop(volatile)
        return data


def run(config: RunConfig) -> dict[str, Any]:
    """Run the job; returns the manifest (also written to ``OUT/manifest.json``)."""
    if config.format not in ("parquet", "jsonl"):
        raise UsageError(f"unknown format {config.format!r}; use parquet or jsonl")
    paths = expand_inputs(list(config.inputs))
    _prepare(config, paths)
    started = time.perf_counter()
    done = {p.stem for p in (config.out / "done").glob("*.json")}
    progress = _Progress(config.progress, sum(p.stat().st_size for p in paths))
    with progress:
        if config.workers <= 1:
            for shard, source, items, consumed in _shards(paths, config):
                marker = None if shard in done else _run_shard(config, shard, source, items)
                progress.add(marker, consumed)
        else:
            _run_pool(config, paths, done, progress)
    manifest = _manifest(config, paths, time.perf_counter() - started)
    atomic_write(config.out / "manifest.json",
                 json.dumps(manifest, ensure_ascii=False, indent=1).encode())
    # Corpus stages: they read and rewrite the kept shards, and add their manifest section.
    if config.site_chrome:
        from ..site_chrome import remove_site_chrome

        manifest["site_chrome"] = remove_site_chrome(config.out)
    if config.dedup:
        from ..dedup.stage import dedup_folder

        manifest["dedup"] = dedup_folder(config.out)
    return manifest


def _prepare(config: RunConfig, paths: list[Path]) -> None:
    """Refuse to mix runs: a used folder is only resumed, and only with the same job."""
    recorded = config.out / "run.json"
    description = json.loads(json.dumps(  # as JSON sees it: tuples become lists
        {"config": config.describe(), "inputs": [str(p) for p in paths]}))
    if recorded.exists():
        if not config.resume:
            raise UsageError(f"{config.out} holds an earlier run; pass --resume to finish it,"
                             " or choose a new output folder")
        if json.loads(recorded.read_text(encoding="utf-8")) != description:
            raise UsageError(f"{config.out} holds a run with other inputs or options;"
                             " resume needs the same ones")
        for partial in config.out.rglob(".*.tmp-*"):  # writes a kill cut short
            partial.unlink()
        return
    if config.out.exists() and any(config.out.iterdir()):
        raise UsageError(f"{config.out} is not empty; choose a new output folder")
    atomic_write(recorded, json.dumps(description, ensure_ascii=False, indent=1).encode())
    (config.out / "kept").mkdir()  # an empty corpus is still a run


Shard = list[Item] | FileSlice


def _shards(paths: list[Path], config: RunConfig) -> Iterator[tuple[str, str, Shard, int]]:
    """Shards of ``shard_size`` records, or fewer when they reach ``SHARD_BYTES``, with
    the input bytes each accounts for (for the progress bar). The cut depends on the
    input alone, so a resumed run cuts the same shards. A plain JSONL file is cut into
    byte ranges that the workers read themselves."""
    for number, path in enumerate(paths):
        size_on_disk = path.stat().st_size
        if plain_jsonl(path):
            for index, piece in enumerate(_slices(path, config)):
                yield f"{number:05d}-{index:06d}", str(path), piece, piece.end - piece.start
            continue
        batch: list[Item] = []
        index = size = 0
        for item in read_input(path, config.fields):
            batch.append(item)
            size += len(getattr(item, "data", ""))
            if len(batch) == config.shard_size or size >= SHARD_BYTES:
                yield f"{number:05d}-{index:06d}", str(path), batch, 0
                batch, index, size = [], index + 1, 0
        if batch or index == 0:
            yield f"{number:05d}-{index:06d}", str(path), batch, size_on_disk


def _slices(path: Path, config: RunConfig) -> Iterator[FileSlice]:
    """The same cut as for other inputs, by scanning lines without parsing them."""
    start = offset = size = count = 0
    first = line_number = 1
    with path.open("rb") as handle:
        for line in handle:
            offset += len(line)
            if line.strip():
                count += 1
                size += len(line)
            line_number += 1
            if count == config.shard_size or size >= SHARD_BYTES:
                yield FileSlice(str(path), start, offset, first, config.fields)
                start, first, size, count = offset, line_number, 0, 0
    if count or start == 0:
        yield FileSlice(str(path), start, offset, first, config.fields)


def _run_pool(config: RunConfig, paths: list[Path], done: set[str],
              progress: _Progress) -> None:
    window = config.workers + 1  # shards in flight: bounds memory, keeps workers busy
    process(RawRecord("warm-up", "<p>载入。</p>"), config.options)  # forked workers share tables
    with ProcessPoolExecutor(max_workers=config.workers, initializer=_die_with_parent) as pool:
        pending: dict[Future[dict[str, Any]], int] = {}
        for shard, source, items, consumed in _shards(paths, config):
            if shard in done:
                progress.add(None, consumed)
                continue
            pending[pool.submit(_run_shard, config, shard, source, items)] = consumed
            if len(pending) >= window:
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    progress.add(future.result(), pending.pop(future))
        for future, consumed in pending.items():
            progress.add(future.result(), consumed)


def _die_with_parent() -> None:
    """On Linux, a worker is killed when its parent dies (kill -9 leaves no orphans that
    could still commit shards beside a resumed run)."""
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _run_shard(config: RunConfig, shard: str, source: str, shard_items: Shard
               ) -> dict[str, Any]:
    items: list[Item] = (list(read_slice(shard_items)) if isinstance(shard_items, FileSlice)
                         else shard_items)
    outcomes: dict[str, list[dict[str, Any]]] = {kind: [] for kind in OUTCOMES}
    audit: list[dict[str, Any]] | None = [] if config.options.changes else None
    reasons: Counter[str] = Counter()
    size = 0
    for item in items:
        data = getattr(item, "data", "")
        size += len(data) if isinstance(data, bytes) else len(data.encode("utf-8", "replace"))
        kind, row = process(item, config.options)
        changes = row.pop("changes", None)
        if audit is not None and changes is not None:
            audit.append({"id": row["id"], "changes": changes})
        row["input"] = source
        outcomes[kind].append(row)
        if kind == "rejected":
            reasons[row["reason"]] += 1
    marker = {"shard": shard, "input": source, "read": len(items), "bytes": size,
              "reasons": dict(sorted(reasons.items()))}
    marker |= {kind: len(rows) for kind, rows in outcomes.items()}
    write_shard(config.out, shard, {**outcomes, "changes": audit}, config.format, marker)
    return marker


def _manifest(config: RunConfig, paths: list[Path], seconds: float) -> dict[str, Any]:
    markers = [json.loads(p.read_text(encoding="utf-8"))
               for p in sorted((config.out / "done").glob("*.json"))]
    totals = {key: sum(m[key] for m in markers) for key in ("read", *OUTCOMES, "bytes")}
    reasons: Counter[str] = Counter()
    for marker in markers:
        reasons.update(marker["reasons"])
    import numpy
    import selectolax

    return {
        "read": totals["read"], "kept": totals["kept"], "rejected": totals["rejected"],
        "failed": totals["failed"], "reasons": dict(sorted(reasons.items())),
        "inputs": [str(p) for p in paths], "shards": len(markers),
        "format": config.format, "config": config.describe(),
        "versions": {"zhclean": __version__, "python": sys.version.split()[0],
                     "numpy": numpy.__version__, "selectolax": selectolax.__version__},
        "timings": {"seconds": round(seconds, 3),
                    "mb_per_second": round(totals["bytes"] / 1e6 / max(seconds, 1e-9), 2),
                    "workers": config.workers},
    }


class _Progress:
    """A progress bar on standard error when it is a terminal (rich): input bytes done
    with the time remaining, records, and MB/s of pages processed."""

    def __init__(self, enabled: bool, total: int) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.total, self.records, self.pages = total, 0, 0
        self.started = time.perf_counter()

    def __enter__(self) -> _Progress:
        if self.enabled:
            from rich.progress import (
                BarColumn,
                Progress,
                TaskProgressColumn,
                TextColumn,
                TimeRemainingColumn,
            )

            # no refresh thread: the pool forks workers, and a fork should not copy one
            self.bar = Progress(TextColumn("{task.description}"), BarColumn(),
                                TaskProgressColumn(), TimeRemainingColumn(), transient=True,
                                auto_refresh=False)
            self.bar.start()
            self.task = self.bar.add_task("records: 0", total=self.total or None)
        return self

    def add(self, marker: dict[str, Any] | None, consumed: int) -> None:
        """A shard finished (``marker``) or was already done (None), and the input bytes
        it accounts for."""
        if marker is not None:
            self.records += marker["read"]
            self.pages += marker["bytes"]
        if self.enabled:
            speed = self.pages / 1e6 / max(time.perf_counter() - self.started, 1e-9)
            self.bar.update(self.task, advance=consumed,
                            description=f"records: {self.records:,} ({speed:.1f} MB/s)")
            self.bar.refresh()

    def __exit__(self, *exc: object) -> None:
        if self.enabled:
            self.bar.stop()
