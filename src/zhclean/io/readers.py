"""Readers: every input a corpus comes in, as a stream of records.

Files and folders of ``.txt``/``.html``; JSONL (plain, ``.gz``, ``.zst``) with
configurable field names; Parquet; WARC and WET (``.gz`` or not) with their HTTP
headers. Readers stream (no whole-file lists) and never raise on bad data: a truncated
gzip, a broken JSON line or a cut-off WARC record becomes a :class:`Failure` and the
stream goes on where it can.
"""

from __future__ import annotations

import gzip
import io
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from ..errors import InputError
from .records import Failure, RawRecord

__all__ = [
    "Fields",
    "FileSlice",
    "Item",
    "JsonLine",
    "expand_inputs",
    "parse_line",
    "plain_jsonl",
    "read_input",
    "read_slice",
]
PAGE_SUFFIXES = (".txt", ".html", ".htm", ".xhtml")


@dataclass(frozen=True, slots=True)
class Fields:
    """Where JSONL and Parquet records keep their parts."""

    text: tuple[str, ...] = ("text", "content", "html", "raw_content")
    id: str = "id"
    url: str = "url"


@dataclass(frozen=True, slots=True)
class JsonLine:
    """One unparsed line of a JSONL input (see :func:`parse_line`)."""

    where: str
    line: bytes
    fields: Fields

    @property
    def data(self) -> bytes:
        return self.line


@dataclass(frozen=True, slots=True)
class FileSlice:
    """Lines ``[start, end)`` (bytes) of a plain JSONL file, read by the worker itself so
    that no page crosses between processes. ``first_line`` numbers the first line."""

    path: str
    start: int
    end: int
    first_line: int
    fields: Fields


def read_slice(piece: FileSlice) -> list[JsonLine]:
    with open(piece.path, "rb") as handle:
        handle.seek(piece.start)
        data = handle.read(piece.end - piece.start)
    lines = data.split(b"\n")
    if lines and not lines[-1]:
        lines.pop()
    return [JsonLine(f"{piece.path}:{piece.first_line + k}", line + b"\n", piece.fields)
            for k, line in enumerate(lines) if line.strip()]


def plain_jsonl(path: Path) -> bool:
    """A JSONL file a worker can seek in (not compressed)."""
    return _kind(path) == "jsonl" and not path.name.endswith((".gz", ".zst"))


Item = RawRecord | Failure | JsonLine


def expand_inputs(paths: list[str]) -> list[Path]:
    """Files named, and the readable files inside folders named, in a stable order."""
    found: dict[Path, Path] = {}  # resolved → as given: an input named twice is read once
    for name in paths:
        path = Path(name)
        if path.is_dir():
            for folder, _, files in os.walk(path, onerror=_unreadable):
                for file in files:
                    candidate = Path(folder) / file
                    if _kind(candidate):
                        found.setdefault(candidate.resolve(), candidate)
        elif path.exists():
            found.setdefault(path.resolve(), path)
        else:
            raise InputError(f"input not found: {name}")
    return sorted(found.values())


def _unreadable(err: OSError) -> None:
    raise InputError(f"cannot read folder {err.filename}: {err.strerror}")


def _kind(path: Path) -> str:
    name = path.name.lower()
    for suffix in (".gz", ".zst"):
        name = name.removesuffix(suffix)
    if name.endswith(".jsonl") or name.endswith(".json"):
        return "jsonl"
    if name.endswith(".parquet"):
        return "parquet"
    if name.endswith((".warc", ".wet", ".arc")):
        return "warc"
    if name.endswith(PAGE_SUFFIXES):
        return "page"
    return ""


def read_input(path: Path, fields: Fields = Fields()) -> Iterator[Item]:
    """The records of one input file; a file that cannot be read is one Failure."""
    kind = _kind(path) or "page"
    try:
        if kind == "jsonl":
            yield from _jsonl(path, fields)
        elif kind == "parquet":
            yield from _parquet(path, fields)
        elif kind == "warc":
            yield from _warc(path)
        else:
            yield RawRecord(str(path), path.read_bytes())
    except Exception as err:  # a corrupt file (gzip, zstd, WARC) is data too
        yield Failure(f"{path}#rest", f"{type(err).__name__}: {err}")


def _open(path: Path) -> IO[bytes]:
    if path.name.endswith(".gz"):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    if path.name.endswith(".zst"):
        import zstandard

        return zstandard.ZstdDecompressor().stream_reader(path.open("rb"))
    return path.open("rb")


def _jsonl(path: Path, fields: Fields) -> Iterator[Item]:
    with _open(path) as raw:
        for number, line in enumerate(io.BufferedReader(raw), 1):  # type: ignore[type-var]
            if line.strip():
                yield JsonLine(f"{path}:{number}", line, fields)


def parse_line(item: JsonLine) -> RawRecord | Failure:
    """A JSONL line as a record. Parsing waits until a worker holds the line, so the
    process that reads the input only splits lines."""
    try:
        row = json.loads(item.line)
    except (ValueError, RecursionError) as err:
        return Failure(item.where, f"invalid JSON: {err}")
    return _from_row(row, item.fields, item.where)


def _from_row(row: Any, fields: Fields, where: str) -> RawRecord | Failure:
    if not isinstance(row, dict):
        return Failure(where, "a record must be a JSON object")
    text = next((row[name] for name in fields.text if isinstance(row.get(name), str)), None)
    record_id = str(row.get(fields.id) or where)
    if text is None:
        return Failure(record_id, f"no text field (looked for {', '.join(fields.text)})")
    url = row.get(fields.url)
    return RawRecord(record_id, text, url if isinstance(url, str) else None)


def _parquet(path: Path, fields: Fields) -> Iterator[Item]:
    import pyarrow.parquet as pq

    number = 0
    for batch in pq.ParquetFile(path).iter_batches(batch_size=256):
        for row in batch.to_pylist():
            number += 1
            yield _from_row(row, fields, f"{path}:{number}")


def _warc(path: Path) -> Iterator[Item]:
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    wanted = WarcRecordType.response | WarcRecordType.conversion | WarcRecordType.resource
    with path.open("rb") as stream:
        for record in ArchiveIterator(stream, record_types=wanted, parse_http=False):
            record_id = record.record_id or f"{path}@{record.stream_pos}"
            url = record.headers.get("WARC-Target-URI")
            charset = None
            if record.record_type == WarcRecordType.response:
                record.parse_http()  # after this, content_length is the payload's length
                charset = record.http_charset
            expected = record.content_length
            payload = record.reader.read()
            if len(payload) < expected:
                yield Failure(record_id, f"truncated WARC record: {len(payload)} of {expected}"
                              " payload bytes")
                continue
            yield RawRecord(record_id, payload, url, charset)
