"""One shard's work, the same on every engine: its records processed, every one kept,
rejected with a reason or failed with its error, and the shard committed atomically
with its completion marker (``io/writers.py``). It depends on its arguments alone, so an
engine may run it anywhere and again: a retried shard rewrites the same files."""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

from ..io.readers import FileSlice, read_slice
from ..io.writers import write_shard
from ..process import process
from ..stages.passes import forget_shard
from .config import RunConfig
from .plan import Shard

__all__ = ["OUTCOMES", "run_shard"]

OUTCOMES = ("kept", "rejected", "failed")


def run_shard(config: RunConfig, shard: Shard, session: float) -> dict[str, Any]:
    """Process and commit one shard; returns its marker (``done/SHARD.json``)."""
    started = time.perf_counter()
    outcomes: dict[str, list[dict[str, Any]]] = {kind: [] for kind in OUTCOMES}
    audit: list[dict[str, Any]] | None = [] if config.options.changes else None
    reasons: Counter[str] = Counter()
    size = read = 0
    for part in shard.parts:
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
    marker = {"shard": shard.name, "inputs": sorted({p.source for p in shard.parts}),
              "read": read, "bytes": size, "reasons": dict(sorted(reasons.items())),
              "seconds": round(time.perf_counter() - started, 3), "session": session,
              "finished": time.time()}
    marker |= {kind: len(rows) for kind, rows in outcomes.items()}
    forget_shard(config.out, shard.name)
    write_shard(config.out, shard.name, {**outcomes, "changes": audit}, config.format, marker)
    return marker
