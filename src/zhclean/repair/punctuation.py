"""Punctuation width (off by default): ASCII punctuation inside Chinese prose.

Damage: ``他说,我们走吧!`` typed with an English keyboard layout. ASCII ``,:;?!`` between
two Han characters, and ASCII parentheses around Chinese text next to CJK, become
full-width. Full-width punctuation is never folded to ASCII.

>>> widen_punctuation("他说,我们走吧!好(真的)吗")[0]
'他说，我们走吧！好（真的）吗'
"""

from __future__ import annotations

import re

from ..changes import Change, sub_with_changes
from ._chars import CJK, HAN

__all__ = ["widen_punctuation"]

STEP = "punctuation"
_WIDE = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}
_BETWEEN = rf"(?<=[{HAN}])[,:;?!](?=[{HAN}])"
_ASCII = re.compile(rf"{_BETWEEN}|\(([^()\n]*)\)")
_INNER = re.compile(_BETWEEN)
_HAN_CHAR = re.compile(f"[{HAN}]")
_CJK_CHAR = re.compile(f"[{CJK}]")


def widen_punctuation(text: str) -> tuple[str, list[Change]]:
    """Widen ASCII punctuation between Han characters; returns text and changes."""
    n = len(text)

    def widen(match: re.Match[str]) -> tuple[str, str] | None:
        inner = match.group(1)
        if inner is None:
            return _WIDE[match.group()], "ascii-punctuation-in-cjk"
        start, end = match.span()
        next_to_cjk = ((start and _CJK_CHAR.match(text, start - 1))
                       or (end < n and _CJK_CHAR.match(text, end)))
        if not (next_to_cjk and _HAN_CHAR.search(inner)):
            return None
        # the inside is widened too: a second run must find nothing left to do
        inner = _INNER.sub(lambda m: _WIDE[m.group()], inner)
        return f"（{inner}）", "ascii-parentheses-in-cjk"

    return sub_with_changes(_ASCII, widen, text, STEP)
