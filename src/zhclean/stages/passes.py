"""Passes over the kept shards: the one path by which corpus stages read and rewrite
them, on any engine, a shard per call, resumable shard by shard.

A pass calls a stage's shard function, ``fn(path, *args) -> (result, write)``, on every
kept shard, through the engine (a process pool or Ray tasks). ``result`` is a small JSON
object (what the stage sums up: counts, a shard's lines of a listing) and ``write`` the
shard's rewrite, or None when nothing changes. Each call commits in this order: the
result to ``OUT/stages/STAGE/PASS/SHARD.json.pending``, then ``write()``, then the
marker renamed to ``SHARD.json``. A shard with a marker is not called again (on a
resumed run, or when the stage runs again); a call killed after its pending result
reuses that result when it runs again, since the shard may be rewritten already and
would no longer show what was done to it.

A shard that the main stage commits again loses its markers (:func:`forget_shard`),
so every stage sees it anew. A stage's folder records its settings: run again with
other settings (``zhclean dedup OUT --threshold 0.9``), the stage starts over.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..io.writers import atomic_write, kept_files
from ..progress import Progress

__all__ = ["ShardFn", "StageFolder", "Write", "each_kept_shard", "forget_shard", "shard_call"]

Write = Callable[[], None]
ShardFn = Callable[..., tuple[dict[str, Any], Write | None]]


class StageFolder:
    """``OUT/stages/NAME/``: a stage's markers and scratch files, for one set of its
    settings."""

    def __init__(self, out: Path, name: str, settings: dict[str, Any]) -> None:
        self.out, self.name = out, name
        self.path = out / "stages" / name
        recorded = self.path / "settings.json"
        wanted = json.dumps(settings, sort_keys=True)
        if recorded.exists() and recorded.read_text(encoding="utf-8") != wanted:
            shutil.rmtree(self.path)  # other settings: the stage's earlier work is void
        if not recorded.exists():
            atomic_write(recorded, wanted.encode())

    def scratch(self, name: str) -> Path:
        """A folder for the stage's intermediate files (removed with :meth:`drop`)."""
        folder = self.path / name
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def drop(self, name: str) -> None:
        shutil.rmtree(self.path / name, ignore_errors=True)

    def done(self, pass_name: str, shard: str) -> bool:
        return (self.path / pass_name / f"{shard}.json").exists()


def forget_shard(out: Path, shard: str) -> None:
    """Forget what the stages did to a shard that the main stage writes again (a resumed
    run redoing it): every pass calls it again."""
    for marker in out.glob(f"stages/*/*/{shard}.json*"):
        marker.unlink(missing_ok=True)


def each_kept_shard(engine: Any, folder: StageFolder, pass_name: str, fn: ShardFn,
                    args: Callable[[Path], tuple[Any, ...]] | None = None,
                    progress: bool = False) -> dict[str, dict[str, Any]]:
    """Every kept shard's result of ``fn`` (by shard name, in shard order), calling it
    through ``engine`` on the shards this pass has not finished. ``args(path)`` gives a
    shard's further arguments; it is asked only for the shards that are called."""
    shards = kept_files(folder.out)
    markers = folder.path / pass_name
    markers.mkdir(parents=True, exist_ok=True)
    todo = [path for path in shards if not folder.done(pass_name, path.stem)]

    def calls() -> Iterator[tuple[Any, ...]]:
        for path in todo:
            yield (fn, path, markers / f"{path.stem}.json", args(path) if args else ())

    label = f"{folder.name.replace('_', ' ')}: {pass_name}"
    with Progress(label, len(shards), enabled=progress) as bar:
        bar.advance(len(shards) - len(todo))
        for _ in engine.map(shard_call, calls()):
            bar.advance()
    return {path.stem: json.loads((markers / f"{path.stem}.json").read_bytes())
            for path in shards}


def shard_call(fn: ShardFn, path: Path, marker: Path, args: tuple[Any, ...]) -> None:
    """One shard's call, committed: the result, the rewrite, the marker (module-level,
    so that a process pool and Ray can send it to their workers)."""
    pending = marker.with_name(marker.name + ".pending")
    result, write = fn(path, *args)
    if pending.exists():  # a killed call got this far: its result saw the shard first
        result = json.loads(pending.read_bytes())
    else:
        atomic_write(pending, json.dumps(result).encode())
    if write is not None:
        write()
    os.replace(pending, marker)
