"""A run: the shards planned, mapped by an engine over ``run_shard``, the manifest
written, then the corpus stages in order. Streaming, resumable, losing nothing: after
``kill -9`` at any moment, ``--resume`` skips the committed shards and redoes the rest,
and the output equals an uninterrupted run's. A lock keeps a second run out of a folder
in use."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any, Protocol, TypeVar

from ..errors import UsageError
from ..io.outfolder import absolute, guarded, locked
from ..io.readers import Location, input_size, scan_inputs
from ..io.writers import atomic_write
from ..progress import Progress
from ..stages import stage_named
from .config import RunConfig
from .folder import committed, manifest, prepare
from .plan import Shard, plan_shards
from .shard import run_shard

__all__ = ["Engine", "Report", "run"]

R = TypeVar("R")

# Called with ("main", manifest) when the main stage ends, then with each corpus
# stage's name and manifest section as it ends (the CLI prints them as they come).
Report = Callable[[str, dict[str, Any]], None]

class Engine(Protocol):
    """Calls a function over many arguments, on its workers, and says as each call
    ends; everything else is the job's. Used in a ``with`` block, which holds the
    workers (a process pool, a Ray session) for the whole run."""

    workers: int

    def __enter__(self) -> Engine: ...

    def __exit__(self, *exc: object) -> None: ...

    def map(self, fn: Callable[..., R], calls: Iterable[tuple[Any, ...]]
            ) -> Iterator[tuple[int, R]]:
        """``fn(*call)`` for every call, a few at a time (``calls`` is read as they
        go: it may be long); yields each call's position and result as it ends."""
        ...


def run(config: RunConfig, report: Report | None = None, engine: Engine | None = None
        ) -> dict[str, Any]:
    """Run the job; returns the manifest (also written to ``OUT/manifest.json``).

    ``engine`` defaults to the one ``config.engine`` names. Misuse raises
    :class:`UsageError` or :class:`InputError`; a folder that cannot be written (full
    disk, no permission) :class:`OutputError`; Ctrl-C :class:`Interrupted`. Each says
    what to do next; finished shards are kept."""
    if config.format not in ("parquet", "jsonl"):
        raise UsageError(f"unknown format {config.format!r}; use parquet or jsonl")
    if engine is None:
        from ..engines import make_engine

        engine = make_engine(config.engine, config.workers, config.address)
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
            return _run_locked(config, engine, found.files, found.skipped_counts(), report)


def _run_locked(config: RunConfig, engine: Engine, paths: list[Location],
                skipped: dict[str, int], report: Report | None) -> dict[str, Any]:
    prepare(config, paths)
    session = time.time()
    total = sum(input_size(p) for p in paths)  # 0 for a broken link or a FIFO
    done = committed(config)
    consumed: list[int] = []  # the input bytes of each call, by its position

    with engine:
        with Progress("records: 0", total, enabled=config.progress) as bar:
            throughput = _Throughput(bar)

            def calls() -> Iterator[tuple[RunConfig, Shard, float]]:
                for shard in plan_shards(paths, config):
                    if shard.name in done:
                        throughput.add(None, shard.consumed)
                    else:
                        consumed.append(shard.consumed)
                        yield config, shard, session

            for index, marker in engine.map(run_shard, calls()):
                throughput.add(marker, consumed[index])
        found = manifest(config, paths, engine.workers) | {"skipped": skipped}
        atomic_write(config.out / "manifest.json",
                     json.dumps(found, ensure_ascii=False, indent=1).encode())
        if report:
            report("main", found)
        # Corpus stages: they read and rewrite the kept shards through the same engine,
        # and add their manifest section.
        for name, settings in config.stages:
            section = stage_named(name).run(config.out, settings, engine, config.progress)
            if report:
                report(name, section)
    # the manifest as the stages left it (a stage may recount the records: refilter)
    final: dict[str, Any] = json.loads((config.out / "manifest.json").read_text(
        encoding="utf-8"))
    return final


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
