"""Decoding the bytes of Chinese pages: UTF-8 (with or without BOM), UTF-16, GB18030
(a superset of GBK and GB2312) and Big5-HKSCS, without losing a page to a few bad bytes.

Damage handled: a GB2312 page with two truncated characters (``b"\\xb0 "``) decodes
with two U+FFFD and says so; Big5 bytes labelled ``gb2312`` decode as Big5, not as the
rare-character mojibake GB18030 makes of them (GB18030 accepts almost any byte string).

Strict UTF-8 is the fast path (it almost never decodes other encodings by accident).
Otherwise every candidate (byte-order mark, declared charsets, UTF-8, GB18030,
Big5-HKSCS, UTF-16 where there is evidence for it) is read with bad bytes replaced, and
judged by its replacements and by how plausible its text is as Chinese: the share of
its non-ASCII characters that are common characters. Bytes read in a wrong encoding
decode into errors, rare characters or NUL bytes, seldom into common characters.

>>> decode("企业新闻".encode("gb18030")), decode("企業新聞".encode("big5"))
('企业新闻', '企業新聞')
>>> decode_report("标题，正文。".encode("gbk")[:-1] + b" ")
Decoded(text='标题，正文\\ufffd ', encoding='gb18030', errors=1)
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from functools import cache
from typing import NamedTuple

from .._data import rows
from ..errors import DecodeError, UsageError

__all__ = ["Decoded", "check_encoding", "declared_charset", "decode", "decode_report"]

# The thresholds come from reading the 89 bench pages in ../shared and the dev texts
# (clean, damaged, native Traditional and pinyin teaching pages, encoded as GB18030 or
# Big5-HKSCS, UTF-8, UTF-16; whole, and cut to 200 and 40 characters) in every candidate:
# - Plausibility of the right reading: at least 0.74 (0.55 cut to 40 characters). A
#   wrong reading with at most 1% replacements: at most 0.45 on 200+ characters (0.83 on
#   40 mostly-ASCII ones); a wrong UTF-16 reading: at most 0.25. The right reading beat
#   the best wrong one by at least 0.17 everywhere (0.33 on 200+ characters).
# - Replacements: the right reading leaves at most 0.09% of the non-ASCII characters
#   undecodable (the worst real page: 12 truncated characters in 38 KB); a wrong 8-bit
#   reading usually 1.5-90%, but Big5 read as GB18030 has none: plausibility decides.
_FEW = 0.01  # at most this share of replacements is "a few bad bytes" (10x the worst)
_MARGIN = 0.1  # a declaration wins unless another reading is this much more plausible
_MARGIN_CHARS = 10  # ... and has this many more common characters (one is no evidence)
# "Fewest replacements": each one also cancels a common character (0 and 1 chose alike
# on all the texts above; 2 and more misread one 46-character text with 12 of them).
_ERROR_WEIGHT = 1
_SURE, _SURE_CHARS = 0.7, 100  # this plausible on this many characters: stop looking
_UTF16_PLAUSIBLE = 0.5  # UTF-16 with no BOM or NUL bytes to vouch for it
# Mostly undecodable: more than half of the non-ASCII characters of the best reading are
# replacements (a real page: 0.09%; UTF-8 read from GB or Big5 bytes: 73-93%; a page
# spliced from two encodings still has a readable half, so it is kept), and they are
# more than 5% of all characters (ASCII text with a few stray bytes is text).
_UNDECODABLE, _STRAY = 0.5, 0.05

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_DETECTED = ("utf-8", "gb18030", "big5hkscs")
# Declared charsets widened to their supersets, as browsers do (gb2312 → gb18030).
_WIDER = {"gb2312": "gb18030", "gbk": "gb18030", "big5": "big5hkscs"}


class Decoded(NamedTuple):
    """Decoded text, the Python codec that decoded it, and how many undecodable byte
    sequences became U+FFFD."""

    text: str
    encoding: str
    errors: int


class _Reading(NamedTuple):
    """One candidate encoding's reading of the bytes, with what it is judged by."""

    decoded: Decoded
    suspect: int  # where a wrong encoding shows: non-ASCII (bar accented letters), NUL
    common: int  # common Chinese characters

    @property
    def evidence(self) -> int:
        """Common characters, less what the replacements cost."""
        return self.common - _ERROR_WEIGHT * self.decoded.errors

    @property
    def plausibility(self) -> float:
        """The share of the suspect characters that are common characters, less what
        the replacements cost: Chinese read in its own encoding scores high."""
        return self.evidence / self.suspect if self.suspect else 1.0

    @property
    def share(self) -> float:
        """The share of the suspect characters that are replacements."""
        return self.decoded.errors / self.suspect if self.suspect else 0.0


@cache
def _common() -> frozenset[str]:
    return frozenset(char for (char,) in rows("common_chars.tsv"))


