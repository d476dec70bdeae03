"""Whitespace: odd spaces, ragged lines, spaces inside prose.

Damage: ``\\u00a0\\u00a010月15日`` (NBSP indents), ``使 用`` (a space inside a Chinese
word), trailing spaces. The rules:

* NBSP, ideographic and other wide spaces and tabs become plain spaces;
* each line is trimmed and inner runs of spaces collapse to one;
* in prose lines (with 。！？!?) a space between two CJK characters is removed;
  elsewhere it stays, as in a byline ``激光制造网 来源:逸飞激光``.

The number of lines never changes: later steps rely on them. (Zero-width characters and
CRLF are the ``invisible`` step's.)

>>> normalise_whitespace("\\u00a0\\u00a0应在范围内使 用。  \\n激光制造网 来源:逸飞激光  ")[0]
'应在范围内使用。\\n激光制造网 来源:逸飞激光'
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from ..changes import Change, sub_with_changes
from ._chars import CJK, cjk_table

__all__ = ["TRIGGERS", "normalise_whitespace", "spaces_need_work"]

STEP = "whitespace"
_ODD = "\t\u00a0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u202f\u205f\u3000"
# Without one of these, the step has work only where spaces_need_work finds some.
TRIGGERS = _ODD + "\r"
_ANY = f"[ \r{_ODD}]"  # a CR counts as space only in a run that reaches the line's end
# Only runs that need a change match, so clean text costs one fast scan: runs holding an
# odd character, runs of two or more, single spaces at a line's edge, and single spaces
# between CJK characters (removed in prose lines only). Every branch starts with a
# space or an odd character, which lets the regex engine skip ahead on everything else.
_RUNS = re.compile(
    rf"[{_ODD}]{_ANY}*| {_ANY}+| (?<=^ )| (?=$)|\r{_ANY}*(?=$)| (?<=[{CJK}] )(?=[{CJK}])",
    re.MULTILINE,
)
_CJK_CHAR = re.compile(f"[{CJK}]")
_PROSE = re.compile("[。！？!?]")


class _ProseLines:
    """Whether the line around a position is prose. Matches come in order, so the
    current line's bounds are kept and each line is looked at once."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.start = self.end = -1
        self.prose = False

    def __contains__(self, pos: int) -> bool:
        if not self.start <= pos < self.end:
            self.start = self.text.rfind("\n", 0, pos) + 1
            end = self.text.find("\n", pos)
            self.end = len(self.text) if end < 0 else end
            self.prose = _PROSE.search(self.text, self.start, self.end) is not None
        return self.prose


def spaces_need_work(codes: np.ndarray[Any, np.dtype[np.uint32]]) -> bool:
    """Whether the text's plain spaces can meet a rule (its code points given): one at a
    line's edge, two in a row, one between CJK characters. Judged by look-ups, not by the
    rules' scan, so that clean text (with :data:`TRIGGERS` absent) skips the step; it may
    say yes where the rules then change nothing (a space inside a byline), never no
    where they would change something."""
    spaces = np.flatnonzero(codes == 0x20)
    if not spaces.size:
        return False
    if spaces[0] == 0 or spaces[-1] == len(codes) - 1:
        return True
    before, after = codes[spaces - 1], codes[spaces + 1]
    cjk = cjk_table()
    return bool(((before == 0x0A) | (after == 0x0A) | (after == 0x20)
                 | (cjk[before] & cjk[after])).any())


def normalise_whitespace(text: str) -> tuple[str, list[Change]]:
    """Apply the whitespace rules above; returns the text and its changes."""
    prose = _ProseLines(text)
    n = len(text)

    def replace(match: re.Match[str]) -> tuple[str, str] | None:
        start, end = match.span()
        before = text[start - 1] if start else "\n"
        after = text[end] if end < n else "\n"
        if before == "\n" or after == "\n":
            return "", "trim-line"
        if _CJK_CHAR.match(before) and _CJK_CHAR.match(after) and start in prose:
            return "", "space-inside-prose"
        return " ", "normalise-space"

    return sub_with_changes(_RUNS, replace, text, STEP)
