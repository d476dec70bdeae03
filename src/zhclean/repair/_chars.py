"""Characters shared by the repairs and the stages after them: the Han and CJK classes
(as regex fragments), code-point arrays, and the surrogate clean-up."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import numpy as np

# CJK ideographs: Extension A, the unified block, compatibility ideographs, and the
# supplementary planes (Extensions B-H); as code-point ranges and as a regex class.
HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3134F))
HAN = "".join(f"{chr(low)}-{chr(high)}" for low, high in HAN_RANGES)
# Han plus the CJK punctuation and full-width forms that sit inside Chinese prose.
CJK_RANGES = (*HAN_RANGES, (0x3000, 0x303F), (0xFF01, 0xFF60), (0x2014, 0x2014),
              (0x2026, 0x2026), (0x2018, 0x2019), (0x201C, 0x201D))
CJK = "".join(f"{chr(low)}-{chr(high)}" for low, high in CJK_RANGES)


_SURROGATE = re.compile("[\ud800-\udfff]")


@cache
def han_table() -> np.ndarray[Any, np.dtype[np.bool_]]:
    """Whether each code point is Han, for counting by one look-up (1.1 MB, built once)."""
    return _table(HAN_RANGES)


@cache
def cjk_table() -> np.ndarray[Any, np.dtype[np.bool_]]:
    """Whether each code point is in :data:`CJK` (Han and the punctuation of Chinese prose)."""
    return _table(CJK_RANGES)


def _table(ranges: tuple[tuple[int, int], ...]) -> np.ndarray[Any, np.dtype[np.bool_]]:
    table = np.zeros(0x110000, dtype=np.bool_)
    for low, high in ranges:
        table[low:high + 1] = True
    return table


def code_points(text: str) -> np.ndarray[Any, np.dtype[np.uint32]]:
    """The text's code points as a read-only array (lone surrogates included)."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def ngram_hashes(text: str, n: int) -> np.ndarray[Any, np.dtype[np.uint64]]:
    """A 64-bit hash of every character ``n``-gram of ``text``, in one vectorised pass (a
    text shorter than one n-gram is padded to one). Shared by dedup's MinHash and the
    repetition filter, so both see the same n-grams.

    >>> h = ngram_hashes("一二三一二三", 3)
    >>> len(h), bool(h[0] == h[3]), bool(h[0] == h[1])
    (4, True, False)
    """
    codes = code_points(text)
    count = len(codes) - n + 1
    if count <= 0:
        codes = np.pad(codes, (0, max(0, n - len(codes))))
        count = 1
    powers = np.uint64(0x100000001B3) ** np.arange(n - 1, -1, -1, dtype=np.uint64)
    windows = np.lib.stride_tricks.sliding_window_view(codes.astype(np.uint64), n)
    with np.errstate(over="ignore"):
        mixed = (windows * powers).sum(axis=1, dtype=np.uint64)
        mixed ^= mixed >> np.uint64(29)
        mixed *= np.uint64(0xBF58476D1CE4E5B9)
        mixed ^= mixed >> np.uint64(32)
    hashes: np.ndarray[Any, np.dtype[np.uint64]] = mixed[:count]
    return hashes


def replace_surrogates(text: str) -> str:
    """Lone surrogates become U+FFFD (same length): UTF-8 and the automata refuse them."""
    return _SURROGATE.sub("\ufffd", text)


def count_and_replace_surrogates(text: str) -> tuple[str, int]:
    """:func:`replace_surrogates`, and how many there were: in text a reader decoded
    with ``surrogateescape`` (a JSON line with a stray byte), each is an undecodable
    byte.

    >>> count_and_replace_surrogates("好" + chr(0xDCFF) + "字")
    ('好\ufffd字', 1)
    """
    return _SURROGATE.subn("\ufffd", text)


def han_count(text: str) -> int:
    """How many Han characters ``text`` holds, counted in one vectorised pass."""
    codes = code_points(text)
    return int(np.count_nonzero(
        ((codes >= 0x3400) & (codes <= 0x9FFF)) | ((codes >= 0xF900) & (codes <= 0xFAFF))
        | ((codes >= 0x20000) & (codes <= 0x3134F))))
