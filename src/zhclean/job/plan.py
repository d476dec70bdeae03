"""Shard planning: the inputs cut into shards, the unit of work, of commit and of resume.

Inputs are read in order and cut into shards of ``shard_size`` records or about
``SHARD_BYTES`` of pages, across input files (twenty thousand small files make forty
shards, not twenty thousand). The cut depends only on the inputs, never on the engine or
its worker count, so a resumed run, or a run on another engine, cuts the same shards.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..io.readers import FileSlice, Item, Location, input_size, plain_jsonl, read_input
from .config import RunConfig

__all__ = ["SHARD_BYTES", "Part", "Shard", "plan_shards"]

SHARD_BYTES = 4_000_000  # a shard's raw size at most (about): bounds memory in flight


@dataclass(frozen=True, slots=True)
class Part:
    """Records of one input inside a shard: a list, or a byte range the worker reads."""

    source: str
    items: list[Item] | FileSlice


@dataclass(frozen=True, slots=True)
class Shard:
    """One unit of work: its name (``000042``), its parts, and the input bytes it
    accounts for (for the progress bar)."""

    name: str
    parts: list[Part]
    consumed: int


def plan_shards(paths: list[Location], config: RunConfig) -> Iterator[Shard]:
    """Shards of ``shard_size`` records, or fewer when they reach ``SHARD_BYTES``, cut
    across inputs. A plain JSONL file is cut into byte ranges that the workers read
    themselves (a remote one too: the driver reads it once to count its lines, each
    worker fetches its range); other inputs are read here, a shard at a time."""
    parts: list[Part] = []
    count = size = consumed = index = 0
    for path in paths:
        source = str(path)
        if plain_jsonl(path):
            start = offset = 0
            first = number = 1
            with path.open("rb") as handle:
                for line in handle:
                    offset, number = offset + len(line), number + 1
                    if line.strip():
                        count, size = count + 1, size + len(line)
                    if count >= config.shard_size or size >= SHARD_BYTES:
                        parts.append(Part(source, FileSlice(source, start, offset, first,
                                                            config.fields)))
                        yield Shard(f"{index:06d}", parts, consumed + offset - start)
                        parts, count, size, consumed, index = [], 0, 0, 0, index + 1
                        start, first = offset, number
            if offset > start:
                parts.append(Part(source, FileSlice(source, start, offset, first,
                                                    config.fields)))
                consumed += offset - start
            continue
        batch: list[Item] = []
        for item in read_input(path, config.fields):
            batch.append(item)
            count, size = count + 1, size + len(getattr(item, "data", ""))
            if count >= config.shard_size or size >= SHARD_BYTES:
                yield Shard(f"{index:06d}", [*parts, Part(source, batch)], consumed)
                parts, batch, count, size, consumed, index = [], [], 0, 0, 0, index + 1
        if batch:
            parts.append(Part(source, batch))
        consumed += input_size(path)
    if parts or index == 0:
        yield Shard(f"{index:06d}", parts, consumed)
