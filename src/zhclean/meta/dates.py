"""Dates: the many ways Chinese pages print when an article was published.

``2021-10-18``, ``2021/10/18``, ``2021.10.18``, ``2021年10月18日 10:05``,
``二〇二一年十月十八日``, ``发布时间：2021-10-18 10:05:33`` all become ISO 8601, and so does
the slashed ``17/9/2004`` and ``9/17/2004 5:54:13 AM`` of European and American
templates: day first unless that cannot be (``06/02/2022`` is the 6th of February, as
French and British outlets print it and as the development sets' gold reads it).

>>> find_date("激光制造网 来源:逸飞激光2021-10-18 我要评论(0 )")
'2021-10-18'
>>> find_date("发布时间：2021年10月18日 10:05"), find_date("二〇二一年十月十八日")
('2021-10-18T10:05:00', '2021-10-18')
>>> find_date("发布日期： 9/17/2004 5:54:13 PM"), find_date("06/02/2022 - 13:48")
('2004-09-17T17:54:13', '2022-02-06')
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

__all__ = ["date_in_url", "find_date", "parse_date", "relative_date"]

_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "Ｏ": 0}
_NUMERIC = re.compile(
    r"(?<!\d)((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)\s*日?"
    r"(?:\s*(?:T|\s)?\s*(\d{1,2})\s*[:：时]\s*(\d{2})(?:\s*[:：分]\s*(\d{2}))?)?"
)
# Day and month in either order, then the year.
_SLASHED = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/((?:19|20)\d{2})(?![\d/])"
                      r"(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([AaPp])[Mm])?)?")
_CHINESE = re.compile(r"([〇零○Ｏ一二三四五六七八九]{4})年([十一二三四五六七八九]{1,3})月"
                      r"([十一二三四五六七八九]{1,3})日")


def _chinese_number(text: str) -> int:
    """十八 → 18, 二十 → 20, 三十一 → 31, 十 → 10, 九 → 9."""
    if "十" not in text:
        return _DIGITS[text]
    tens, _, units = text.partition("十")
    return (_DIGITS[tens] if tens else 1) * 10 + (_DIGITS[units] if units else 0)


def _iso(y: int, m: int, d: int, hh: int | None = None, mm: int | None = None,
         ss: int | None = None) -> str | None:
    try:
        day = date(y, m, d)
    except ValueError:
        return None
    if hh is None or mm is None:
        return day.isoformat()
    if hh > 23 or mm > 59 or (ss or 0) > 59:
        return day.isoformat()
    return f"{day.isoformat()}T{hh:02d}:{mm:02d}:{ss or 0:02d}"


def find_date(text: str) -> str | None:
    """The first valid date (and time, when printed) in ``text``, as ISO 8601."""
    for match in _NUMERIC.finditer(text):
        y, m, d, hh, mm, ss = match.groups()
        found = _iso(int(y), int(m), int(d), int(hh) if hh else None, int(mm) if mm else None,
                     int(ss) if ss else None)
        if found:
            return found
    for match in _SLASHED.finditer(text):
        first, second, y, hh, mm, ss, half = match.groups()
        day, month = (int(first), int(second)) if int(second) <= 12 else (
            int(second), int(first))
        hour = int(hh) if hh else None
        if hour is not None and half:  # 12 AM is midnight, 12 PM noon
            hour = hour % 12 + (12 if half in "Pp" else 0)
        found = _iso(int(y), month, day, hour, int(mm) if mm else None, int(ss) if ss else None)
        if found:
            return found
    for match in _CHINESE.finditer(text):
        year = int("".join(str(_DIGITS[c]) for c in match.group(1)))
        found = _iso(year, _chinese_number(match.group(2)), _chinese_number(match.group(3)))
        if found:
            return found
    return None


def parse_date(value: str) -> str | None:
    """A date from an HTML meta tag or attribute (``2021-10-18T10:05:00+08:00``)."""
    return find_date(value)  # time zones are dropped: the time is as the page printed it


# A date in a url's path, as news sites file their pages: /2021/10/18/, /2021-10-18/,
# /20211018/, t20211018_123.html, content_2019-10/07/. Year, month and day in that
# order, each at its digits' edges (an id such as 1202110181 holds no date).
_URL_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})[/_-]?(0[1-9]|1[0-2])[/_-]?"
                       r"(0[1-9]|[12]\d|3[01])(?!\d)")


def date_in_url(url: str | None) -> str | None:
    """The date a url's path files the page under, as ISO 8601.

    >>> date_in_url("https://news.example.com/2021/10/18/story.html")
    '2021-10-18'
    >>> date_in_url("http://example.gov.cn/xw/t20211018_4521.html")
    '2021-10-18'
    >>> date_in_url("http://example.com/content_2019-10/07/content_40912633.htm")
    '2019-10-07'
    >>> date_in_url("http://example.com/a/202409/5892933.html") is None  # a month only
    True
    >>> date_in_url("http://example.com/p?id=20211018") is None  # not the path
    True
    """
    if not url:
        return None
    match = _URL_DATE.search(urlsplit(url).path)
    if match is None:
        return None
    y, m, d = (int(g) for g in match.groups())
    return _iso(y, m, d)


# A time said relative to when the page was seen: 3天前, 5小时前, 两周前, 昨天 20:15, 刚刚.
# A day's name counts only with a time after it, 刚刚 only at the line's end (a headline
# says 今天的天气, 刚刚，某某宣布); months and years ago are too coarse to date a page.
_RELATIVE = re.compile(r"(\d{1,3}|[一二两三四五六七八九十]{1,3})\s*"
                       r"(秒|分钟|分鐘|小时|小時|天|日|周|週|星期)前"
                       r"|(前天|昨天|今天)(?=\s*\d{1,2}[:：]\d{2})"
                       r"|(刚刚|剛剛)(?=\s*(?:发布|發布|更新)?\s*$)")
_UNIT_HOURS = {"秒": 0.0, "分钟": 0.0, "分鐘": 0.0, "小时": 1.0, "小時": 1.0, "天": 24.0,
               "日": 24.0, "周": 168.0, "週": 168.0, "星期": 168.0}
_DAYS_BACK = {"前天": 2, "昨天": 1, "今天": 0, "刚刚": 0, "剛剛": 0}


def relative_date(text: str, fetched: str | None) -> str | None:
    """The date a relative time (``3天前``) names, counted back from when the page was
    fetched (``fetched``, ISO 8601, as a WARC-Date); a date only, as the count is.

    >>> relative_date("张三 3天前 来自手机", "2024-05-20T08:00:00Z")
    '2024-05-17'
    >>> relative_date("发布于 5小时前", "2024-05-20T03:00:00Z")
    '2024-05-19'
    >>> relative_date("昨天 20:15", "2024-05-20")
    '2024-05-19'
    >>> relative_date("两周前", "2024-05-20"), relative_date("3个月前", "2024-05-20")
    ('2024-05-06', None)
    >>> relative_date("3天前", None) is None, relative_date("目前天气晴好", "2024-05-20") is None
    (True, True)
    """
    if not fetched:
        return None
    base = find_date(fetched)
    match = _RELATIVE.search(text) if base else None
    if match is None or base is None:
        return None
    moment = datetime.fromisoformat(base if "T" in base else base + "T00:00:00")
    count, unit, day, now = match.groups()
    word = day or now
    if word:
        back = timedelta(days=_DAYS_BACK[word])
    else:
        number = int(count) if count.isdigit() else _chinese_number(count.replace("两", "二"))
        back = timedelta(hours=number * _UNIT_HOURS[unit])
    return (moment - back).date().isoformat()

