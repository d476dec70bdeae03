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

__all__ = ["remove_invisible"]

STEP = "invisible"
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]+|\r+(?=\n)")
_EMOJI = re.compile("[\u2600-\u27bf\ufe0f\U0001f000-\U0001faff]")  # joined by ZWJ in emoji


def remove_invisible(text: str) -> tuple[str, list[Change]]:
    """Remove zero-width characters and the CR of each CRLF."""
    n = len(text)

    def invisible(match: re.Match[str]) -> tuple[str, str] | None:
        found, start, end = match.group(), match.start(), match.end()
        if found.startswith("\r"):
            return "", "crlf"
        if (found == "\u200d" and start > 0 and end < n
                and _EMOJI.match(text, start - 1) and _EMOJI.match(text, end)):
            return None
        return "", "zero-width"

    return sub_with_changes(_INVISIBLE, invisible, text, STEP)