@cache
def _common_pattern() -> re.Pattern[str]:
    return re.compile("[" + "".join(sorted(_common())) + "]")


# Accented Latin letters are neither evidence for nor against Chinese: pinyin tone
# letters (GB18030 row 8, which Big5 reads as common characters) and Latin-1 text.
_LATIN = re.compile("[\u00c0-\u024f\u1e00-\u1eff]")


def _read(data: bytes, codec: str, score: bool = True) -> _Reading | None:
    """``data`` read in ``codec``, bad bytes as U+FFFD; None for a codec Python lacks.
    Without ``score`` only the replacements are counted (characters are the slow part)."""
    try:
        # The built-in "replace" runs in C; a counting error handler would call Python
        # once per error, and a GB page read as UTF-8 has thousands.
        text = data.decode(codec, "replace")
    except LookupError:  # unknown, or not a text encoding (base64, rot13)
        return None
    errors = text.count("\ufffd")
    if errors:
        errors -= _encoded_replacement_chars(data, codec)
    # Non-ASCII characters, and NUL: UTF-16 read as an 8-bit encoding shows as NULs.
    suspect = len(text) - len(text.encode("ascii", "ignore")) + text.count("\x00")
    common = 0
    if suspect and score:
        suspect -= len(_LATIN.findall(text))
        common = len(_common_pattern().findall(text))
    return _Reading(Decoded(text, codec, errors), suspect, common)


def _encoded_replacement_chars(data: bytes, codec: str) -> int:
    """How many U+FFFD the bytes hold as text (a page damaged before it was saved)."""
    try:
        needle = "\ufffd".encode(codec)
    except UnicodeError:  # the encoding cannot hold U+FFFD
        return 0
    bom = next((b for b, _ in _BOMS if needle.startswith(b) and len(needle) > len(b)), b"")
    if needle[len(bom):] not in data:
        return 0
    return data.decode(codec, "ignore").count("\ufffd")


def _clearly_better(reading: _Reading, declared: _Reading) -> bool:
    """Better enough to override a declaration that decodes."""
    return (reading.plausibility > declared.plausibility + _MARGIN
            and reading.evidence >= declared.evidence + _MARGIN_CHARS)


def _sure(reading: _Reading) -> bool:
    """Plausible enough, on enough text, that no other reading need be tried."""
    return (reading.share <= _FEW and reading.suspect >= _SURE_CHARS
            and reading.plausibility >= _SURE)


