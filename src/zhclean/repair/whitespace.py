"""Whitespace: invisible characters, odd spaces, ragged lines, spaces inside prose.

Damage: ``\\u00a0\\u00a010月15日`` (NBSP indents), ``企\\u200b业`` (zero-width
characters), ``使 用`` (a space inside a Chinese word), trailing spaces. The rules:

* zero-width characters are removed (a zero-width joiner inside an emoji stays);
* NBSP, ideographic and other wide spaces and tabs become plain spaces;
* each line is trimmed and inner runs of spaces collapse to one;
* in prose lines (with 。！？!?) a space between two CJK characters is removed;
  elsewhere it stays, as in a byline ``激光制造网 来源:逸飞激光``.

The number of lines never changes (CRLF becomes LF): later steps rely on them.

>>> normalise_whitespace("\\u00a0\\u00a0应在范围内使 用。  \\n激光制造网 来源:逸飞激光  ")[0]
'应在范围内使用。\\n激光制造网 来源:逸飞激光'
"""

from __future__ import annotations

import re

from ..changes import Change, sub_with_changes
from ._chars import CJK

__all__ = ["normalise_whitespace", "remove_invisible"]

STEP = "whitespace"
INVISIBLE_STEP = "invisible"
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
_INVISIBLE = re.compile(f"[{_ZERO_WIDTH}]+")
_ODD = "\t\r\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000" + _ZERO_WIDTH
_ANY = f"[ {_ODD}]"
# Only runs that need a change match, so clean text costs one fast scan: runs holding an
# odd character, runs of two or more, single spaces at a line's edge, and single spaces
# between CJK characters (removed in prose lines only). Every branch starts with a
# space or an odd character, which lets the regex engine skip ahead on everything else.
_RUNS = re.compile(
    rf"[{_ODD}]{_ANY}*| {_ANY}+| (?<=^ )| (?=$)| (?<=[{CJK}] )(?=[{CJK}])",
    re.MULTILINE,
)
_CJK_CHAR = re.compile(f"[{CJK}]")
_PROSE = re.compile("[。！？!?]")
_EMOJI = re.compile("[\u2600-\u27bf\ufe0f\U0001f000-\U0001faff]")  # joined by ZWJ in emoji


class _ProseLines:
    """Whether the line around a position is prose, looked up once per line."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.known: dict[int, bool] = {}

    def __contains__(self, pos: int) -> bool:
        start = self.text.rfind("\n", 0, pos) + 1
        if start not in self.known:
            end = self.text.find("\n", pos)
            end = len(self.text) if end < 0 else end
            self.known[start] = _PROSE.search(self.text, start, end) is not None
        return self.known[start]


def remove_invisible(text: str) -> tuple[str, list[Change]]:
    """Remove zero-width characters (but a joiner inside an emoji).

    This runs before every other repair: invisible characters hide glue and symbols
    from them (``業\u200b(yè)``), and removing them later would reveal new damage.

    >>> remove_invisible("企\u200b业\ufeff新闻")[0]
    '企业新闻'
    """
    n = len(text)

    def invisible(match: re.Match[str]) -> tuple[str, str] | None:
        start, end = match.span()
        if (match.group() == "\u200d" and start > 0 and end < n
                and _EMOJI.match(text, start - 1) and _EMOJI.match(text, end)):
            return None
        return "", "zero-width"

    return sub_with_changes(_INVISIBLE, invisible, text, INVISIBLE_STEP)


def normalise_whitespace(text: str) -> tuple[str, list[Change]]:
    """Apply the whitespace rules above; returns the text and its changes."""
    prose = _ProseLines(text)
    n = len(text)

    def replace(match: re.Match[str]) -> tuple[str, str] | None:
        run = match.group()
        start, end = match.span()
        before = text[start - 1] if start else "\n"
        after = text[end] if end < n else "\n"
        if before == "\n" or after == "\n":
            return "", "trim-line"
        if not run.strip(_ZERO_WIDTH):
            if run == "\u200d" and _EMOJI.match(before) and _EMOJI.match(after):
                return None
            return "", "zero-width"
        if _CJK_CHAR.match(before) and _CJK_CHAR.match(after) and start in prose:
            return "", "space-inside-prose"
        return " ", "normalise-space"

    return sub_with_changes(_RUNS, replace, text, STEP)
