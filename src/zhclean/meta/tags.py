"""Tags: a page's keyword line, often glued into one run of characters.

``激光应用激光切割焊接清洗`` is four tags (激光应用, 激光切割, 焊接, 清洗) once the
separators the template lost are put back. A segmenter cuts the run into words; words
that repeat inside the line are modifiers (激光) and join the word after them; a pair of
words that the page's own text uses together is one tag.

>>> split_tags("激光应用激光切割焊接清洗")
['激光应用', '激光切割', '焊接', '清洗']
>>> split_tags("标签：储能, 新能源 电池")
['储能', '新能源', '电池']
"""

from __future__ import annotations

import re
from collections import Counter

__all__ = ["TAG_PREFIX", "split_tags"]

TAG_PREFIX = re.compile(r"^(?:标签|標籤|关键词|關鍵詞|关键字|關鍵字|tags?|热词|熱詞)\s*[:：]\s*",
                        re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s,，、;；|｜/#·・]+")
_LONGEST = 200  # a longer "tag line" is not one: splitting it would only cost time


def split_tags(line: str, page_text: str = "") -> list[str]:
    """Split a tag line into tags, using ``page_text`` as the page's vocabulary."""
    line = TAG_PREFIX.sub("", line.strip())[:_LONGEST]
    parts = [p for p in _SEPARATORS.split(line) if p]
    if len(parts) > 1:
        return parts
    return _unglue(line, page_text) if line else []


def _unglue(run: str, page_text: str) -> list[str]:
    import rjieba  # only glued tag lines need the segmenter

    words = [w for w in rjieba.cut(run) if w.strip()]
    counts = Counter(words)
    tags: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        if i + 1 < len(words):
            pair = word + words[i + 1]
            repeated = counts[word] > 1 and len(word) >= 2
            if repeated or len(word) == 1 or len(words[i + 1]) == 1 or pair in page_text:
                tags.append(pair)
                i += 2
                continue
        tags.append(word)
        i += 1
    return tags
