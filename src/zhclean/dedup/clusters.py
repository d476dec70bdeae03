"""Clusters of copies: exact, near-duplicate and contained, with one canonical copy each.

Every record is compared in its normalised form (:mod:`~zhclean.dedup.normalise`:
Simplified, mainland vocabulary, no spaces or punctuation). Exact copies share a hash of
it. Near-duplicates come up as LSH candidates over MinHash signatures (bands and rows
chosen for the Jaccard threshold, default 0.8); a *contained* copy (an excerpt, a copy
cut short, the original inside a copy that adds an editor's note) comes up through the
anchors it shares with the fuller copy (:mod:`~zhclean.dedup.candidates`). Every
candidate is verified on the exact overlap of the two records' n-gram sets (kept on
disk, :mod:`~zhclean.dedup.shingles`): a Jaccard of at least ``threshold`` joins two
records, and so does a ``containment`` (the share of the smaller record inside the
larger, default 0.75). Containment is not symmetric: an excerpt found inside two
unrelated pages (the article, and a page that quotes it) joins one of them, the one with
more copies.

The canonical copy of a cluster is the original where one can tell: never an excerpt of
a fuller copy, then the copy whose site the others credit (来源), then the fullest, then
the earliest published, then the first in input order. Every record gets ``cluster_id``
(a digest of the canonical copy's normalised text: the same article gets the same id in
any run, whatever the inputs are called), ``is_canonical``, ``duplicate_of`` (the
canonical copy's id), and how it relates to the canonical copy: ``joined`` (``exact``,
``near``, ``contained``, or ``linked`` when it joined through another copy) with its
``join_score`` (the Jaccard of a near copy, the containment of the others).
"""

from __future__ import annotations

import hashlib
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .candidates import BandStore, anchor_pairs, band_pairs
from .minhash import MinHasher
from .normalise import NOISE, WINDOW, normalised, simplified_text
from .shingles import Overlap, ShingleStore

__all__ = ["CONTAINMENT", "THRESHOLD", "Member", "Verdict", "cluster", "lsh_parameters",
           "simplified_text"]

MISS_WEIGHT = 0.9
THRESHOLD = 0.8  # Jaccard of near-duplicates
# Containment that joins a copy to a fuller one. On dev/reprints.jsonl the real copies'
# lowest is 0.82 and the highest of independently written articles on one event is 0.69:
# halfway between.
CONTAINMENT = 0.75
# A copy shorter than this share of its cluster's longest is an excerpt: never canonical.
EXCERPT = 0.85


@dataclass(frozen=True, slots=True)
class Member:
    """What deduplication needs of a record (its text is not kept)."""

    key: str  # unique per record, even where ids repeat
    id: str
    digest: bytes  # of the normalised text: exact copies share it
    site: str | None
    source: str | None
    published: str | None
    length: int  # of the normalised text


@dataclass(frozen=True, slots=True)
class Verdict:
    cluster_id: str
    is_canonical: bool
    duplicate_of: str | None
    joined: str | None = None  # exact, near, contained or linked; None for the canonical
    join_score: float | None = None


def lsh_parameters(threshold: float, num_perm: int, miss_weight: float = MISS_WEIGHT
                   ) -> tuple[int, int]:
    """Bands and rows minimising the weighted area of false positives and false
    negatives around the threshold (two texts of Jaccard s share a bucket with
    probability ``1 - (1 - s**rows)**bands``). Candidates are verified afterwards, so a
    miss costs more than a false candidate."""
    s = np.linspace(0, 1, 1001)
    best, best_error = (1, num_perm), float("inf")
    for bands in range(1, num_perm + 1):
        rows = num_perm // bands
        p = 1 - (1 - s**rows) ** bands
        error = float((1 - miss_weight) * np.trapezoid(p[s < threshold], s[s < threshold])
                      + miss_weight * np.trapezoid(1 - p[s >= threshold], s[s >= threshold]))
        if error < best_error:
            best, best_error = (bands, rows), error
    return best


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


def cluster(records: Iterable[dict[str, Any]], threshold: float = THRESHOLD,
            containment: float = CONTAINMENT, num_perm: int = 128, ngram: int = 5
            ) -> dict[str, Verdict]:
    """Cluster article records (dicts with ``id``, ``text``, ``site``, ``source``,
    ``published``, optionally ``key``); returns each record's verdict by its ``key``
    (by its id when records have no key; keys must be unique, ids need not be).

    Texts are hashed and dropped as they stream by. Signatures, n-gram sets and anchors
    go to files in a temporary folder and are read back a band, a partition or a pair at
    a time, so memory holds a few fields per record, not the corpus.
    """
    hasher = MinHasher(num_perm, ngram)
    members: list[Member] = []
    exact: dict[bytes, int] = {}
    union = _UnionFind(0)
    with tempfile.TemporaryDirectory(prefix="zhclean-dedup-") as tmp:
        store = ShingleStore(Path(tmp))
        bands = BandStore(Path(tmp), *lsh_parameters(threshold, num_perm))
        for record in records:
            text = normalised(record.get("text") or "")
            index = len(members)
            digest = _digest(text)
            record_id = str(record["id"])
            members.append(Member(str(record.get("key") or record_id), record_id, digest,
                                  record.get("site"), record.get("source"),
                                  record.get("published"), len(text)))
            pieces = hasher.piece_hashes(text)
            bands.add(hasher.signature_of(pieces))
            store.add(pieces)
            union.parent.append(index)
            if digest in exact:
                union.union(exact[digest], index)
            else:
                exact[digest] = index
        del exact
        bands.close_writing()
        store.close_writing()
        if not members:
            store.close()
            return {}
        _join(bands, store, union, threshold, containment)
        verdicts = _verdicts(members, union, store, threshold, containment)
        store.close()
    return verdicts


