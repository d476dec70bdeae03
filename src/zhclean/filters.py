"""Chinese quality filters: each rejects a record with a reason code and a threshold.

Run on the clean article, after repair and structure: a page is judged on its body, not
on its chrome. Reason codes: ``empty`` (no body at all), ``too_short``, ``low_cjk``,
``repeated_lines``, ``repeated_ngrams``, ``spam``, ``garbled``; and ``not_text``, which
``process()`` gives before any of these, to an image, PDF or archive payload.

>>> from zhclean import page
>>> check(page("今天天气很好。"), FilterConfig())
('too_short', '7 characters, fewer than 50')
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from .article import Article
from .errors import UsageError
from .repair._chars import han_count, ngram_hashes
from .repair.pinyin_glue import reading_annotations

__all__ = ["REASONS", "FilterConfig", "check"]

REASONS = ("not_text", "empty", "too_short", "low_cjk", "repeated_lines", "repeated_ngrams",
           "spam", "garbled")
# Repetition is judged on the first 200,000 characters: enough to see a spam loop, and
# a 50 MB record would otherwise need gigabytes of n-grams.
_NGRAM_WINDOW = 200_000
_SPACE = re.compile(r"\s+")
_SPAM = re.compile(r"博彩|赌场|娱乐城|百家乐|六合彩|时时彩|真人荷官|彩金|成人视频|裸聊|约炮|av女优"
                   r"|一夜情|代开发票|办证|私服|外挂")
# Decoding accidents: the replacement character, GBK read as UTF-8 and back (锟斤拷),
# uninitialised memory shown as GBK (烫烫烫, 屯屯屯), UTF-8 read as Latin-1 (Ã¤, å¤).
_GARBLED = re.compile(r"\ufffd|锟斤拷|烫烫烫|屯屯屯|[ÃÂÅæåçè][\x80-\xbf]|[\ue000-\uf8ff]")


@dataclass(frozen=True, slots=True)
class FilterConfig:
    """Thresholds; a filter set to ``None`` is off."""

    min_chars: int | None = 50
    min_cjk_share: float | None = 0.3
    max_repeated_line_share: float | None = 0.3
    max_repeated_ngram_share: float | None = 0.4
    ngram: int = 10
    max_spam_hits: int | None = 2
    max_garbled_share: float | None = 0.01
    # Bytes the decoder could not read (U+FFFD, counted in ``decode_errors``) are judged
    # apart: a few in a page are a crawl's stray bytes, not a garbled page.
    max_undecodable_share: float | None = 0.05

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> FilterConfig:
        known = {f.name for f in fields(cls)}
        unknown = set(values) - known
        if unknown:
            raise UsageError(f"unknown filter option(s) {', '.join(sorted(unknown))};"
                             f" known: {', '.join(sorted(known))}")
        for key, value in values.items():
            number = isinstance(value, (int, float)) and not isinstance(value, bool)
            if not ((value is None and key != "ngram") or (number and value >= 0)):
                raise UsageError(f"filter {key} must be a number (or false), not {value!r}")
        ngram = values.get("ngram", 10)
        if not isinstance(ngram, int) or isinstance(ngram, bool) or ngram < 1:
            raise UsageError(f"filter ngram must be a whole number of at least 1, not {ngram!r}")
        return cls(**values)


def check(article: Article, config: FilterConfig) -> tuple[str, str] | None:
    """``(reason, detail)`` when the article should be rejected, else ``None``."""
    text = article.text
    if not article.paragraphs:
        return "empty", article.empty_reason or "no body"
    chars = len(_SPACE.sub("", text))
    if config.min_chars is not None and chars < config.min_chars:
        return "too_short", f"{chars} characters, fewer than {config.min_chars}"
    if config.min_cjk_share is not None:
        share = _cjk_share(text)
        if share < config.min_cjk_share:
            return "low_cjk", f"{share:.0%} Chinese characters, under {config.min_cjk_share:.0%}"
    if config.max_repeated_line_share is not None:
        share = _repeated_line_share(article.paragraphs)
        if share > config.max_repeated_line_share:
            return "repeated_lines", f"{share:.0%} of the text is repeated paragraphs"
    if config.max_repeated_ngram_share is not None:
        share = _repeated_ngram_share(_SPACE.sub("", text)[:_NGRAM_WINDOW], config.ngram)
        if share > config.max_repeated_ngram_share:
            return "repeated_ngrams", f"{share:.0%} of characters in repeated {config.ngram}-grams"
    if config.max_spam_hits is not None:
        hits = len(_SPAM.findall(text))
        if hits > config.max_spam_hits:
            return "spam", f"{hits} gambling or porn terms"
    undecodable = min(article.decode_errors, text.count("\ufffd"))
    if config.max_undecodable_share is not None:
        share = undecodable / chars
        if share > config.max_undecodable_share:
            return "garbled", f"{share:.1%} of characters are undecodable bytes"
    if config.max_garbled_share is not None:
        share = (len(_GARBLED.findall(text)) - undecodable) / chars
        if share > config.max_garbled_share:
            return "garbled", f"{share:.1%} of characters look mis-decoded"
    return None


def _cjk_share(text: str) -> float:
    """Share of Chinese characters among the non-space ones, readings not counted.

    A poem or a teaching page annotated character by character (床(chuáng)前(qián))
    is Chinese text, and repair keeps its annotations: their Latin letters would
    otherwise outweigh the characters they annotate. Only a syllable that is a reading
    of the character before it is set aside, so Latin prose still counts in full.

    >>> round(_cjk_share("床(chuáng)前(qián)明(míng)月(yuè)光(guāng)"), 2)
    1.0
    >>> round(_cjk_share("床前 bed front"), 2)
    0.2
    """
    spans = [span for span, _ in reading_annotations(text)]
    bare = text  # most pages: no annotation to set aside, and no copy to make
    if spans:
        ends = [0] + [end for _, end in spans]
        starts = [start for start, _ in spans] + [len(text)]
        bare = "".join(text[end:start] for end, start in zip(ends, starts, strict=True))
    return han_count(bare) / max(1, len(_SPACE.sub("", bare)))


def _repeated_line_share(paragraphs: list[str]) -> float:
    counts = Counter(paragraphs)
    repeated = sum(len(p) * (n - 1) for p, n in counts.items() if n > 1)
    return repeated / max(1, sum(len(p) for p in paragraphs))


def _repeated_ngram_share(text: str, n: int) -> float:
    """Share of characters covered by character n-grams that occur more than once
    (n-grams compared by a 64-bit hash: vectorised, as a Counter of slices is not).

    >>> _repeated_ngram_share("一二三四五六七八九十" * 3, 10)
    1.0
    >>> _repeated_ngram_share("一二三四五六七八九十甲乙丙丁", 10)
    0.0
    """
    if len(text) < 2 * n:
        return 0.0
    hashes = ngram_hashes(text, n)
    _, inverse, counts = np.unique(hashes, return_inverse=True, return_counts=True)
    starts = np.flatnonzero(counts[inverse] > 1)
    # each repeated n-gram covers [start, start + n): count the characters under any
    size = len(text) + 1
    edges = np.bincount(starts, minlength=size) - np.bincount(starts + n, minlength=size)
    return float(np.count_nonzero(np.cumsum(edges[:-1]))) / len(text)
