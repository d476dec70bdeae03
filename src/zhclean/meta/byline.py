"""Bylines: the meta line under a title that names the site, the source, the author.

``激光制造网 来源:逸飞激光2021-10-18 我要评论(0 )`` gives site 激光制造网, source 逸飞激光
and the date; ``作者：张三 责任编辑：李四`` gives the author.

>>> parse_byline("激光制造网 来源:逸飞激光2021-10-18 我要评论(0 )")
{'site': '激光制造网', 'source': '逸飞激光', 'published': '2021-10-18'}
"""

from __future__ import annotations

import re

from ..repair.script import simplified_view
from .dates import find_date

__all__ = ["BYLINE", "parse_byline"]

# Generic words (时间, 日期) are not fields: 报名时间：… is body text.
_FIELD = (r"(?:来源|来自|出处|稿源|作者|记者|编辑|责任编辑|责编|发布时间|发表时间|更新时间"
          r"|发布日期)")
# A byline names one of its fields, or is a date with little else around it.
BYLINE = re.compile(rf"{_FIELD}\s*[:：]|浏览(?:次数|量)?[:：]|阅读(?:量|数)[:：]|点击[:：]"
                    r"|\d{1,2}:\d{2}(?::\d{2})?\s*发布|发布于|发表于|^(?:本报)?记者\s|^文\s*/"
                    r"|^记者[\u3400-\u9fff]{2,4}[／/]")  # Taiwan style: 記者王小明／臺北報導
_SOURCE = re.compile(r"(?:来源|来自|出处|稿源)\s*[:：]\s*([^\s|｜,，;；:：]+)")
# Several names separated by single spaces are one byline (记者 张三 李四); a name is
# a few Han characters, or a Latin name.
_NAME = r"[\u3400-\u9fff·]{2,5}|[A-Za-z][\w.\-]{1,20}"
_AUTHOR = re.compile(rf"(?:作者|记者|责任编辑|责编|编辑|撰文|文)\s*[:：/\s]\s*"
                     rf"((?:{_NAME})(?: (?:{_NAME}))*)|^记者([\u3400-\u9fff]{{2,4}})[／/]")
_DATE_START = re.compile(r"(?:19|20)\d{2}\s*[-/.年]")
_SITE = re.compile(r"^([^\s:：|｜]{2,15}?)\s+")


def _cut(value: str) -> int:
    """Where a field's value ends: where a date or another field begins."""
    date = _DATE_START.search(value)
    end = date.start() if date else len(value)
    field = re.search(_FIELD, value[:end])
    return field.start() if field and field.start() else end


def parse_byline(text: str) -> dict[str, str]:
    """Site, source, author and published date found in one byline (either script)."""
    view = simplified_view(text)  # the patterns are Simplified; values come from ``text``
    found: dict[str, str] = {}
    site = _SITE.match(view)
    if site and not re.search(_FIELD, site.group(1)) and not _DATE_START.match(site.group(1)):
        found["site"] = text[site.start(1):site.end(1)]
    for key, pattern in (("source", _SOURCE), ("author", _AUTHOR)):
        match = pattern.search(view)
        if match:
            group = 1 if match.group(1) else 2  # _AUTHOR's second form: 記者王小明／
            start = match.start(group)
            value = text[start:start + _cut(match.group(group))].strip()
            if value:
                found[key] = value
    published = find_date(view)
    if published:
        found["published"] = published
    return found
