"""Clusters of copies: exact and near-duplicate, with one canonical copy each.

Exact copies share a hash of their normalised text (whitespace and punctuation
dropped). Near-duplicates are found by LSH over MinHash signatures: the bands and rows
are chosen for the Jaccard threshold (default 0.8), candidates sharing a band bucket are
kept when their signatures agree on at least that share, and union-find joins them.

The canonical copy of a cluster is the original where one can tell: a copy whose site
is the source the others credit (来源), then the earliest published, then the most
complete body, then the first in input order. Every record gets ``cluster_id`` (a digest
of the canonical copy's normalised text: the same article gets the same cluster id in
any run, whatever the inputs are called), ``is_canonical`` and ``duplicate_of`` (the
canonical copy's id).
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..repair.script import detect_script, to_simplified
from .minhash import MinHasher, sketch_jaccard

__all__ = ["Member", "Verdict", "cluster", "lsh_parameters", "simplified_text"]

_NOISE = re.compile(r"[\s\W_]+")
MISS_WEIGHT = 0.9
# Candidates are verified on a bottom-k sketch: exact for short texts, and a standard
# deviation near 0.025 at Jaccard 0.8 (the 128-value signature's is 0.035).
SKETCH = 256
WINDOW = 200_000  # characters of a long text judged and restored at a time
_PAD = np.uint64(2**64 - 1)  # fills a short text's sketch row on disk


@dataclass(frozen=True, slots=True)
class Member:
    """What deduplication needs of a record (its text is not kept)."""

    key: str  # unique per record, even where ids repeat
    id: str
    digest: bytes  # of the normalised text: exact copies share it
    site: str | None
    source: str | None
    published: str | None
    length: int


@dataclass(frozen=True, slots=True)
class Verdict:
    cluster_id: str
    is_canonical: bool
    duplicate_of: str | None


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


def cluster(records: Iterable[dict[str, Any]], threshold: float = 0.8, num_perm: int = 128,
            ngram: int = 5) -> dict[str, Verdict]:
    """Cluster article records (dicts with ``id``, ``text``, ``site``, ``source``,
    ``published``, optionally ``key``); returns each record's verdict by its ``key``
    (by its id when records have no key; keys must be unique, ids need not be).

    Texts are hashed and dropped as they stream by. Signatures and sketches go to files
    in a temporary folder and are read back memory-mapped, so memory holds a few fields
    per record and one band's buckets at a time, not the corpus.
    """
    hasher = MinHasher(num_perm, ngram)
    members: list[Member] = []
    exact: dict[bytes, int] = {}
    union = _UnionFind(0)
    with tempfile.TemporaryDirectory(prefix="zhclean-dedup-") as tmp:
        signature_file, sketch_file = Path(tmp) / "signatures", Path(tmp) / "sketches"
        with signature_file.open("wb") as signatures, sketch_file.open("wb") as sketches:
            for record in records:
                text = simplified_text(record.get("text") or "")
                index = len(members)
                digest = _digest(text)
                record_id = str(record["id"])
                members.append(Member(str(record.get("key") or record_id), record_id, digest,
                                      record.get("site"), record.get("source"),
                                      record.get("published"), len(text)))
                signatures.write(hasher.signature(text).tobytes())
                sketch = hasher.sketch(text, SKETCH)
                padded = np.full(SKETCH, _PAD, dtype=np.uint64)
                padded[:len(sketch)] = sketch
                sketches.write(padded.tobytes())
                union.parent.append(index)
                if digest in exact:
                    union.union(exact[digest], index)
                else:
                    exact[digest] = index
        if not members:
            return {}
        n = len(members)
        matrix = np.memmap(signature_file, dtype=np.uint32, mode="r", shape=(n, num_perm))
        sketch_rows = np.memmap(sketch_file, dtype=np.uint64, mode="r", shape=(n, SKETCH))
        _join_near_duplicates(matrix, sketch_rows, union, threshold, num_perm)
        del matrix, sketch_rows  # close the maps before the folder goes
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
            is_canonical = index == first
            verdicts[member.key] = Verdict(cluster_id, is_canonical,
                                           None if is_canonical else canonical.id)
    return verdicts


def simplified_text(text: str) -> str:
    """The text deduplication hashes: Simplified, whatever script the record kept (a
    native Traditional reprint, or a converted copy the detector missed, is still the
    same article), restored with the phrase votes so it matches its twin exactly.

    The script is judged on the text's first ``WINDOW`` characters and restored a window
    of lines at a time: a 60 MB record would otherwise cost many times its size."""
    report = detect_script(text[:WINDOW])
    if report.input in ("hans", "none"):
        return text
    words = report.evidence.get("taiwan_words")
    return "".join(to_simplified(piece, words)[0] for piece in _line_windows(text, WINDOW))


def _digest(text: str) -> bytes:
    """A hash of the text without spaces and punctuation (exact copies share it), taken a
    window at a time: dropping characters is local, so the windows hash as the whole."""
    digest = hashlib.blake2b(digest_size=16)
    for start in range(0, len(text), WINDOW):
        digest.update(_NOISE.sub("", text[start:start + WINDOW]).encode("utf-8",
                                                                          "surrogatepass"))
    return digest.digest()


def _line_windows(text: str, size: int) -> Iterator[str]:
    """The text in pieces of about ``size`` characters, cut after a line break (no
    phrase the restoration votes on spans lines).

    >>> list(_line_windows("ab\\ncd\\nef", 2))
    ['ab\\n', 'cd\\n', 'ef']
    """
    start = 0
    while start < len(text):
        end = text.find("\n", start + size)
        end = len(text) if end < 0 else end + 1
        yield text[start:end]
        start = end


def _join_near_duplicates(matrix: np.ndarray[Any, np.dtype[np.uint32]],
                          sketches: np.ndarray[Any, np.dtype[np.uint64]],
                          union: _UnionFind, threshold: float, num_perm: int) -> None:
    """LSH: records sharing a band's bucket are candidates, joined when their sketches
    agree on at least ``threshold``."""
    bands, rows = lsh_parameters(threshold, num_perm)
    for band in range(bands):
        # Each bucket keeps one representative per cluster met so far: a newcomer is
        # checked against each until one takes it, so B and C are compared even when
        # neither matched the bucket's first member A.
        buckets: dict[bytes, list[int]] = {}
        block = np.ascontiguousarray(matrix[:, band * rows:(band + 1) * rows])
        for index, key in enumerate(block):
            representatives = buckets.setdefault(key.tobytes(), [])
            for rep in representatives:
                if union.find(rep) == union.find(index):
                    break
                if sketch_jaccard(_unpad(sketches[rep]), _unpad(sketches[index]),
                                  SKETCH) >= threshold:
                    union.union(rep, index)
                    break
            else:
                representatives.append(index)


def _unpad(row: np.ndarray[Any, np.dtype[np.uint64]]) -> np.ndarray[Any, np.dtype[np.uint64]]:
    kept: np.ndarray[Any, np.dtype[np.uint64]] = row[row != _PAD]
    return kept


def _canonical(group: list[Member], indexes: list[int]) -> int:
    """The index of the cluster's original: credited, earliest, most complete."""
    credited = {_plain(m.source) for m in group if m.source}

    def rank(position: int) -> tuple[bool, str, int, int]:
        member = group[position]
        is_source = bool(member.site) and _plain(member.site) in credited
        return (not is_source, member.published or "9999", -member.length, indexes[position])

    return indexes[min(range(len(group)), key=rank)]


def _plain(name: str | None) -> str:
    return _NOISE.sub("", name or "").lower()
