"""Sketches: what dedup computes of each record on its own, before any record is
compared with another. A record's sketch is its member (ids, digest and length of its
normalised text), its MinHash signature and its set of distinct n-gram hashes.

Sketching is nearly all of dedup's work and needs no other record, so the dedup stage
sketches the kept shards in parallel, on any engine, and saves each shard's sketches
to one file (:func:`save`, :func:`load`); :func:`~zhclean.dedup.clusters.cluster_sketches`
then reads them back in shard order.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .members import Member
from .minhash import MinHasher
from .normalise import normalised

__all__ = ["Sketches", "load", "save", "sketch"]

WINDOW = 200_000  # characters of a long text hashed at a time
Hashes = np.ndarray[Any, np.dtype[np.uint32]]


@dataclass(frozen=True, slots=True)
class Sketches:
    """The sketches of consecutive records: their members, their signatures (records ×
    ``num_perm``), and their n-gram sets end to end (``sizes`` says where each ends)."""

    members: list[Member]
    signatures: Hashes
    sets: Hashes
    sizes: np.ndarray[Any, np.dtype[np.int64]]

    def __len__(self) -> int:
        return len(self.members)

    def each_set(self) -> Iterable[Hashes]:
        ends = np.cumsum(self.sizes)
        for start, end in zip((ends - self.sizes).tolist(), ends.tolist(), strict=True):
            yield self.sets[start:end]


def sketch(records: Iterable[dict[str, Any]], hasher: MinHasher) -> Sketches:
    """The sketches of article records (dicts with ``id``, ``text``, ``site``,
    ``source``, ``published``, optionally ``key``)."""
    members, signatures, sets = [], [], []
    for record in records:
        text = normalised(record.get("text") or "")
        record_id = str(record["id"])
        members.append(Member(str(record.get("key") or record_id), record_id, _digest(text),
                              record.get("site"), record.get("source"),
                              record.get("published"), len(text)))
        pieces = hasher.piece_hashes(text)
        signatures.append(hasher.signature_of(pieces))
        sets.append(np.unique(np.concatenate(pieces)).astype(np.uint32))
    return Sketches(members,
                    np.stack(signatures) if signatures else
                    np.empty((0, hasher.num_perm), dtype=np.uint32),
                    np.concatenate(sets) if sets else np.empty(0, dtype=np.uint32),
                    np.array([len(s) for s in sets], dtype=np.int64))


def save(sketches: Sketches, path: Path) -> None:
    """Write one shard's sketches to ``path`` (an ``.npz``; the caller renames it into
    place)."""
    members = json.dumps([[m.key, m.id, m.digest.hex(), m.site, m.source, m.published,
                           m.length] for m in sketches.members], ensure_ascii=False)
    with path.open("wb") as handle:
        np.savez(handle, signatures=sketches.signatures, sets=sketches.sets,
                 sizes=sketches.sizes,
                 members=np.frombuffer(members.encode("utf-8", "surrogatepass"),
                                       dtype=np.uint8))


def load(path: Path) -> Sketches:
    with np.load(path) as saved:
        rows = json.loads(saved["members"].tobytes().decode("utf-8", "surrogatepass"))
        members = [Member(key, record_id, bytes.fromhex(digest), site, source, published,
                          length)
                   for key, record_id, digest, site, source, published, length in rows]
        return Sketches(members, saved["signatures"], saved["sets"], saved["sizes"])


def _digest(text: str) -> bytes:
    """A hash of the normalised text (exact copies share it), taken a window at a time."""
    digest = hashlib.blake2b(digest_size=16)
    for start in range(0, len(text), WINDOW):
        digest.update(text[start:start + WINDOW].encode("utf-8", "surrogatepass"))
    return digest.digest()
