"""Readers: every input a corpus comes in, as a stream of records.

Files and folders of pages (``.txt``, ``.html``, ``.php``…, plain or ``.gz``/``.zst``);
JSONL (plain, ``.gz``, ``.zst``) with configurable field names; ``.json`` files holding
an array of records or one object; Parquet; WARC and WET (``.gz`` or not) with their
HTTP headers and content types. Each from a local path or an fsspec URL
(:mod:`zhclean.io.location`). Readers stream (a ``.json`` document is the exception:
its text is held whole) and never raise on bad data: a truncated gzip or zstd file
(``dump.jsonl.zst`` cut in half), a broken JSON line, a cut-off WARC record, a broken
link or a FIFO inside a folder becomes a :class:`Failure`, and the records before it
are still read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .compressed import compression, open_input, read_all, tail_truncation, truncation
from .inputs import Inputs, Skipped, input_size, kind, problem, scan_inputs
from .location import Location, Remote, is_url
from .records import Failure, RawRecord, looks_like_text

__all__ = [
    "Fields",
    "FileSlice",
    "Inputs",
    "Item",
    "JsonLine",
    "Location",
    "Skipped",
    "input_size",
    "parse_line",
    "plain_jsonl",
    "read_input",
    "read_slice",
    "scan_inputs",
]
_SNIFF = 1 << 16  # bytes looked at to tell a .json document from JSON Lines
_SPACE = re.compile(r"[ \t\r\n]*")


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
    if is_url(piece.path):  # one ranged request; a lost object raises InputError
        data = Remote(piece.path).read_range(piece.start, piece.end)
    else:
        with open(piece.path, "rb") as handle:
            handle.seek(piece.start)
            data = handle.read(piece.end - piece.start)
    lines = data.split(b"\n")
    if lines and not lines[-1]:
        lines.pop()
    return [JsonLine(f"{piece.path}:{piece.first_line + k}", line + b"\n", piece.fields)
            for k, line in enumerate(lines) if line.strip()]


def plain_jsonl(path: Location) -> bool:
    """A JSON Lines file a worker can seek in: uncompressed, a regular file that opens,
    and (for ``.json``) not one JSON document. Anything else goes to :func:`read_input`,
    which reports what is wrong with it."""
    if kind(path) != "jsonl" or compression(path) or problem(path):
        return False
    try:
        with path.open("rb") as handle:
            head = handle.read(_SNIFF) if _is_json(path) else b""
    except OSError:
        return False
    return not head or _json_layout(head) == "lines"


Item = RawRecord | Failure | JsonLine


def read_input(path: Location, fields: Fields = Fields()) -> Iterator[Item]:
    """The records of one input file; a file that cannot be read is one Failure."""
    why = problem(path)
    if why is not None:  # never opened: a FIFO or a device would block or never end
        yield Failure(str(path), why)
        return
    how = kind(path) or "page"
    try:
        if how == "jsonl":
            yield from _json(path, fields)
        elif how == "parquet":
            yield from _parquet(path, fields)
        elif how == "warc":
            yield from _warc(path)
        else:
            yield _page(path, sniff=how == "sniff")
    except Exception as err:  # a corrupt file (gzip, zstd, WARC) is data too
        yield Failure(f"{path}#rest", f"{type(err).__name__}: {err}")


def _page(path: Location, sniff: bool) -> RawRecord | Failure:
    with open_input(path) as stream:
        head = stream.read(4096)
        if sniff and not looks_like_text(head):  # decided before reading a large binary
            return Failure(str(path), "unknown file type: no known suffix, and the first"
                                      " bytes are not text or HTML")
        data = head + stream.read()
        cut = truncation(stream)
    return RawRecord(str(path), data) if cut is None else Failure(str(path), cut)


def _is_json(path: Location) -> bool:
    return path.name.lower().split("?", 1)[0].removesuffix(".gz").removesuffix(
        ".zst").endswith(".json")


def _json_layout(head: bytes) -> str:
    """``document`` when a ``.json`` file holds one JSON text (an array of records, or an
    object over several lines), ``lines`` when it is JSON Lines.

    >>> _json_layout(b'[{"text": "a"}]'), _json_layout(b'{\\n  "text": "a"\\n}')
    ('document', 'document')
    >>> _json_layout(b'{"text": "a"}\\n{"text": "b"}\\n')
    'lines'
    """
    body = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if body.startswith(b"["):
        return "document"
    first, newline, _ = body.partition(b"\n")
    if not newline:
        return "lines"  # one line (or a first line beyond the window): read as a line
    try:
        json.loads(first)
    except json.JSONDecodeError as err:
        # a first line that stops in mid-object goes on below: pretty-printed JSON. A
        # damaged JSONL line fails earlier, inside itself.
        if err.pos >= len(first.rstrip()):
            return "document"
    except ValueError:
        pass
    return "lines"


def _json(path: Location, fields: Fields) -> Iterator[Item]:
    if _is_json(path):
        with open_input(path) as stream:
            head = stream.read(_SNIFF)
        if _json_layout(head) == "document":
            yield from _json_document(path, fields)
            return
    yield from _jsonl(path, fields)


def _jsonl(path: Location, fields: Fields) -> Iterator[Item]:
    with open_input(path) as stream:
        number, last = 0, b""
        for number, line in enumerate(stream, 1):
            if last.strip():
                yield JsonLine(f"{path}:{number - 1}", last, fields)
            last = line
        cut = truncation(stream)
    if cut is not None and not last.endswith(b"\n"):  # the line the cut went through
        where = (f"in line {number}; the lines before it were read" if number
                 else "before its first line")
        yield Failure(f"{path}#rest", f"{cut}, {where}")
        return
    if last.strip():
        yield JsonLine(f"{path}:{number}", last, fields)
    if cut is not None:
        yield Failure(f"{path}#rest", f"{cut}, after line {number}")


def _json_document(path: Location, fields: Fields) -> Iterator[Item]:
    """The records of a ``.json`` file: an array's elements, or a top-level object (or
    several, one after another). The text is held whole (a file of a few hundred MB
    is fine), each element is parsed only when its turn comes."""
    data, cut = read_all(path)
    # JSON is UTF-8 (or UTF-16/32, as json.loads detects); a bad byte spoils one record,
    # not the file: it becomes a lone surrogate, which process() replaces.
    text = data.decode(json.detect_encoding(data), "surrogateescape").removeprefix("\ufeff")
    decoder = json.JSONDecoder()
    count = 0
    try:
        for where, value in _json_values(text, decoder, str(path)):
            count += 1
            yield _from_row(value, fields, where)
    except json.JSONDecodeError as err:
        # it ends inside a value: the error is at the end, or a string never closes
        ends = err.pos >= len(text.rstrip()) or err.msg.startswith("Unterminated string")
        if cut is None and not ends:
            yield Failure(f"{path}#rest", f"invalid JSON: {err}")
            return
        cut = cut or "truncated JSON: the file ends inside a value"
        yield Failure(f"{path}#rest", f"{cut}, after {count} records")
        return
    if cut is not None:
        yield Failure(f"{path}#rest", f"{cut}, after {count} records")


def _json_values(text: str, decoder: json.JSONDecoder, path: str
                 ) -> Iterator[tuple[str, Any]]:
    """Each top-level value with where it is: an array gives its elements
    (``path[index]``), an object itself (``path:line``)."""
    pos, line, seen, index = _skip(text, 0), 1, 0, 0
    while pos < len(text):
        if text[pos] != "[":
            line += text.count("\n", seen, pos)
            seen = pos
            value, pos = decoder.raw_decode(text, pos)
            yield f"{path}:{line}", value
            pos = _skip(text, pos)
            continue
        pos = _skip(text, pos + 1)
        while text[pos:pos + 1] != "]":
            value, pos = decoder.raw_decode(text, pos)
            yield f"{path}[{index}]", value
            index += 1
            pos = _skip(text, pos)
            if text[pos:pos + 1] == ",":
                pos = _skip(text, pos + 1)
            elif text[pos:pos + 1] != "]":
                raise json.JSONDecodeError("Expecting ',' delimiter", text, pos)
        pos = _skip(text, pos + 1)


def _skip(text: str, pos: int) -> int:
    match = _SPACE.match(text, pos)
    return match.end() if match else pos


def parse_line(item: JsonLine) -> RawRecord | Failure:
    """A JSONL line as a record. Parsing waits until a worker holds the line, so the
    process that reads the input only splits lines."""
    try:
        # JSON Lines are UTF-8: a stray byte becomes a lone surrogate (counted as an
        # undecodable byte by process()), not a lost record
        row = json.loads(item.line.decode("utf-8", "surrogateescape"))
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
    fetched = next((row[name] for name in _FETCHED if isinstance(row.get(name), str)), None)
    return RawRecord(record_id, text, url if isinstance(url, str) else None, fetched=fetched)


# Where crawl exports record when a page was fetched (a plain "date" may be the page's own).
_FETCHED = ("fetched", "fetch_time", "crawl_time", "crawl_date", "date_download", "warc_date")


def _parquet(path: Location, fields: Fields) -> Iterator[Item]:
    import pyarrow.parquet as pq

    if isinstance(path, Remote):  # pyarrow reads a Python file: the footer, then columns
        with path.open("rb") as handle:
            yield from _parquet_rows(pq.ParquetFile(handle), path, fields)
    else:
        yield from _parquet_rows(pq.ParquetFile(path), path, fields)


def _parquet_rows(parquet: Any, path: Location, fields: Fields) -> Iterator[Item]:
    number = 0
    for batch in parquet.iter_batches(batch_size=256):
        for row in batch.to_pylist():
            number += 1
            yield _from_row(row, fields, f"{path}:{number}")


def _warc(path: Location) -> Iterator[Item]:
    """Response, resource and conversion records; a record or a gzip member cut off, or
    a header block FastWARC cannot read, is a Failure."""
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    wanted = (WarcRecordType.response, WarcRecordType.conversion, WarcRecordType.resource)
    count, last_start, seen = 0, 0, 0
    last: RawRecord | Failure | None = None
    with path.open("rb") as stream:  # FastWARC needs a seekable file: it inflates itself
        try:
            for record in ArchiveIterator(stream, parse_http=False):
                last_start, seen = record.stream_pos, seen + 1
                if not _whole_header(record):
                    last = Failure(record.record_id or f"{path}@{record.stream_pos}",
                                   "truncated WARC record: its header block is cut off")
                elif record.record_type in wanted:
                    last = _warc_record(record, path)
                else:
                    continue
                count += 1
                yield last
        except OSError as err:  # FastWARC: "Invalid WARC header"
            cut = _warc_cut(path, last_start)
            error = cut or f"invalid or truncated WARC record header: {err}"
            yield Failure(f"{path}#rest", f"{error}, after {count} records")
            return
    cut = _warc_cut(path, last_start)
    if not seen and cut is None and input_size(path):  # FastWARC found nothing it knows
        cut = "no WARC record: the file is truncated or not a WARC file"
    cut_record = isinstance(last, Failure) and "truncated" in last.error
    if cut is not None and not cut_record:  # a cut the last record did not show
        yield Failure(f"{path}#rest", f"{cut}, after {count} records")


def _warc_cut(path: Location, start: int) -> str | None:
    """For a ``.warc.gz``, whether it was cut off: FastWARC reads a file cut inside a gzip
    member as a shorter archive. Only the members from the last record on are checked."""
    if compression(path) != "gzip":
        return None
    return tail_truncation(path, start, "gzip")


def _whole_header(record: Any) -> bool:
    """Whether a WARC record's header block ended: FastWARC reads one cut off (even in
    its Content-Length line) as a record of length 0."""
    declared = record.headers.get("Content-Length")
    return bool(declared and declared.strip().isdigit()
                and int(declared) == record.content_length)


def _warc_record(record: Any, path: Location) -> RawRecord | Failure:
    from fastwarc.warc import WarcRecordType

    record_id = record.record_id or f"{path}@{record.stream_pos}"
    url = record.headers.get("WARC-Target-URI")
    charset, content_type = None, record.headers.get("Content-Type")
    if record.record_type == WarcRecordType.response:
        record.parse_http()  # after this, content_length is the payload's length
        charset = record.http_charset
        headers = record.http_headers
        content_type = headers.get("Content-Type") if headers is not None else None
    expected = record.content_length
    payload = record.reader.read()
    if len(payload) < expected:
        return Failure(record_id, f"truncated WARC record: {len(payload)} of {expected}"
                                  " payload bytes")
    return RawRecord(record_id, payload, url, charset, content_type,
                     record.headers.get("WARC-Date"))
