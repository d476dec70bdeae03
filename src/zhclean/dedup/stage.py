"""The dedup stage over a run's output folder (``zhclean dedup OUT``, and the last stage
of ``zhclean run`` unless ``--no-dedup``).

Reads the kept records shard by shard (texts are hashed and dropped as they pass),
clusters them, then gives every kept record its verdict, the columns of
``DEDUP_COLUMNS`` (``cluster_id``, ``is_canonical``, ``duplicate_of``, ``joined``,
``join_score``; each kept shard is rewritten atomically with the run's schema plus
these), and lists the verdicts in ``dedup/clusters.jsonl``. A record is known
by its position (``SHARD:ROW``), never by its id alone: re-crawled urls used as ids
repeat. The manifest gains a ``dedup`` section with the counts.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..io.schema import DEDUP_COLUMNS, kept_schema
from ..io.writers import (
    atomic_write,
    kept_files,
    read_kept,
    rewrite_kept,
    update_manifest,
    write_kept_table,
)
from ..progress import Progress
from .clusters import CONTAINMENT, THRESHOLD, Verdict, cluster_table

__all__ = ["dedup_folder"]

_FIELDS = ["id", "text", "site", "source", "published"]


def _kept(shards: list[Path], progress: Progress, rows: list[int]
          ) -> Iterator[dict[str, Any]]:
    """The kept records, shard by shard; ``rows`` gets each shard's row count."""
    for path in shards:
        count = 0
        for count, row in enumerate(read_kept(path, columns=_FIELDS), start=1):
            yield row | {"key": f"{path.stem}:{count - 1}"}
        rows.append(count)
        progress.advance()


def _columns(verdict: Verdict) -> dict[str, Any]:
    """A verdict as the values of ``DEDUP_COLUMNS`` (named as its fields)."""
    return {name: getattr(verdict, name) for name in DEDUP_COLUMNS}


def _annotate(path: Path, verdicts: list[Verdict]) -> list[str]:
    """Give every record of one kept shard its verdict, rewriting the shard atomically;
    returns the shard's lines of ``clusters.jsonl``. A Parquet shard gains its columns
    in Arrow, so its texts are never turned into Python objects (a record of 60 MB
    would cost several times that)."""
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        table = pq.read_table(path)
        keys = [f"{path.stem}:{n}" for n in range(table.num_rows)]
        values = [_columns(v) for v in verdicts]
        write_kept_table(path, table, {name: [v[name] for v in values]
                                       for name in DEDUP_COLUMNS})
        ids, inputs = (table.column(name).to_pylist() for name in ("id", "input"))
    else:
        rows = read_kept(path)
        keys = [f"{path.stem}:{n}" for n in range(len(rows))]
        values = [_columns(v) for v in verdicts]
        for row, value in zip(rows, values, strict=True):
            row |= value
        rewrite_kept(path, rows, kept_schema(DEDUP_COLUMNS))
        ids, inputs = [r["id"] for r in rows], [r["input"] for r in rows]
    return [json.dumps({"key": key, "id": record_id, "input": source} | value,
                       ensure_ascii=False) + "\n"
            for key, record_id, source, value in zip(keys, ids, inputs, values, strict=True)]


def dedup_folder(out: Path, threshold: float = THRESHOLD, containment: float = CONTAINMENT,
                 progress: bool = False) -> dict[str, Any]:
    """Cluster the kept records of a run; returns the manifest's ``dedup`` section."""
    if not (out / "kept").is_dir():
        raise UsageError(f"{out} holds no run output (no kept/ folder); run zhclean run first")
    shards = kept_files(out)
    lines: list[str] = []
    joined: Counter[str] = Counter()
    clusters: set[str] = set()
    counts: list[int] = []
    with Progress("dedup: signatures", len(shards), enabled=progress) as bar:
        clustering = cluster_table(_kept(shards, bar, counts), threshold=threshold,
                                   containment=containment)
    with clustering, Progress("dedup: writing", len(shards), enabled=progress) as bar:
        records = len(clustering)
        index = 0
        for path, rows in zip(shards, counts, strict=True):  # the verdicts' order
            verdicts = [clustering.verdict(i) for i in range(index, index + rows)]
            index += rows
            joined.update(v.joined for v in verdicts if v.joined)
            clusters.update(v.cluster_id for v in verdicts if v.is_canonical)
            lines += _annotate(path, verdicts)
            bar.advance()
    atomic_write(out / "dedup" / "clusters.jsonl", "".join(lines).encode("utf-8",
                                                                          "surrogatepass"))
    section = {"threshold": threshold, "containment": containment, "records": records,
               "clusters": len(clusters), "duplicates": sum(joined.values()),
               "joined": dict(sorted(joined.items()))}
    update_manifest(out, "dedup", section)
    return section
