"""Invisible characters: zero-width marks and the CR of CRLF line ends.

Damage: ``企\\u200b业`` (zero-width spaces injected to defeat duplicate detection),
``\\ufeff`` in mid-text, Windows line ends. This step runs before every other repair:
invisible characters hide glue and symbols from them (``業\\u200b(yè)``), and removing
them later would reveal new damage. A zero-width joiner inside an emoji stays, and a
lone CR (not followed by LF) is left as it is.

>>> remove_invisible("企\\u200b业\\ufeff新闻\\r\\n")[0]
'企业新闻\\n'
"""

from __future__ import annotations

import re

from ..changes import Change, sub_with_changes

__all__ = ["TRIGGERS", "remove_invisible"]

STEP = "invisible"
_ZERO_WIDTHS = "\u200b\u200c\u200d\u2060\ufeff"
TRIGGERS = _ZERO_WIDTHS + "\r"  # without one of these, the step has nothing to do
# One character class, so clean text is scanned fast; the callback sorts the run out.
_INVISIBLE = re.compile(f"[{TRIGGERS}]+")
_ZERO_WIDTH = str.maketrans("", "", _ZERO_WIDTHS)
_EMOJI = re.compile("[\u2600-\u27bf\ufe0f\U0001f000-\U0001faff]")  # joined by ZWJ in emoji


def remove_invisible(text: str) -> tuple[str, list[Change]]:
    """Remove zero-width characters and the CR of each CRLF."""
    n = len(text)

    def invisible(match: re.Match[str]) -> tuple[str, str] | None:
        found, start, end = match.group(), match.start(), match.end()
        if (found == "\u200d" and start > 0 and end < n
                and _EMOJI.match(text, start - 1) and _EMOJI.match(text, end)):
            return None
        kept = found.translate(_ZERO_WIDTH)
        if end < n and text[end] == "\n":
            kept = kept.rstrip("\r")  # the CR of a CRLF
        if kept == found:
            return None  # a lone CR stays
        return kept, "zero-width" if kept.count("\r") == found.count("\r") else "crlf"

    return sub_with_changes(_INVISIBLE, invisible, text, STEP)
