"""The dedup stage over a run's output folder (``zhclean dedup OUT``, and the last stage
of ``zhclean run`` unless ``--no-dedup``).

Three steps. Every kept shard is sketched, in parallel on the run's engine (texts are
normalised and hashed, :mod:`~zhclean.dedup.sketches`), each shard's sketches saved in
the stage's folder. The sketches are clustered, read back in shard order. Then every
kept shard gets its records' verdicts, in parallel again: the columns of
``DEDUP_COLUMNS`` (``cluster_id``, ``is_canonical``, ``duplicate_of``, ``joined``,
``join_score``), each shard rewritten atomically with the run's schema plus these, and
``dedup/clusters.jsonl`` lists the verdicts. A record is known by its position
(``SHARD:ROW``), never by its id alone: re-crawled urls used as ids repeat. The manifest
gains a ``dedup`` section with the counts.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..io.schema import DEDUP_COLUMNS, kept_schema
from ..io.writers import atomic_write, kept_files, read_kept, rewrite_kept, update_manifest
from ..stages.passes import StageFolder, Write, each_kept_shard
from .clusters import CONTAINMENT, THRESHOLD, Verdict, cluster_sketches
from .minhash import MinHasher
from .sketches import load, save, sketch

__all__ = ["dedup_folder"]

_FIELDS = ["id", "text", "site", "source", "published"]
NUM_PERM, NGRAM = 128, 5


def dedup_folder(out: Path, threshold: float = THRESHOLD, containment: float = CONTAINMENT,
                 engine: Any = None, progress: bool = False) -> dict[str, Any]:
    """Cluster the kept records of a run; returns the manifest's ``dedup`` section.
    ``engine`` defaults to this process alone."""
    if not (out / "kept").is_dir():
        raise UsageError(f"{out} holds no run output (no kept/ folder); run zhclean run first")
    if engine is None:
        from ..engines.local import LocalEngine

        with LocalEngine(1) as serial:
            return dedup_folder(out, threshold, containment, serial, progress)
    folder = StageFolder(out, "dedup", {"threshold": threshold, "containment": containment,
                                        "num_perm": NUM_PERM, "ngram": NGRAM})
    shards = kept_files(out)
    if all(folder.done("verdicts", path.stem) for path in shards):
        written = each_kept_shard(engine, folder, "verdicts", _annotate_shard)  # all done
    else:
        sketches = folder.scratch("sketches")
        rows = each_kept_shard(engine, folder, "sketch", _sketch_shard,
                               lambda path: (str(sketches / f"{path.stem}.npz"),), progress)
        with cluster_sketches((load(sketches / f"{path.stem}.npz") for path in shards),
                              threshold, containment, NUM_PERM) as clustering:
            starts, first = {}, 0
            for path in shards:
                starts[path.stem], first = first, first + rows[path.stem]["rows"]

            def verdicts(path: Path) -> tuple[list[Verdict]]:
                start = starts[path.stem]
                return ([clustering.verdict(i)
                         for i in range(start, start + rows[path.stem]["rows"])],)

            written = each_kept_shard(engine, folder, "verdicts", _annotate_shard,
                                      verdicts, progress)
        # the sketches are large (four bytes an n-gram): gone with their markers, so a
        # shard redone later has every shard sketched again
        folder.drop("sketches")
        folder.drop("sketch")
    joined: Counter[str] = Counter()
    clusters = records = 0
    lines = []
    for result in written.values():
        for line in result["lines"]:
            records += 1
            clusters += line["is_canonical"]
            joined.update([line["joined"]] if line["joined"] else [])
            lines.append(json.dumps(line, ensure_ascii=False) + "\n")
    atomic_write(out / "dedup" / "clusters.jsonl",
                 "".join(lines).encode("utf-8", "surrogatepass"))
    section = {"threshold": threshold, "containment": containment, "records": records,
               "clusters": clusters, "duplicates": sum(joined.values()),
               "joined": dict(sorted(joined.items()))}
    update_manifest(out, "dedup", section)
    return section


def _sketch_shard(path: Path, target: str) -> tuple[dict[str, Any], Write]:
    """One kept shard sketched; the write saves the sketches."""
    rows = read_kept(path, columns=_FIELDS)
    found = sketch(_keyed(path, rows), MinHasher(NUM_PERM, NGRAM))

    def write() -> None:
        partial = Path(f"{target}.tmp-{os.getpid()}")
        save(found, partial)
        os.replace(partial, target)

    return {"rows": len(rows)}, write


def _keyed(path: Path, rows: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for number, row in enumerate(rows):
        yield row | {"key": f"{path.stem}:{number}"}


def _columns(verdict: Verdict) -> dict[str, Any]:
    """A verdict as the values of ``DEDUP_COLUMNS`` (named as its fields)."""
    return {name: getattr(verdict, name) for name in DEDUP_COLUMNS}


def _annotate_shard(path: Path, verdicts: list[Verdict]) -> tuple[dict[str, Any], Write]:
    """Give every record of one kept shard its verdict; the result holds the shard's
    lines of ``clusters.jsonl``. A Parquet shard gains its columns in Arrow, so its
    texts are never turned into Python objects (a record of 60 MB would cost several
    times that)."""
    values = [_columns(v) for v in verdicts]
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        from ..io.writers import write_kept_table

        table = pq.read_table(path)
        ids, inputs = (table.column(name).to_pylist() for name in ("id", "input"))

        def write() -> None:
            write_kept_table(path, table, {name: [v[name] for v in values]
                                           for name in DEDUP_COLUMNS})
    else:
        rows = read_kept(path)
        for row, value in zip(rows, values, strict=True):
            row |= value
        ids, inputs = [r["id"] for r in rows], [r["input"] for r in rows]

        def write() -> None:
            rewrite_kept(path, rows, kept_schema(DEDUP_COLUMNS))
    lines = [{"key": f"{path.stem}:{n}", "id": record_id, "input": source} | value
             for n, (record_id, source, value) in enumerate(zip(ids, inputs, values,
                                                                strict=True))]
    return {"lines": lines}, write
