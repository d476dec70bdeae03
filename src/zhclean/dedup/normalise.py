"""The text deduplication compares: one form for every copy of an article, whatever
script and vocabulary each site gave it.

A reprint may be Simplified, native Traditional, or machine-converted with the
converter's Taiwan vocabulary (軟體 for 软件, 資訊 for 信息), and a detector may have
left a converted copy as it was, or judged two copies of one article differently. So
every copy, whatever its script, is folded the same way: each character to its likeliest
Simplified form, without context (顯著 and 显著 both become 显着: wrong as a restoration,
right for a comparison, since every copy folds alike), the converters' word swaps undone,
and spaces and punctuation dropped (chrome and editors reflow them).

>>> normalised("他們開發的軟體，資訊安全。") == normalised("他们开发的软件、信息安全")
True
"""

from __future__ import annotations

import re
from functools import cache

import ahocorasick_rs

from .._data import rows
from ..repair._chars import replace_surrogates
from ..repair.script import simplified_view

__all__ = ["NOISE", "normalised"]

NOISE = re.compile(r"[\s\W_]+")


def normalised(text: str) -> str:
    """The text folded to Simplified, with mainland words for converter swaps and no
    spaces or punctuation: what exact and near-duplicate detection hash."""
    return NOISE.sub("", _mainland_words(simplified_view(text)))


def _mainland_words(text: str) -> str:
    """Every converter word swap undone (软体 → 软件), on any page: restoration undoes them
    only where a page shows enough Taiwan vocabulary, and dedup wants every copy alike."""
    values, matcher = _swaps()
    parts: list[str] = []
    pos = 0
    for index, start, end in matcher.find_matches_as_indexes(replace_surrogates(text)):
        parts += (text[pos:start], values[index])
        pos = end
    if not parts:
        return text
    parts.append(text[pos:])
    return "".join(parts)


@cache
def _swaps() -> tuple[list[str], ahocorasick_rs.AhoCorasick]:
    """Taiwan words and the mainland ones they replace, both in their Simplified view:
    the converters' swaps of the restoration table and OpenCC's Taiwan phrases."""
    pairs = [(t, s) for t, s, kind, _ in rows("t2s_phrases.tsv") if kind == "word"]
    pairs += [(taiwan, mainland) for mainland, taiwan in rows("mainland_words.tsv")]
    swaps: dict[str, str] = {}
    for taiwan, mainland in pairs:
        key, value = simplified_view(taiwan), simplified_view(mainland)
        if key != value:
            swaps.setdefault(key, value)
    matcher = ahocorasick_rs.AhoCorasick(
        list(swaps), matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
    return list(swaps.values()), matcher
