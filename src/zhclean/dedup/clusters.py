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

import tempfile
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from .candidates import BandStore, anchor_pairs, band_pairs
from .members import Member, MemberStore
from .minhash import MinHasher
from .normalise import NOISE
from .shingles import Overlap, ShingleStore
from .sketches import Sketches, sketch

__all__ = ["CONTAINMENT", "THRESHOLD", "Clustering", "Member", "Verdict", "cluster",
           "cluster_sketches", "cluster_table", "lsh_parameters"]

MISS_WEIGHT = 0.9
THRESHOLD = 0.8  # Jaccard of near-duplicates
# Containment that joins a copy to a fuller one. On dev/reprints.jsonl the real copies'
# lowest is 0.82 and the highest of independently written articles on one event is 0.69:
# halfway between.
CONTAINMENT = 0.75
# A copy shorter than this share of its cluster's longest is an excerpt: never canonical.
EXCERPT = 0.85
BATCH = 4096  # records sketched at a time by cluster_table


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
    """Union-find over record numbers, eight bytes a record."""

    def __init__(self, parent: array[int]) -> None:
        self.parent = parent

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a != b:
            self.parent[max(a, b)] = min(a, b)

    def roots(self) -> np.ndarray[Any, np.dtype[np.int64]]:
        return np.fromiter((self.find(i) for i in range(len(self.parent))), dtype=np.int64,
                           count=len(self.parent))


_KINDS = (None, "exact", "near", "contained", "linked")  # joined, stored as its position


class Clustering:
    """The verdicts of :func:`cluster_table`, by record number (in input order), held as
    a few arrays; the members' strings stay in its temporary folder, which goes when it
    closes (a context manager)."""

    def __init__(self, folder: tempfile.TemporaryDirectory[str], members: MemberStore,
                 canonical: np.ndarray[Any, np.dtype[np.int64]],
                 joined: np.ndarray[Any, np.dtype[np.int8]],
                 scores: np.ndarray[Any, np.dtype[np.float64]]) -> None:
        self._folder, self._members = folder, members
        self._canonical, self._joined, self._scores = canonical, joined, scores
        # a canonical copy's id, read once for the copies that point to it
        self._id = lru_cache(maxsize=4096)(self._read_id)

    def __len__(self) -> int:
        return len(self._canonical)

    def verdict(self, index: int) -> Verdict:
        first = int(self._canonical[index])
        cluster_id = self._members.digest(first).hex()
        if first == index:
            return Verdict(cluster_id, True, None)
        return Verdict(cluster_id, False, self._id(first), _KINDS[self._joined[index]],
                       float(self._scores[index]))

    def _read_id(self, index: int) -> str:
        return self._members.member(index).id

    def by_key(self) -> dict[str, Verdict]:
        """Every verdict by its record's key (keys must be unique)."""
        verdicts: dict[str, Verdict] = {}
        for index in range(len(self)):
            key = self._members.member(index).key
            if key in verdicts:
                raise ValueError(f"two records have the key {key!r}")
            verdicts[key] = self.verdict(index)
        return verdicts

    def close(self) -> None:
        self._members.close()
        self._folder.cleanup()

    def __enter__(self) -> Clustering:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def cluster(records: Iterable[dict[str, Any]], threshold: float = THRESHOLD,
            containment: float = CONTAINMENT, num_perm: int = 128, ngram: int = 5
            ) -> dict[str, Verdict]:
    """Cluster article records (dicts with ``id``, ``text``, ``site``, ``source``,
    ``published``, optionally ``key``); returns each record's verdict by its ``key``
    (by its id when records have no key; keys must be unique, ids need not be). For a
    corpus, :func:`cluster_table` keeps the verdicts as arrays instead."""
    with cluster_table(records, threshold, containment, num_perm, ngram) as clusters:
        return clusters.by_key()


def cluster_table(records: Iterable[dict[str, Any]], threshold: float = THRESHOLD,
                  containment: float = CONTAINMENT, num_perm: int = 128, ngram: int = 5
                  ) -> Clustering:
    """:func:`cluster`, with the verdicts by record number. Texts are sketched and
    dropped as they stream by, a batch at a time."""
    hasher = MinHasher(num_perm, ngram)

    def batches() -> Iterator[Sketches]:
        batch: list[dict[str, Any]] = []
        for record in records:
            batch.append(record)
            if len(batch) == BATCH:
                yield sketch(batch, hasher)
                batch = []
        yield sketch(batch, hasher)

    return cluster_sketches(batches(), threshold, containment, num_perm)


