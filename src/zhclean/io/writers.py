"""Writers: a shard's outcomes, committed atomically.

Kept articles go to ``kept/SHARD.parquet`` (default) or ``kept/SHARD.jsonl``; rejected
and failed records to ``rejected/SHARD.jsonl`` and ``failed/SHARD.jsonl``; with changes
on, every kept record's repairs to ``changes/SHARD.jsonl`` (``{"id", "changes"}``). Kept
records have one schema (``io/schema.py``) in both formats. Every file is written under
a temporary name and renamed into place; the shard's ``done/SHARD.json``
marker (its counts) is renamed last, so a shard is either wholly committed or redone.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pyarrow as pa

from .schema import conform, kept_schema, schema_with

__all__ = ["atomic_write", "kept_files", "read_kept", "rewrite_kept", "update_manifest",
           "write_kept_table", "write_shard"]


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new, never half.
    A write that fails (a full disk) leaves no temporary file behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        with tmp.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _jsonl(rows: list[dict[str, Any]], sort_keys: bool = True) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False, sort_keys=sort_keys) + "\n"
                   for r in rows).encode("utf-8", "surrogatepass")


def _parquet(rows: list[dict[str, Any]], schema: pa.Schema) -> bytes:
    import pyarrow.parquet as pq

    columns = {name: [r.get(name) for r in rows] for name in schema.names}
    table = pa.Table.from_pydict(columns, schema=schema)
    sink = pa.BufferOutputStream()
    with pq.ParquetWriter(sink, schema, compression="zstd") as writer:
        if rows:  # no rows, no row group: readers (datasets) refuse an empty row group
            writer.write_table(table)
    return bytes(sink.getvalue().to_pybytes())


def _kept_bytes(rows: list[dict[str, Any]], fmt: str, schema: pa.Schema) -> bytes:
    rows = conform(rows, schema)
    return _parquet(rows, schema) if fmt == "parquet" else _jsonl(rows, sort_keys=False)


def write_shard(out: Path, shard: str, outcomes: dict[str, list[dict[str, Any]] | None],
                fmt: str, marker: dict[str, Any]) -> None:
    """Commit one shard: its files, then its marker. The kept file is written even when
    it holds no record (with the full schema); rejected, failed and changes files only
    when they hold some, so a corpus of small files does not become four times as
    many small files."""
    suffix = "parquet" if fmt == "parquet" else "jsonl"
    atomic_write(out / "kept" / f"{shard}.{suffix}",
                 _kept_bytes(outcomes["kept"] or [], fmt, kept_schema()))
    for kind in ("changes", "rejected", "failed"):
        rows = outcomes.get(kind)
        if rows:
            atomic_write(out / kind / f"{shard}.jsonl", _jsonl(rows))
    atomic_write(out / "done" / f"{shard}.json",
                 json.dumps(marker, ensure_ascii=False, sort_keys=True).encode())


def kept_files(out: Path) -> list[Path]:
    """A run's kept shards, in order."""
    folder = out / "kept"
    return sorted(p for p in folder.iterdir() if p.suffix in (".jsonl", ".parquet")) \
        if folder.is_dir() else []


def read_kept(path: Path, columns: list[str] | None = None) -> list[dict[str, Any]]:
    """The rows of one kept shard (for the corpus stages that rewrite them)."""
    if path.suffix == ".jsonl":
        # split on \n only: a text may hold U+2028 or U+0085, which splitlines cuts at
        rows = [json.loads(line) for line in path.read_bytes().split(b"\n") if line]
        return rows if columns is None else [{c: r.get(c) for c in columns} for r in rows]
    import pyarrow.parquet as pq

    return list(pq.read_table(path, columns=columns).to_pylist())


def rewrite_kept(path: Path, rows: list[dict[str, Any]], schema: pa.Schema | None = None
                 ) -> None:
    """Write a kept shard back, atomically, in its format, with ``schema`` (the run's
    schema plus the columns of the stages that ran; by default, those the rows hold)."""
    if schema is None:
        schema = schema_with(rows[0] if rows else ())
    atomic_write(path, _kept_bytes(rows, "parquet" if path.suffix == ".parquet" else "jsonl",
                                   schema))


def write_kept_table(path: Path, table: pa.Table, columns: dict[str, list[Any]]) -> None:
    """Rewrite a Parquet kept shard with ``columns`` set (a stage's, added or replaced),
    in Arrow: the rest of the table is never turned into Python objects. The schema is
    the run's, with the stages whose columns the table then holds."""
    import pyarrow.parquet as pq

    names = [n for n in table.column_names if n not in columns] + list(columns)
    schema = schema_with(names)
    arrays = [pa.array(columns[f.name], f.type) if f.name in columns
              else table.column(f.name).cast(f.type) for f in schema]
    sink = pa.BufferOutputStream()
    with pq.ParquetWriter(sink, schema, compression="zstd") as writer:
        if table.num_rows:  # no rows, no row group (see _parquet)
            writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
    atomic_write(path, bytes(sink.getvalue().to_pybytes()))


def update_manifest(out: Path, name: str, section: dict[str, Any]) -> None:
    """Add a corpus stage's section to ``manifest.json``, when the run wrote one."""
    path = out / "manifest.json"
    if path.exists():
        manifest = json.loads(path.read_text(encoding="utf-8"))
        manifest[name] = section
        atomic_write(path, json.dumps(manifest, ensure_ascii=False, indent=1).encode())
