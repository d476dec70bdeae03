"""The dedup stage over a run's output folder (``zhclean dedup OUT``, and the last stage
of ``zhclean run`` unless ``--no-dedup``).

Reads the kept records shard by shard (texts are hashed and dropped as they pass),
clusters them, and writes ``dedup/clusters.jsonl``: one line per kept record, keyed by
``INPUT#ID`` (ids may repeat across inputs), with ``cluster_id``, ``is_canonical`` and
``duplicate_of`` (keys too). The manifest gains a ``dedup``
section with the counts.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..io.writers import atomic_write
from .clusters import cluster

__all__ = ["dedup_folder"]

_FIELDS = ["id", "input", "text", "site", "source", "published"]


def _kept(out: Path) -> Iterator[dict[str, Any]]:
    for path in sorted((out / "kept").iterdir()):
        if path.suffix == ".jsonl":
            # split on \n only: a text may hold U+2028 or U+0085, which splitlines cuts at
            for line in path.read_bytes().split(b"\n"):
                if line:
                    yield json.loads(line)
        elif path.suffix == ".parquet":
            import pyarrow.parquet as pq

            for batch in pq.ParquetFile(path).iter_batches(batch_size=512, columns=_FIELDS):
                yield from batch.to_pylist()


def dedup_folder(out: Path, threshold: float = 0.8) -> dict[str, Any]:
    """Cluster the kept records of a run; returns the manifest's ``dedup`` section."""
    if not (out / "kept").is_dir():
        raise UsageError(f"{out} holds no run output (no kept/ folder); run zhclean run first")
    verdicts = cluster(_kept(out), threshold=threshold)
    lines = [json.dumps({"key": key, "cluster_id": v.cluster_id, "is_canonical": v.is_canonical,
                         "duplicate_of": v.duplicate_of}, ensure_ascii=False) + "\n"
             for key, v in sorted(verdicts.items())]
    atomic_write(out / "dedup" / "clusters.jsonl", "".join(lines).encode())
    section = {"threshold": threshold, "records": len(verdicts),
               "clusters": len({v.cluster_id for v in verdicts.values()}),
               "duplicates": sum(not v.is_canonical for v in verdicts.values())}
    manifest_path = out / "manifest.json"
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        manifest["dedup"] = section
        atomic_write(manifest_path, json.dumps(manifest, ensure_ascii=False, indent=1).encode())
    return section