def _join(bands: BandStore, store: ShingleStore, union: _UnionFind, threshold: float,
          containment: float) -> None:
    """Join the verified near-duplicates, then attach each contained copy's cluster to
    the cluster of one copy that holds it."""
    for a, b in _each(band_pairs(bands.blocks())):
        if union.find(a) != union.find(b) and store.overlap(a, b).jaccard >= threshold:
            union.union(a, b)
    held: list[tuple[int, int, float]] = []  # (smaller, larger, containment)
    for a, b in _each(anchor_pairs(store.anchor_partitions(), store.anchor_counts)):
        if union.find(a) == union.find(b):
            continue
        overlap = store.overlap(a, b)
        if overlap.jaccard >= threshold:  # a near-duplicate the bands missed
            union.union(a, b)
        elif overlap.containment >= containment:
            smaller, larger = (a, b) if store.size(a) <= store.size(b) else (b, a)
            held.append((smaller, larger, overlap.containment))
    sizes: Counter[int] = Counter()
    fullest: dict[int, int] = {}  # each cluster's longest copy, in n-grams
    for index in range(len(union.parent)):
        root = union.find(index)
        sizes[root] += 1
        fullest[root] = max(fullest.get(root, 0), store.size(index))
    chosen: dict[int, tuple[tuple[int, float], int]] = {}
    for smaller, larger, share in held:
        inner, outer = union.find(smaller), union.find(larger)
        # A cluster is held by another only through its fullest copy: an excerpt that a
        # quoting page holds does not bring the whole article along.
        if inner == outer or store.size(smaller) < EXCERPT * fullest[inner]:
            continue
        # Of the clusters that hold this one, the one with the most copies: an excerpt
        # is of the article reprinted everywhere, not of a page that quotes it.
        rank = (sizes[outer], share)
        if inner not in chosen or rank > chosen[inner][0]:
            chosen[inner] = (rank, outer)
    for inner, (_, outer) in chosen.items():
        union.union(inner, outer)


def _each(pairs: np.ndarray[Any, np.dtype[np.int64]], chunk: int = 65_536
          ) -> Iterator[tuple[int, int]]:
    """The pairs as Python ints, a chunk at a time (a list of them all would cost a
    hundred bytes a pair)."""
    for start in range(0, len(pairs), chunk):
        part = pairs[start:start + chunk]
        yield from zip(part[:, 0].tolist(), part[:, 1].tolist(), strict=True)


def _verdicts(members: list[Member], union: _UnionFind, store: ShingleStore,
              threshold: float, containment: float) -> dict[str, Verdict]:
    groups: dict[int, list[int]] = {}
    for index in range(len(members)):
        groups.setdefault(union.find(index), []).append(index)
    verdicts: dict[str, Verdict] = {}
    for group in groups.values():
        first = _canonical([members[i] for i in group], group)
        canonical = members[first]
        cluster_id = canonical.digest.hex()
        for index in group:
            member = members[index]
            if member.key in verdicts:
                raise ValueError(f"two records have the key {member.key!r}")
            if index == first:
                verdicts[member.key] = Verdict(cluster_id, True, None)
                continue
            joined, score = _relation(member, canonical, store.overlap(index, first),
                                      threshold, containment)
            verdicts[member.key] = Verdict(cluster_id, False, canonical.id, joined, score)
    return verdicts


def _relation(member: Member, canonical: Member, overlap: Overlap, threshold: float,
              containment: float) -> tuple[str, float]:
    """How a copy relates to its cluster's canonical copy, and the score that says so."""
    if member.digest == canonical.digest:
        return "exact", 1.0
    if overlap.jaccard >= threshold:
        return "near", round(overlap.jaccard, 3)
    kind = "contained" if overlap.containment >= containment else "linked"
    return kind, round(overlap.containment, 3)


def _digest(text: str) -> bytes:
    """A hash of the normalised text (exact copies share it), taken a window at a time."""
    digest = hashlib.blake2b(digest_size=16)
    for start in range(0, len(text), WINDOW):
        digest.update(text[start:start + WINDOW].encode("utf-8", "surrogatepass"))
    return digest.digest()


def _canonical(group: list[Member], indexes: list[int]) -> int:
    """The index of the cluster's original: not an excerpt, credited, fullest, earliest."""
    credited = {_plain(m.source) for m in group if m.source}
    longest = max(m.length for m in group)

    def rank(position: int) -> tuple[bool, bool, int, str, int]:
        member = group[position]
        is_source = bool(member.site) and _plain(member.site) in credited
        return (member.length < EXCERPT * longest, not is_source, -member.length,
                member.published or "9999", indexes[position])

    return indexes[min(range(len(group)), key=rank)]


def _plain(name: str | None) -> str:
    return NOISE.sub("", name or "").lower()