def _utf16_by_nul_bytes(data: bytes) -> str | None:
    """UTF-16 text with some ASCII in it has NUL in every other byte of that ASCII;
    no GB18030 or Big5 text holds a NUL byte."""
    if len(data) < 4:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    if max(even, odd) < max(2, len(data) // 16):
        return None
    return "utf-16-le" if odd > even else "utf-16-be"


_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?([a-zA-Z0-9_.:-]+)""",
                           re.IGNORECASE)


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in a ``<meta>`` tag near its start.

    >>> declared_charset(b'<html><head><meta charset="gbk"><title>')
    'gbk'
    """
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii") if match else None


def _codec(charset: str) -> str | None:
    """The Python codec for a charset name, widened; None for no text encoding."""
    try:
        name = codecs.lookup(charset.strip().strip("\"'")).name
        b"x".decode(name, "replace")  # codecs.lookup also knows bytes codecs (base64)
    except (LookupError, ValueError):
        return None
    return _WIDER.get(name, name)


def check_encoding(name: str) -> str:
    """The codec an explicit encoding name decodes with (widened to its superset), or
    :class:`UsageError` for a name that is no text encoding.

    >>> check_encoding("GB2312"), check_encoding("utf8")
    ('gb18030', 'utf-8')
    """
    codec = _codec(name)
    if codec is None:
        raise UsageError(f"unknown encoding {name!r}; try gb18030, big5, utf-8 or utf-16")
    return codec


def _declared(data: bytes, hint: str | None) -> list[str]:
    """Codecs the bytes vouch for, strongest first: BOM, ``hint``, ``<meta>``."""
    found = [codec for bom, codec in _BOMS if data.startswith(bom)][:1]
    for charset in (hint, declared_charset(data)):
        codec = _codec(charset) if charset else None
        if codec and codec not in found:
            found.append(codec)
    return found


def _forced(data: bytes, codec: str) -> Decoded:
    """Obey an explicit encoding: bad bytes become U+FFFD, however many there are."""
    if codec == "utf-8" and data.startswith(codecs.BOM_UTF8):
        codec = "utf-8-sig"  # a byte-order mark is not text
    if codec in ("utf-16", "utf-32") and not any(data.startswith(b) for b, _ in _BOMS):
        # Without a BOM Python assumes the machine's byte order; choose by the bytes.
        readings = [_read(data, f"{codec}-{order}") for order in ("le", "be")]
        best = min((r for r in readings if r), key=lambda r: (r.decoded.errors, -r.plausibility))
        return best.decoded
    reading = _read(data, codec)
    assert reading is not None, codec  # check_encoding knew it
    return reading.decoded


def _candidates(data: bytes, declared: list[str]) -> Iterator[tuple[str, bool]]:
    """Codecs to try, in order of preference, each with whether it needs to be
    plausible Chinese to count (UTF-16 with no BOM or NUL bytes to vouch for it:
    UTF-16 decodes almost any even-length byte string)."""
    seen = set(declared)
    yield from ((codec, False) for codec in declared)
    nul = _utf16_by_nul_bytes(data) if b"\x00" in data else None
    for codec in ((nul,) if nul else ()) + _DETECTED:
        if codec not in seen:
            seen.add(codec)
            yield codec, False
    for codec in ("utf-16-le", "utf-16-be"):
        if codec not in seen:
            yield codec, True


def _choose(data: bytes, declared: list[str]) -> Decoded:
    # A byte-order mark that lies (GBK saved after a UTF-8 BOM) must not shift every
    # other reading by three bytes.
    bom = next((b for b, _ in _BOMS if data.startswith(b)), b"")
    readings: list[_Reading] = []
    trusted: _Reading | None = None  # the strongest declaration with few errors
    for index, (codec, needs_evidence) in enumerate(_candidates(data, declared)):
        reading = _read(data if bom and index == 0 else data[len(bom):], codec)
        if reading is None:
            continue
        if needs_evidence and (reading.share > _FEW
                               or reading.plausibility < _UTF16_PLAUSIBLE):
            continue
        if codec in declared:
            if trusted is None and reading.share <= _FEW:
                trusted = reading
            if _sure(reading):
                return reading.decoded
        elif _sure(reading) and (trusted is None or _clearly_better(reading, trusted)):
            return reading.decoded
        readings.append(reading)
    # Most plausible wins (replacements count against it), then fewest replacements,
    # then the order of preference.
    best = max(readings, key=lambda r: (r.plausibility, -r.decoded.errors))
    if trusted is not None and not _clearly_better(best, trusted):
        best = trusted  # a declaration that decodes, and no clearly better reading
    text, errors = best.decoded.text, best.decoded.errors
    if best.share > _UNDECODABLE and errors > len(text) * _STRAY:
        raise DecodeError(
            f"the bytes are not text in UTF-8, UTF-16, GB18030/GBK or Big5: even read as"
            f" {best.decoded.encoding}, {errors} of {best.suspect} non-ASCII characters"
            f" are undecodable (pass the right encoding with --encoding)")
    return best.decoded


def decode_report(data: bytes, hint: str | None = None,
                  encoding: str | None = None) -> Decoded:
    """Decode bytes of a Chinese page, and say how.

    ``encoding``, when given, is obeyed (a :class:`UsageError` if Python does not know
    it). Otherwise ``hint`` (an HTTP header's charset, say) and the page's own
    ``<meta charset>`` are preferred when they decode with few errors and no other
    reading is clearly more plausible Chinese. Undecodable bytes become U+FFFD and are
    counted; only bytes that are mostly undecodable raise :class:`DecodeError`.

    >>> decode_report("香港特別行政區政府今日公佈最新經濟數據".encode("big5"), hint="gb2312")
    Decoded(text='香港特別行政區政府今日公佈最新經濟數據', encoding='big5hkscs', errors=0)
    >>> decode_report("中文".encode("gbk"), encoding="utf-8")
    Decoded(text='\\ufffd\\ufffd\\ufffd\\ufffd', encoding='utf-8', errors=4)
    """
    if encoding is not None:
        return _forced(data, check_encoding(encoding))
    declared = _declared(data, hint)
    if b"\x00" not in data:  # the fast path: most pages are UTF-8 (or ASCII)
        if data.isascii():
            return Decoded(data.decode("ascii"), "ascii", 0)
        utf8 = "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
        try:
            text = data.decode(utf8)
        except UnicodeDecodeError:
            pass
        else:
            # Valid UTF-8 is hardly ever an accident: another declaration is weighed
            # only if it too decodes with few errors (pages re-encoded to UTF-8 often
            # keep their old <meta charset=gb2312>).
            others = (_read(data, codec, score=False) for codec in declared
                      if codec not in ("utf-8", "utf-8-sig"))
            if not any(r is not None and r.share <= _FEW for r in others):
                return Decoded(text, utf8, 0)
    return _choose(data, declared)


def decode(data: bytes, hint: str | None = None) -> str:
    """Decode bytes of a Chinese page: :func:`decode_report`'s text.

    >>> decode(b"caf\\xc3\\xa9")
    'café'
    """
    return decode_report(data, hint).text
