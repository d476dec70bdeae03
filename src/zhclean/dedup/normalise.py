"""The text deduplication compares: one form for every copy of an article, whatever
script and vocabulary each site gave it.

A reprint may be Simplified, native Traditional, or machine-converted with the
converter's Taiwan vocabulary (軟體 for 软件, 資訊 for 信息), and a detector may have
left a converted copy as it was. Each copy is brought to Simplified with the phrase votes
(so it matches its twin exactly), the converters' word swaps are undone in every copy
(a Traditional copy kept Traditional still matches), and spaces and punctuation are
dropped (chrome and editors reflow them).

>>> normalised("他們開發的軟體，資訊安全。") == normalised("他们开发的软件、信息安全")
True
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

import ahocorasick_rs

from .._data import rows
from ..repair._chars import replace_surrogates
from ..repair.script import detect_script, simplified_view, to_simplified

__all__ = ["normalised", "simplified_text"]

NOISE = re.compile(r"[\s\W_]+")
WINDOW = 200_000  # characters of a long text judged and restored at a time


def normalised(text: str) -> str:
    """The text in Simplified, with mainland words for converter swaps and no spaces or
    punctuation: what exact and near-duplicate detection hash."""
    return NOISE.sub("", _mainland_words(simplified_text(text)))


def simplified_text(text: str) -> str:
    """The text in Simplified, whatever script the record kept (a native Traditional
    reprint, or a converted copy the detector missed, is still the same article),
    restored with the phrase votes so it matches its twin exactly.

    The script is judged on the text's first ``WINDOW`` characters and restored a window
    of lines at a time: a 60 MB record would otherwise cost many times its size."""
    report = detect_script(text[:WINDOW])
    if report.input in ("hans", "none"):
        return text
    words = report.evidence.get("taiwan_words")
    return "".join(to_simplified(piece, words)[0] for piece in _line_windows(text, WINDOW))


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
