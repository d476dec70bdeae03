"""Candidate pairs for deduplication, found without comparing every record with every
other, as arrays of ``(a, b)`` record numbers with ``a < b``.

* **Bands** (near-duplicates): LSH over MinHash signatures; records whose signatures
  agree on all the rows of a band share that band's bucket.
* **Anchors** (containment: an excerpt, a cut copy, a copy with an added note): records
  sharing enough anchors, the consistently sampled n-grams of
  :mod:`~zhclean.dedup.shingles`. An excerpt holds a fifth of its article's n-grams and
  so shares few band buckets with it, but every anchor of the excerpt is an anchor of
  the article.

Both are only candidates: the caller verifies each on the exact overlap.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["BandStore", "anchor_pairs", "band_pairs"]

Pairs = np.ndarray[Any, np.dtype[np.int64]]
# A bucket or an anchor shared by more records than this is boilerplate (a footer, a
# site's slogan) or a story reprinted everywhere: a bucket joins its members to its first
# one only, an anchor is skipped (the bands still find the reprints).
GROUP_CAP = 64
# An anchor pair is a candidate when it shares this share of the smaller record's
# anchors (and at least MIN_ANCHORS): well below the containment threshold, since a
# few dozen anchors estimate it roughly.
ANCHOR_SHARE = 0.5
MIN_ANCHORS = 2
_FLUSH_RECORDS = 4096  # signatures held before their bands are written: 2 MB


class BandStore:
    """MinHash signatures cut into LSH bands as records stream by, each band in its own
    file, so that finding a band's buckets reads that band alone."""

    def __init__(self, folder: Path, bands: int, rows: int) -> None:
        self.folder, self.bands, self.rows = folder, bands, rows
        self._files = [(folder / f"band-{b}").open("wb") for b in range(bands)]
        self._pending: list[np.ndarray[Any, np.dtype[np.uint32]]] = []
        self.count = self._held = 0

    def add(self, signatures: np.ndarray[Any, np.dtype[np.uint32]]) -> None:
        """Append the next records' signatures (records × ``num_perm``)."""
        self._pending.append(signatures[:, :self.bands * self.rows])
        self.count += len(signatures)
        self._held += len(signatures)
        if self._held >= _FLUSH_RECORDS:
            self._flush()

    def _flush(self) -> None:
        if self._pending:
            block = np.concatenate(self._pending).reshape(-1, self.bands, self.rows)
            for band, file in enumerate(self._files):
                file.write(np.ascontiguousarray(block[:, band]).tobytes())
            self._pending, self._held = [], 0

    def close_writing(self) -> None:
        self._flush()
        for file in self._files:
            file.close()

    def blocks(self) -> Iterator[np.ndarray[Any, np.dtype[np.uint32]]]:
        """Each band's rows of every record (records × rows), one band at a time."""
        for band in range(self.bands):
            yield np.fromfile(self.folder / f"band-{band}", dtype=np.uint32).reshape(
                self.count, self.rows)


def band_pairs(blocks: Iterable[np.ndarray[Any, np.dtype[np.uint32]]]) -> Pairs:
    """Pairs sharing a bucket in at least one band (``blocks``: each band's rows)."""
    found = np.empty(0, dtype=np.int64)  # merged band by band: a pair is held once
    for block in blocks:
        rows = block.shape[1]
        weights = np.uint64(0x9E3779B97F4A7C15) ** np.arange(1, rows + 1, dtype=np.uint64)
        with np.errstate(over="ignore"):
            keys = (block.astype(np.uint64) * weights).sum(axis=1, dtype=np.uint64)
        band = _group_pairs(keys, np.arange(len(block)), GROUP_CAP, True)
        found = np.unique(np.concatenate([found, band]))
    return _unpack(found)


def anchor_pairs(partitions: Iterable[np.ndarray[Any, np.dtype[np.uint32]]],
                 anchor_counts: Sequence[int]) -> Pairs:
    """Pairs sharing at least ``ANCHOR_SHARE`` of the smaller record's anchors (and at
    least ``MIN_ANCHORS``)."""
    # Each pair's count of shared anchors, summed partition by partition: memory holds
    # the distinct pairs, not one entry per anchor they share.
    unique = np.empty(0, dtype=np.int64)
    shared = np.empty(0, dtype=np.int64)
    for rows in partitions:
        packed, counts = np.unique(_group_pairs(rows[:, 0], rows[:, 1], GROUP_CAP, False),
                                   return_counts=True)
        unique, where = np.unique(np.concatenate([unique, packed]), return_inverse=True)
        shared = np.bincount(where.ravel(), weights=np.concatenate([shared, counts]),
                             minlength=len(unique)).astype(np.int64)
    pairs = _unpack(unique)
    counts = np.asarray(anchor_counts, dtype=np.int64)
    smaller = np.minimum(counts[pairs[:, 0]], counts[pairs[:, 1]]) if len(pairs) else shared
    kept: Pairs = pairs[(shared >= MIN_ANCHORS) & (shared >= ANCHOR_SHARE * smaller)]
    return kept


def _group_pairs(keys: np.ndarray[Any, Any], records: np.ndarray[Any, Any], cap: int,
                 star_above_cap: bool) -> np.ndarray[Any, np.dtype[np.int64]]:
    """Every pair of records sharing a key, packed ``a << 32 | b`` with ``a < b``, one
    per key they share (repeated when they share several), for groups of at most
    ``cap``; a larger group gives each member paired with its first
    (``star_above_cap``) or nothing.

    >>> _unpack(_group_pairs(np.array([7, 3, 7, 7, 5]), np.arange(5), 64, False)).tolist()
    [[0, 2], [2, 3], [0, 3]]
    """
    order = np.argsort(keys, kind="stable")
    keys, records = keys[order], records[order].astype(np.int64)
    starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    sizes = np.diff(np.append(starts, len(keys)))
    found: list[np.ndarray[Any, np.dtype[np.int64]]] = []
    if star_above_cap:
        big = np.flatnonzero(sizes > cap)
        for start, size in zip(starts[big].tolist(), sizes[big].tolist(), strict=True):
            members = records[start:start + size]
            found.append(_pack(np.full(size - 1, members[0]), members[1:]))
    small = np.repeat((sizes >= 2) & (sizes <= cap), sizes)
    keys, records = keys[small], records[small]
    # Offsets within a group: d = 1 pairs neighbours, d = 2 the next ones, and so on up to
    # the largest group's size; every step is one vectorised comparison.
    for d in range(1, len(keys)):
        same = keys[d:] == keys[:-d]
        if not same.any():
            break
        found.append(_pack(records[:-d][same], records[d:][same]))
    return np.concatenate(found) if found else np.empty(0, dtype=np.int64)


def _pack(a: np.ndarray[Any, Any], b: np.ndarray[Any, Any]
          ) -> np.ndarray[Any, np.dtype[np.int64]]:
    low, high = np.minimum(a, b), np.maximum(a, b)
    keep = low != high
    packed: np.ndarray[Any, np.dtype[np.int64]] = (low[keep] << 32) | high[keep]
    return packed


def _unpack(packed: np.ndarray[Any, np.dtype[np.int64]]) -> Pairs:
    pairs: Pairs = np.stack([packed >> 32, packed & 0xFFFFFFFF], axis=1)
    return pairs
