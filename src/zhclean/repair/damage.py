"""Damage, made on purpose: the inverse of the glue repair, for tests, benchmarks and the
project's examples (content farms glue a reading after Traditional-only characters).

>>> glue_pinyin("企業新聞", every=1)
'企業(yè)新聞(wén)'
"""

from __future__ import annotations

from functools import cache

from .._data import rows

__all__ = ["glue_pinyin"]


@cache
def _tables() -> tuple[dict[str, str], frozenset[str]]:
    readings = {char: r.split(" ")[0] for char, r in rows("readings.tsv")}
    traditional = frozenset(t for t, s in rows("t2s_chars.tsv") if t != s)
    return readings, traditional


def glue_pinyin(text: str, every: int = 3) -> str:
    """Glue the first reading after every ``every``-th Traditional-only character."""
    readings, traditional = _tables()
    out, seen = [], 0
    for char in text:
        out.append(char)
        if char in traditional and char in readings:
            seen += 1
            if seen % every == 0:
                out.append(f"({readings[char]})")
    return "".join(out)
