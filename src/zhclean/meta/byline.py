"""Bylines: the meta line under a title that names the site, the source, the author.

``激光制造网 来源:逸飞激光2021-10-18 我要评论(0 )`` gives site 激光制造网, source 逸飞激光
and the date; ``作者：张三 责任编辑：李四`` gives the author.

>>> parse_byline("激光制造网 来源:逸飞激光2021-10-18 我要评论(0 )")
{'site': '激光制造网', 'source': '逸飞激光', 'published': '2021-10-18'}
"""

from __future__ import annotations

import re

from .dates import find_date

__all__ = ["BYLINE", "parse_byline"]

_FIELD = r"(?:来源|来自|出处|稿源|作者|记者|编辑|责任编辑|责编|发布时间|发表时间|更新时间|时间|日期)"
# A byline names one of its fields, or is a date with little else around it.
BYLINE = re.compile(rf"{_FIELD}\s*[:：]|浏览(?:次数|量)?[:：]|阅读(?:量|数)[:：]|点击[:：]")
_SOURCE = re.compile(r"(?:来源|来自|出处|稿源)\s*[:：]\s*([^\s|｜,，;；:：]+)")
_AUTHOR = re.compile(r"(?:作者|记者|责任编辑|责编|编辑|撰文|文)\s*[:：/]\s*([^\s|｜,，;；:：()（）]{2,16})")
_DATE_START = re.compile(r"(?:19|20)\d{2}\s*[-/.年]")
_SITE = re.compile(r"^([^\s:：|｜]{2,15}?)\s+")


def _cut(value: str) -> str:
    """A field's value ends where a date or another field begins."""
    date = _DATE_START.search(value)
    value = value[: date.start()] if date else value
    field = re.search(_FIELD, value)
    return (value[: field.start()] if field and field.start() else value).strip()


def parse_byline(text: str) -> dict[str, str]:
    """Site, source, author and published date found in one byline."""
    found: dict[str, str] = {}
    site = _SITE.match(text)
    if site and not re.match(_FIELD, site.group(1)) and not _DATE_START.match(site.group(1)):
        found["site"] = site.group(1)
    source = _SOURCE.search(text)
    if source and (value := _cut(source.group(1))):
        found["source"] = value
    author = _AUTHOR.search(text)
    if author and (value := _cut(author.group(1))):
        found["author"] = value
    published = find_date(text)
    if published:
        found["published"] = published
    return found
