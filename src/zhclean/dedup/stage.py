"""The dedup stage over a run's output folder (``zhclean dedup OUT``, and the last stage
of ``zhclean run`` unless ``--no-dedup``).

Reads the kept records shard by shard (texts are hashed and dropped as they pass),
clusters them, then gives every kept record its ``cluster_id``, ``is_canonical`` and
``duplicate_of`` (rewriting each kept shard atomically), and lists the verdicts in
``dedup/clusters.jsonl``, keyed by ``INPUT#ID`` (ids may repeat across inputs). The
manifest gains a ``dedup`` section with the counts.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..io.writers import atomic_write, read_kept, rewrite_kept, update_manifest
from .clusters import Verdict, cluster

__all__ = ["dedup_folder"]

_FIELDS = ["id", "input", "text", "site", "source", "published"]
_VERDICT = ("cluster_id", "is_canonical", "duplicate_of")


def _kept(out: Path) -> Iterator[dict[str, Any]]:
    for path in sorted((out / "kept").iterdir()):
        if path.suffix in (".jsonl", ".parquet"):
            yield from read_kept(path, columns=_FIELDS)


def _key(row: dict[str, Any]) -> str:
    return f"{row['input']}#{row['id']}" if row.get("input") else str(row["id"])


def _annotate(path: Path, verdicts: dict[str, Verdict]) -> None:
    """Give every kept record of one shard its verdict, rewriting the shard atomically."""
    if path.suffix == ".jsonl":
        rows = read_kept(path)
        for row in rows:
            verdict = verdicts[_key(row)]
            row |= {"cluster_id": verdict.cluster_id, "is_canonical": verdict.is_canonical,
                    "duplicate_of": verdict.duplicate_of}
        rewrite_kept(path, rows)
    elif path.suffix == ".parquet":
        import io

        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pq.read_table(path)
        table = table.drop_columns([c for c in _VERDICT if c in table.column_names])
        keys = [_key(r) for r in table.select(["id", "input"]).to_pylist()]
        chosen = [verdicts[k] for k in keys]
        table = table.append_column("cluster_id", pa.array([v.cluster_id for v in chosen]))
        table = table.append_column("is_canonical", pa.array([v.is_canonical for v in chosen]))
        table = table.append_column("duplicate_of",
                                    pa.array([v.duplicate_of for v in chosen], pa.string()))
        sink = io.BytesIO()
        pq.write_table(table, sink, compression="zstd")
        atomic_write(path, sink.getvalue())


def dedup_folder(out: Path, threshold: float = 0.8) -> dict[str, Any]:
    """Cluster the kept records of a run; returns the manifest's ``dedup`` section."""
    if not (out / "kept").is_dir():
        raise UsageError(f"{out} holds no run output (no kept/ folder); run zhclean run first")
    verdicts = cluster(_kept(out), threshold=threshold)
    lines = [json.dumps({"key": key, "cluster_id": v.cluster_id, "is_canonical": v.is_canonical,
                         "duplicate_of": v.duplicate_of}, ensure_ascii=False) + "\n"
             for key, v in sorted(verdicts.items())]
    atomic_write(out / "dedup" / "clusters.jsonl", "".join(lines).encode())
    for path in sorted((out / "kept").iterdir()):
        _annotate(path, verdicts)
    section = {"threshold": threshold, "records": len(verdicts),
               "clusters": len({v.cluster_id for v in verdicts.values()}),
               "duplicates": sum(not v.is_canonical for v in verdicts.values())}
    update_manifest(out, "dedup", section)
    return section
