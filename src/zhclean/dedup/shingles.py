"""Each record's distinct n-gram hashes, kept on disk: the exact overlap of any two
records, for verifying the candidates that LSH and the anchors bring up.

A record's set is its sorted distinct 32-bit n-gram hashes, appended to one file; its
offset is all memory holds. The set also gives the record's *anchors*: the hashes whose
low bits are zero, one in :data:`ANCHOR_EVERY` (a consistent sample: an excerpt's anchors
are all anchors of the article it comes from). Anchors go to :data:`PARTITIONS` files by
hash, so that pairing records that share them looks at one partition at a time.
"""

from __future__ import annotations

import os
from array import array
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["ANCHOR_EVERY", "PARTITIONS", "Overlap", "ShingleStore"]

ANCHOR_EVERY = 8  # one hash in eight is an anchor: 25 anchors for a 200-character excerpt
PARTITIONS = 16
_FLUSH_ROWS = 1 << 20  # anchors held before they are written: 8 MB
Hashes = np.ndarray[Any, np.dtype[np.uint32]]


class Overlap:
    """Shared n-grams of two records and each one's count."""

    __slots__ = ("left", "right", "shared")

    def __init__(self, shared: int, left: int, right: int) -> None:
        self.shared, self.left, self.right = shared, left, right

    @property
    def jaccard(self) -> float:
        union = self.left + self.right - self.shared
        return self.shared / union if union else 1.0

    @property
    def containment(self) -> float:
        """The share of the smaller record's n-grams that the larger holds."""
        smaller = min(self.left, self.right)
        return self.shared / smaller if smaller else 1.0


class ShingleStore:
    """Writes each record's n-gram set and anchors as records stream by; then reads any
    two sets back, one positioned read each, to measure their overlap."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._sets = (folder / "shingles").open("wb")
        self._anchors = [(folder / f"anchors-{p}").open("wb") for p in range(PARTITIONS)]
        self._pending: list[np.ndarray[Any, np.dtype[np.uint32]]] = []  # (anchor, record)
        self._pending_rows = 0
        self.offsets = array("q", [0])
        self.anchor_counts = array("l")
        self._fd: int | None = None

    def add(self, distinct: Hashes) -> None:
        """Append the next record's set (its sorted distinct 32-bit n-gram hashes);
        records are numbered in the order added."""
        record = len(self.offsets) - 1
        self._sets.write(distinct.tobytes())
        self.offsets.append(self.offsets[-1] + len(distinct))
        anchors = distinct[distinct % ANCHOR_EVERY == 0]
        self.anchor_counts.append(len(anchors))
        rows = np.empty((len(anchors), 2), dtype=np.uint32)
        rows[:, 0], rows[:, 1] = anchors, record
        self._pending.append(rows)
        self._pending_rows += len(rows)
        if self._pending_rows >= _FLUSH_ROWS:
            self._flush()

    def _flush(self) -> None:
        """Write the pending anchors, each partition's in one piece."""
        if not self._pending:
            return
        rows = np.concatenate(self._pending)
        partition = (rows[:, 0] // ANCHOR_EVERY) % PARTITIONS
        order = np.argsort(partition, kind="stable")
        bounds = np.searchsorted(partition[order], np.arange(PARTITIONS + 1))
        for p in range(PARTITIONS):
            self._anchors[p].write(rows[order[bounds[p]:bounds[p + 1]]].tobytes())
        self._pending, self._pending_rows = [], 0

    def close_writing(self) -> None:
        self._flush()
        self._sets.close()
        for file in self._anchors:
            file.close()
        self._fd = os.open(self.folder / "shingles", os.O_RDONLY)

    def anchor_partitions(self) -> Iterator[np.ndarray[Any, np.dtype[np.uint32]]]:
        """Each partition's (anchor, record) rows, one partition in memory at a time."""
        for p in range(PARTITIONS):
            yield np.fromfile(self.folder / f"anchors-{p}", dtype=np.uint32).reshape(-1, 2)

    def size(self, record: int) -> int:
        return self.offsets[record + 1] - self.offsets[record]

    def _set(self, record: int) -> Hashes:
        assert self._fd is not None, "close_writing() first"
        start, end = self.offsets[record], self.offsets[record + 1]
        data = os.pread(self._fd, 4 * (end - start), 4 * start)
        return np.frombuffer(data, dtype=np.uint32)

    def overlap(self, a: int, b: int) -> Overlap:
        left, right = self._set(a), self._set(b)
        shared = len(np.intersect1d(left, right, assume_unique=True))
        return Overlap(shared, len(left), len(right))

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
