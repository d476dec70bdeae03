"""Decoding the bytes of Chinese pages: UTF-8 (with or without BOM), UTF-16, GB18030
(a superset of GBK and GB2312) and Big5.

A byte-order mark decides first, then a declared charset (the caller's, from an HTTP
header, then the page's ``<meta>``), then strict UTF-8 (which
almost never decodes other encodings by accident), then NUL bytes (UTF-16 with ASCII).
Last, GB18030, Big5 and BOM-less UTF-16 are all tried, and the one whose text holds the
most common Chinese characters wins: bytes read in the wrong one decode into rare
characters, not into errors.

>>> decode("企业新闻".encode("gb18030")), decode("企業新聞".encode("big5"))
('企业新闻', '企業新聞')
"""

from __future__ import annotations

import codecs
import re
from functools import cache

from .._data import rows
from ..errors import DecodeError

__all__ = ["decode"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@cache
def _common() -> frozenset[str]:
    return frozenset(char for (char,) in rows("common_chars.tsv"))


def _score(text: str) -> int:
    common = _common()
    return sum(char in common for char in text)


def _utf16_by_nul_bytes(data: bytes) -> str | None:
    """UTF-16 text with some ASCII in it has NUL in every other byte of that ASCII;
    no GB18030 or Big5 text holds a NUL byte."""
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    if max(even, odd) < max(2, len(data) // 16):
        return None
    try:
        return data.decode("utf-16-le" if odd > even else "utf-16-be")
    except UnicodeDecodeError:
        return None


_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?([a-zA-Z0-9_.:-]+)""",
                           re.IGNORECASE)


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in a ``<meta>`` tag near its start.

    >>> declared_charset(b'<html><head><meta charset="gbk"><title>')
    'gbk'
    """
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii") if match else None


def decode(data: bytes, hint: str | None = None) -> str:
    """Decode bytes of a Chinese page; ``hint`` is a declared charset tried first (an
    HTTP header's, say), then the page's own ``<meta charset>``, then detection."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as err:
                raise DecodeError(f"bytes start with a {codec} byte-order mark but do not"
                                  f" decode as {codec}: {err}") from err
    for declared in (hint, declared_charset(data)):
        if not declared:
            continue
        try:
            return data.decode(_canonical(declared))
        except (LookupError, UnicodeError, ValueError):
            pass  # a wrong or unknown declaration is common; detection follows
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    utf16 = _utf16_by_nul_bytes(data)
    if utf16 is not None:
        return utf16
    # The rest is a vote: Chinese text read in a wrong encoding (GB18030 for Big5,
    # UTF-16 for either) decodes into rare characters, so the most common ones win.
    codecs_ = ["gb18030", "big5hkscs"] + (["utf-16-le", "utf-16-be"] if len(data) % 2 == 0 else [])
    candidates = []
    for rank, codec in enumerate(codecs_):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        candidates.append((_score(text), -rank, text))
    best = max(candidates, default=None)
    if best is None or best[0] == 0:  # no reading gives a single common Chinese character
        raise DecodeError("the bytes are not UTF-8, UTF-16, GB18030/GBK or Big5"
                          " (pass the right encoding with --encoding)")
    return best[2]


def _canonical(charset: str) -> str:
    """Widen declared charsets to their supersets, as browsers do (gb2312 → gb18030)."""
    name = codecs.lookup(charset.strip().strip("\"'")).name
    return {"gb2312": "gb18030", "gbk": "gb18030", "big5": "big5hkscs"}.get(name, name)
