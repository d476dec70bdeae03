"""MinHash signatures of character n-grams, vectorised with numpy.

Each text's code points give rolling 64-bit hashes of its n-grams in one pass. The
signature is a one-permutation MinHash (Li, Owen and Zhang, 2012): one more hash of each
n-gram sends it to one of ``num_perm`` bins and gives its value, and each bin keeps its
minimum; a bin no n-gram fell into takes its next filled neighbour's value, shifted by
the distance (densification by rotation, Shrivastava and Li, 2014), so short texts get
full signatures too. Two signatures agree on a bin with probability about the texts'
Jaccard, as with ``num_perm`` separate permutations, at the cost of one pass over the
n-grams instead of ``num_perm``.

>>> sig = MinHasher().signature("今天天气很好，我们去公园散步吧。")
>>> sig.shape, sig.dtype
((128,), dtype('uint32'))
>>> a = MinHasher().signature("一二三四五六七八九十" * 5)
>>> round(float(jaccard(a, a)), 2)
1.0

Long texts are hashed in windows, so memory depends on the window, not the text:

>>> long = "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(50_000))
>>> bool((MinHasher().signature(long) == MinHasher(window=10**9).signature(long)).all())
True
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from ..repair._chars import ngram_hashes

__all__ = ["MinHasher", "jaccard"]

Signature = np.ndarray[Any, np.dtype[np.uint32]]
# n-grams hashed at a time: memory follows the window, not the text.
WINDOW = 16_384
_EMPTY = 0xFFFFFFFF  # a bin's value before any n-gram falls into it (and the value mask)
_SHIFT = 0x9E3779B9  # added per bin of distance when an empty bin borrows a value


class MinHasher:
    """Signatures of ``num_perm`` values for character ``ngram``-grams."""

    def __init__(self, num_perm: int = 128, ngram: int = 5, seed: int = 1,
                 window: int = WINDOW) -> None:
        rng = np.random.default_rng(seed)
        self.num_perm, self.ngram, self.window = num_perm, ngram, window
        self.a = rng.integers(1, 2**63, dtype=np.uint64) | np.uint64(1)  # odd: a bijection
        self.b = rng.integers(0, 2**63, dtype=np.uint64)

    def shingle_hashes(self, text: str) -> np.ndarray[Any, np.dtype[np.uint64]]:
        """32-bit hashes (in uint64) of every character n-gram of ``text`` (a text shorter
        than one n-gram is padded to one)."""
        return ngram_hashes(text, self.ngram) & np.uint64(0xFFFFFFFF)

    def pieces(self, text: str) -> Iterator[str]:
        """The text in overlapping pieces of at most ``window`` n-grams: together they
        hold every n-gram once, and memory is bounded by the window, not the text (a
        60 MB record would otherwise need ``num_perm × 8`` bytes per character)."""
        step = self.window
        last = max(len(text) - self.ngram + 1, 1)
        for start in range(0, last, step):
            yield text[start:start + step + self.ngram - 1]

    def piece_hashes(self, text: str) -> list[np.ndarray[Any, np.dtype[np.uint64]]]:
        """The 32-bit n-gram hashes of each of the text's pieces (see :meth:`pieces`)."""
        return [self.shingle_hashes(piece) for piece in self.pieces(text)]

    def signature(self, text: str) -> Signature:
        return self.signature_of(self.piece_hashes(text))

    def signature_of(self, pieces: list[np.ndarray[Any, np.dtype[np.uint64]]]) -> Signature:
        """The signature of a text given as its :meth:`piece_hashes`."""
        empty = np.uint64(_EMPTY)
        minima = np.full(self.num_perm, empty, dtype=np.uint64)
        for hashes in pieces:  # never empty: short texts are padded
            with np.errstate(over="ignore"):
                mixed = hashes * self.a + self.b
            # the high half picks the bin (by multiply-shift range reduction), the low
            # half is the value
            bins = ((mixed >> np.uint64(32)) * np.uint64(self.num_perm)) >> np.uint64(32)
            np.minimum.at(minima, bins.astype(np.intp), mixed & empty)
        filled = np.flatnonzero(minima != empty)
        if len(filled) < self.num_perm:
            # each empty bin takes the next filled one (circularly), shifted by how far
            positions = np.arange(self.num_perm)
            after = np.searchsorted(filled, positions) % len(filled)
            source = filled[after]
            distance = ((source - positions) % self.num_perm).astype(np.uint64)
            with np.errstate(over="ignore"):
                shifted = (minima[source] + distance * np.uint64(_SHIFT)) & empty
            minima = np.where(minima == empty, shifted, minima)
        signature: Signature = minima.astype(np.uint32)
        return signature


def jaccard(a: Signature, b: Signature) -> float:
    """The Jaccard similarity two signatures estimate."""
    return float(np.count_nonzero(a == b)) / len(a)