def cluster_sketches(batches: Iterable[Sketches], threshold: float = THRESHOLD,
                     containment: float = CONTAINMENT, num_perm: int = 128) -> Clustering:
    """The clusters of records given by their sketches (:mod:`~zhclean.dedup.sketches`),
    numbered in order. Signatures, n-gram sets, anchors and the members' strings go to
    files in a temporary folder and are read back a band, a partition or a record at a
    time, so memory holds a few dozen bytes per record, not the corpus."""
    folder = tempfile.TemporaryDirectory(prefix="zhclean-dedup-")
    try:
        tmp = Path(folder.name)
        members, store = MemberStore(tmp), ShingleStore(tmp)
        bands = BandStore(tmp, *lsh_parameters(threshold, num_perm))
        for batch in batches:
            for member in batch.members:
                members.add(member)
            bands.add(batch.signatures)
            for distinct in batch.each_set():
                store.add(distinct)
        for writer in (members, bands, store):
            writer.close_writing()
        union = _UnionFind(_exact_copies(members))
        _join(bands, store, union, threshold, containment)
        arrays = _verdict_arrays(members, union, store, threshold, containment)
        store.close()
        return Clustering(folder, members, *arrays)
    except BaseException:
        folder.cleanup()
        raise


def _exact_copies(members: MemberStore) -> array[int]:
    """The union-find's first parents: each record points to the first record with its
    digest (its own root), found by one sort rather than a dict of every digest."""
    if not len(members):
        return array("q")
    _, first, inverse = np.unique(members.digest_array(), axis=0, return_index=True,
                                  return_inverse=True)
    parents = array("q")
    parents.frombytes(first[inverse.ravel()].astype(np.int64).tobytes())
    return parents


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
    roots = union.roots()
    sizes = np.bincount(roots, minlength=len(roots))
    fullest = np.zeros(len(roots), dtype=np.int64)  # each cluster's longest copy, in n-grams
    np.maximum.at(fullest, roots, np.diff(np.asarray(store.offsets, dtype=np.int64)))
    chosen: dict[int, tuple[tuple[int, float], int]] = {}
    for smaller, larger, share in held:
        inner, outer = union.find(smaller), union.find(larger)
        # A cluster is held by another only through its fullest copy: an excerpt that a
        # quoting page holds does not bring the whole article along.
        if inner == outer or store.size(smaller) < EXCERPT * fullest[inner]:
            continue
        # Of the clusters that hold this one, the one with the most copies: an excerpt
        # is of the article reprinted everywhere, not of a page that quotes it.
        rank = (int(sizes[outer]), share)
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


def _verdict_arrays(members: MemberStore, union: _UnionFind, store: ShingleStore,
                    threshold: float, containment: float
                    ) -> tuple[np.ndarray[Any, np.dtype[np.int64]],
                               np.ndarray[Any, np.dtype[np.int8]],
                               np.ndarray[Any, np.dtype[np.float64]]]:
    """Each record's canonical copy, how it joined (a position in ``_KINDS``) and its
    score; only the clusters of several copies read their members back."""
    roots = union.roots()
    canonical = np.arange(len(roots), dtype=np.int64)
    joined = np.zeros(len(roots), dtype=np.int8)
    scores = np.full(len(roots), np.nan)
    order = np.argsort(roots, kind="stable")
    starts = np.flatnonzero(np.concatenate(([True], roots[order][1:] != roots[order][:-1])))
    for start, end in zip(starts.tolist(), [*starts[1:].tolist(), len(order)], strict=True):
        if end - start < 2:
            continue
        group = order[start:end].tolist()
        copies = [members.member(i) for i in group]
        first = _canonical(copies, group)
        original = copies[group.index(first)]
        for index, member in zip(group, copies, strict=True):
            canonical[index] = first
            if index != first:
                kind, score = _relation(member, original, store.overlap(index, first),
                                        threshold, containment)
                joined[index], scores[index] = _KINDS.index(kind), score
    return canonical, joined, scores


def _relation(member: Member, canonical: Member, overlap: Overlap, threshold: float,
              containment: float) -> tuple[str, float]:
    """How a copy relates to its cluster's canonical copy, and the score that says so."""
    if member.digest == canonical.digest:
        return "exact", 1.0
    if overlap.jaccard >= threshold:
        return "near", round(overlap.jaccard, 3)
    kind = "contained" if overlap.containment >= containment else "linked"
    return kind, round(overlap.containment, 3)


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
