"""SEO symbols: decorative symbols injected between Chinese characters.

Damage: ``激光★切割`` or ``企业◆新闻●资讯``, inserted to defeat duplicate detection or
to catch the eye in search results. A symbol is removed only when a Han character sits
on both sides; the same symbols at the start of a line are list bullets or award stars
(``★★★ 推荐``) and stay.

>>> remove_seo_symbols("激光★切割◆焊接")[0]
'激光切割焊接'
>>> remove_seo_symbols("★ 五星推荐")[0]
'★ 五星推荐'
"""

from __future__ import annotations

import re

from ..changes import Change, sub_with_changes
from ._chars import HAN

__all__ = ["SEO_SYMBOLS", "TRIGGERS", "remove_seo_symbols"]

STEP = "symbols"
SEO_SYMBOLS = "★☆◆◇●○■□▲△▼▽►◄♥♡❤♦♣♠✦✧✪✿❀❁❖※¤§☀✓✔✚"
TRIGGERS = SEO_SYMBOLS  # without one of these, the step has nothing to do
_SYMBOL_CLASS = "[" + re.escape(SEO_SYMBOLS) + "]"
# The symbol class comes first so the engine skips quickly through clean text; the
# character before is checked in Python, on the rare match.
_SYMBOLS = re.compile(f"{_SYMBOL_CLASS}+(?=[{HAN}])")
_HAN_CHAR = re.compile(f"[{HAN}]")


def remove_seo_symbols(text: str) -> tuple[str, list[Change]]:
    """Remove decorative symbols that sit between two Han characters."""

    def injected(match: re.Match[str]) -> tuple[str, str] | None:
        start = match.start()
        if start and _HAN_CHAR.match(text, start - 1):
            return "", "symbol-between-han"
        return None

    return sub_with_changes(_SYMBOLS, injected, text, STEP)
