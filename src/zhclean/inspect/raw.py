"""A record's raw page, found again from what the run kept: its ``input`` (the file it
came from) and its ``id``. The run stores no copy of the raw pages: the output stays the
size of the clean corpus, and the record page reads the one input it shows.

The page is then cleaned again, as the run cleaned it (``run.json`` holds the options),
with every block's label and every repair kept: page() is a pure function of the raw
page and the options, so this is what the run did. A record whose page no longer reads
the same (an input moved or changed since) says so.
"""

from __future__ import annotations

import json
import mmap
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..article import Article, page
from ..errors import DecodeError
from ..io.inputs import problem
from ..io.location import location
from ..io.readers import Fields, JsonLine, parse_line, plain_jsonl, read_input
from ..io.records import RawRecord
from ..job.folder import input_stamp
from ..process import page_input

__all__ = ["Cleaned", "clean_again", "find_raw"]


@dataclass(frozen=True, slots=True)
class Cleaned:
    text: str  # the raw page as decoded for cleaning (the run's encoding, or detected)
    article: Article | None  # None when the page does not decode (a failed record)
    error: str = ""
    stale: bool = False  # its input is not the file the run read (its size or time)


def find_raw(source: str, record_id: str, fields: Fields) -> RawRecord | None:
    """The raw record ``record_id`` of the input ``source``, or None when it is not
    there (any more). ``source`` is a path or a URL (an input read from a store is read
    from it again). A local plain JSONL file is searched for the id's bytes first (one
    memory-mapped scan), then read record by record if that finds nothing."""
    path = location(source)
    if problem(path) is not None:
        return None
    named = not record_id.startswith(f"{source}:")  # else the reader named it by line
    if named and isinstance(path, Path) and plain_jsonl(path):
        found = _jsonl_line(path, record_id, fields)
        if found is not None:
            return found
    # Lines are parsed only where the id's text is (a compressed dump holds millions);
    # a second pass parses every line, for an id its writer escaped (``\/``, ``\u4e2d``).
    needles = _needles(record_id)
    for hasty in (True, False):
        lines = 0
        for item in read_input(path, fields):
            if isinstance(item, JsonLine):
                lines += 1
                if hasty and item.where != record_id and not any(
                        needle in item.line for needle in needles):
                    continue
                item = parse_line(item)
            if isinstance(item, RawRecord) and item.id == record_id:
                return item
        if not lines:
            break  # pages and WARC records: the first pass looked at every one
    return None


def _needles(record_id: str) -> set[bytes]:
    """Bytes every line holding the id holds, whether the id is a JSON string (with
    or without its non-ASCII escaped) or a number."""
    return {record_id.encode("utf-8", "surrogatepass"),
            json.dumps(record_id)[1:-1].encode()}


def _jsonl_line(path: Path, record_id: str, fields: Fields) -> RawRecord | None:
    needles = _needles(record_id)
    if path.stat().st_size == 0:
        return None  # emptied since the run (and mmap maps no empty file)
    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ
                                              ) as data:
        for needle in needles:
            at = data.find(needle)
            while at >= 0:
                start = data.rfind(b"\n", 0, at) + 1
                end = data.find(b"\n", at)
                line = data[start:end if end >= 0 else len(data)]
                # named by its offset: the line holds an id, so the name is never it
                item = parse_line(JsonLine(f"{path}@{start}", line, fields))
                if isinstance(item, RawRecord) and item.id == record_id:
                    return item
                if end < 0:
                    break
                at = data.find(needle, end)  # the next line that holds it
    return None


def clean_again(run: Mapping[str, Any], source: str, record_id: str) -> Cleaned | None:
    """The record's raw page and its article made again with every block's label and
    every change, with the options of ``run`` (its ``run.json``); None when its input
    is gone."""
    read: dict[str, Any] = run.get("files") or {}
    if source not in read:
        return None  # not a file this run read: the output's own word is not enough
    options = run["config"]
    recorded: dict[str, Any] = options.get("fields") or {}
    fields = Fields(tuple(recorded.get("text", Fields().text)),
                    recorded.get("id", Fields().id), recorded.get("url", Fields().url))
    raw = find_raw(source, record_id, fields)
    if raw is None:
        return None
    stale = read[source] != input_stamp(location(source))
    settings = options.get("options") or {}
    try:
        data = page_input(raw, settings.get("encoding"))
    except DecodeError as err:  # as the run failed it: the bytes shown as they are
        shown = raw.data if isinstance(raw.data, str) else raw.data.decode("utf-8",
                                                                           "replace")
        return Cleaned(shown, None, str(err), stale)
    article = page(data, url=raw.url, id=raw.id, fetched=raw.fetched,
                   script=settings.get("script", "auto"), explain=True, changes=True)
    return Cleaned(data if isinstance(data, str) else data.text, article, stale=stale)
