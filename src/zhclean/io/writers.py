"""Writers: a shard's outcomes, committed atomically.

Kept articles go to ``kept/SHARD.parquet`` (default) or ``kept/SHARD.jsonl``; rejected
and failed records to ``rejected/SHARD.jsonl`` and ``failed/SHARD.jsonl``; with changes
on, every kept record's repairs to ``changes/SHARD.jsonl`` (``{"id", "changes"}``). Every file is
written under a temporary name and renamed into place; the shard's ``done/SHARD.json``
marker (its counts) is renamed last, so a shard is either wholly committed or redone.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

__all__ = ["KEPT_SCHEMA_FIELDS", "atomic_write", "read_kept", "rewrite_kept",
           "update_manifest", "write_shard"]

KEPT_SCHEMA_FIELDS = ("id", "title", "site", "source", "published", "author", "category",
                      "tags", "summary", "reprint_notice", "paragraphs", "text", "script", "url",
                      "empty_reason", "input")


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with tmp.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def _jsonl(rows: list[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n"
                   for r in rows).encode("utf-8", "surrogatepass")


def _parquet(rows: list[dict[str, Any]]) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([
        *((name, pa.string()) for name in KEPT_SCHEMA_FIELDS if name not in
          ("tags", "paragraphs", "script")),
        ("tags", pa.list_(pa.string())),
        ("paragraphs", pa.list_(pa.string())),
        ("script", pa.struct([("input", pa.string()), ("output", pa.string())])),
    ])
    columns = {name: [r.get(name) for r in rows] for name in schema.names}
    table = pa.Table.from_pydict(columns, schema=schema)
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd")
    return bytes(sink.getvalue().to_pybytes())


def write_shard(out: Path, shard: str, outcomes: dict[str, list[dict[str, Any]] | None],
                fmt: str, marker: dict[str, Any]) -> None:
    """Commit one shard: its three files, then its marker."""
    kept = outcomes["kept"] or []
    if fmt == "parquet":
        atomic_write(out / "kept" / f"{shard}.parquet", _parquet(kept))
    else:
        atomic_write(out / "kept" / f"{shard}.jsonl", _jsonl(kept))
    audit = outcomes.get("changes")
    if audit is not None:
        atomic_write(out / "changes" / f"{shard}.jsonl", _jsonl(audit))
    atomic_write(out / "rejected" / f"{shard}.jsonl", _jsonl(outcomes["rejected"] or []))
    atomic_write(out / "failed" / f"{shard}.jsonl", _jsonl(outcomes["failed"] or []))
    atomic_write(out / "done" / f"{shard}.json",
                 json.dumps(marker, ensure_ascii=False, sort_keys=True).encode())


def read_kept(path: Path, columns: list[str] | None = None) -> list[dict[str, Any]]:
    """The rows of one kept shard (for the corpus stages that rewrite them)."""
    if path.suffix == ".jsonl":
        # split on \n only: a text may hold U+2028 or U+0085, which splitlines cuts at
        return [json.loads(line) for line in path.read_bytes().split(b"\n") if line]
    import pyarrow.parquet as pq

    return list(pq.read_table(path, columns=columns).to_pylist())


def rewrite_kept(path: Path, rows: list[dict[str, Any]]) -> None:
    """Write a kept shard back, atomically, in its format (Parquet keeps its schema)."""
    if path.suffix == ".jsonl":
        atomic_write(path, _jsonl(rows))
        return
    import io

    import pyarrow as pa
    import pyarrow.parquet as pq

    sink = io.BytesIO()
    pq.write_table(pa.Table.from_pylist(rows, schema=pq.read_schema(path)), sink,
                   compression="zstd")
    atomic_write(path, sink.getvalue())


def update_manifest(out: Path, name: str, section: dict[str, Any]) -> None:
    """Add a corpus stage's section to ``manifest.json``, when the run wrote one."""
    path = out / "manifest.json"
    if path.exists():
        manifest = json.loads(path.read_text(encoding="utf-8"))
        manifest[name] = section
        atomic_write(path, json.dumps(manifest, ensure_ascii=False, indent=1).encode())
