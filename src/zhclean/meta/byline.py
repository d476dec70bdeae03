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

__all__ = ["BYLINE", "credited_author", "name_under_title", "parse_byline", "person_name",
           "plausible_person"]

# Generic words (时间, 日期) are not fields: 报名时间：… is body text.
_FIELD = (r"(?:来源|来自|出处|稿源|作者|记者|编辑|责任编辑|责编|发布时间|发表时间|更新时间"
          r"|发布日期)")
# A byline names one of its fields, or is a date with little else around it.
BYLINE = re.compile(rf"{_FIELD}\s*[:：]|浏览(?:次数|量)?[:：]|阅读(?:量|数)[:：]|点击[:：]"
                    r"|\d{1,2}:\d{2}(?::\d{2})?\s*发布|发布于|发表于|(?:^|\s)(?:本报)?记者\s|^文\s*/"
                    r"|^记者[\u3400-\u9fff]{2,4}[／/]")  # Taiwan style: 記者王小明／臺北報導
_SOURCE = re.compile(r"(?:来源|来自|出处|稿源)\s*[:：]\s*([^\s|｜,，;；:：]+)")
# Several names separated by single spaces are one byline (记者 张三 李四); a name is
# a few Han characters, or a Latin name.
_NAME = r"[\u3400-\u9fff·]{2,5}|[A-Za-z][\w.\-]{1,20}"
# The writer before the editor: 记者 陈立 …【编辑:孙雪】 names 陈立.
# Also a blog's or a forum's poster: lihua2005 发表于 2005-9-15.
_WRITER = re.compile(rf"(?:作者|记者|撰文|文)\s*[:：/\s]\s*"
                     rf"((?:{_NAME})(?: (?:{_NAME}))*)|^记者([\u3400-\u9fff]{{2,4}})[／/]"
                     rf"|^({_NAME})\s*(?:发表于|发布于)")
_EDITOR = re.compile(rf"(?:责任编辑|责编|编辑)\s*[:：/\s]\s*((?:{_NAME})(?: (?:{_NAME}))*)()")
# A value that is markup left in the text (作者： size="20"), not a name.
_RESIDUE = re.compile(r"[=<>\"]|&\w+;")
# Another label after the value ends it (作者： 芊草凡凡 时间： 2005-08…).
_NEXT_LABEL = re.compile(r"\s+[\u3400-\u9fff]{1,4}\s*[:：]")
_DATE_START = re.compile(r"(?:19|20)\d{2}\s*[-/.年]")
_SITE = re.compile(r"^([^\s:：|｜]{2,15}?)\s+")


def _cut(value: str) -> int:
    """Where a field's value ends: where a date, another field or another label begins.

    >>> [_cut(v) for v in ("芊草凡凡 时间：2005", "赵婕 出自 [人民文学出版社]", "某社2021-10-18")]
    [4, 2, 2]
    """
    date = _DATE_START.search(value)
    end = date.start() if date else len(value)
    label = _NEXT_LABEL.search(value[:end])
    end = label.start() if label else end
    field = re.search(_FIELD + r"|\s出自", value[:end])
    return field.start() if field and field.start() else end


def parse_byline(text: str) -> dict[str, str]:
    """Site, source, author and published date found in one byline (either script)."""
    view = simplified_view(text)  # the patterns are Simplified; values come from ``text``
    found: dict[str, str] = {}
    site = _SITE.match(view)
    if site and not re.search(_FIELD, site.group(1)) and not _DATE_START.match(site.group(1)):
        found["site"] = text[site.start(1):site.end(1)]
    for key, pattern in (("source", _SOURCE), ("author", _WRITER), ("editor", _EDITOR)):
        match = pattern.search(view)
        if match:
            # the first group that took part: _WRITER has three forms
            group = next(i for i in range(1, len(match.groups()) + 1) if match.group(i))
            start, limit = match.start(group), match.end(group)
            # the value ends where a date or the next label begins, even one the name
            # pattern took for a name (作者： 芊草凡凡 时间：…)
            end = min(limit, start + _cut(view[start:limit + 16]))
            value = text[start:end].strip()
            if value and not _RESIDUE.search(text[start:end + 2]):  # not size="20"
                found[key] = value
    if "author" in found and found.get("site") == found["author"]:
        del found["site"]  # lihua2005 发表于 …: the poster, not the site
    published = find_date(view)
    if published:
        found["published"] = published
    return found


# A reporter credited inside the body, as Chinese news prints it: at the start
# (本报讯（记者 张三）…), at the end (…（总台记者 王蕾）, （高远 上海报道）, （许文）), or on a
# short last line (某报记者 陈立 某县报道).
_NAMES = r"[\u3400-\u9fff·]{2,4}(?:\s+[\u3400-\u9fff·]{2,4}){0,3}"
_CREDIT = (rf"[（(]\s*(?:[\u3400-\u9fff]{{0,6}}?记者\s*)?({_NAMES})"
           rf"(?:\s*[\u3400-\u9fff]{{2,6}}报道)?\s*[）)]")
_CREDIT_START = re.compile(rf"^(?:[^（(]{{0,12}}讯\s*)?{_CREDIT}")
_CREDIT_END = re.compile(rf"{_CREDIT}\s*$")
_REPORTER_LINE = re.compile(rf"记者\s*({_NAMES})(?:\s+[\u3400-\u9fff]{{2,8}}报道)?\s*$")
# Words that stand in parentheses at a paragraph's end and are no names.
_NOT_NAMES = frozenset({"待续", "未完", "未完待续", "组图", "资料", "摘编", "综合", "编译", "全文",
                        "原文", "节选", "图文", "转载", "下同", "同上", "完", "续"})


# A signature on a line of its own after the text: 文：林远, 作者/张三.
_SIGNED = re.compile(rf"^(?:文|作者|撰文|撰稿)\s*[:：/]\s*({_NAMES})\s*$")
_CREDIT_LINE = re.compile(rf"^{_CREDIT}\s*$")
_SHORT_LINE = 40


def credited_author(paragraphs: list[str], after: list[str] | tuple[str, ...] = ()
                    ) -> str | None:
    """The reporter a body credits in its first or last lines, or on a short line just
    after it (``after``: the lines that follow the body), when no byline names one.

    >>> credited_author(["本报讯（记者 张三）今天上午召开会议。", "会议决定……"])
    '张三'
    >>> credited_author(["正文。", "会议还部署了下一阶段的工作。（总台记者 王蕾）"])
    '王蕾'
    >>> credited_author(["正文第一段。"], after=["（许文）", "某大学新闻中心"])
    '许文'
    >>> credited_author(["正文第一段。"], after=["文：林远", "我的博客"])
    '林远'
    >>> credited_author(["正文第一段。", "文：林远"])  # the signature kept in the body
    '林远'
    >>> credited_author(["正文第一段。", "故事未完。（待续）"]) is None
    True
    """
    if not paragraphs:
        return None
    candidates = [_CREDIT_START.match(simplified_view(paragraphs[0][:60])),
                  _CREDIT_END.search(simplified_view(paragraphs[-1][-60:]))]
    for line in paragraphs[:2] + paragraphs[-2:]:  # a short line of the body's own
        if len(line) <= _SHORT_LINE:
            view = simplified_view(line.strip())
            candidates += [_REPORTER_LINE.search(view), _SIGNED.match(view)]
    for line in after:
        if len(line) <= _SHORT_LINE:
            view = simplified_view(line.strip())
            candidates += [_CREDIT_LINE.match(view), _SIGNED.match(view),
                           _REPORTER_LINE.search(view)]
    for match in candidates:
        if match and match.group(1) not in _NOT_NAMES:
            return match.group(1)
    return None


# Short lines under a headline that are no names: 摘要, 导读, 原创...
_NOT_A_NAME_LINE = frozenset({"摘要", "导读", "正文", "简介", "前言", "原创", "转载", "推荐",
                              "置顶", "精华", "热门", "目录", "全文", "提要", "导语", "按语",
                              "编者按"})
_NAME_LINE = re.compile(r"^[\u3400-\u9fff·]{2,4}(?:[\s、，,]+[\u3400-\u9fff·]{2,4}){0,3}$")


def name_under_title(lines: list[str]) -> str | None:
    """The author printed alone under the headline, as essays, papers and columns do:
    the only line between the title and the text, a name or a few (``赵延东、风笑天``).

    >>> [name_under_title(lines) for lines in (["赵延东、风笑天"], ["导读"], ["胡平", "某"])]
    ['赵延东、风笑天', None, None]
    """
    if len(lines) != 1:
        return None
    line = simplified_view(lines[0].strip())
    if not _NAME_LINE.match(line) or line in _NOT_A_NAME_LINE or _ORGANISATION.search(line):
        return None
    return lines[0].strip()


_PERSON = re.compile(r"^[\u3400-\u9fff·]{2,6}(?:[\s、,，;；]+[\u3400-\u9fff·]{2,6}){0,3}$"
                     r"|^[A-Za-z][A-Za-z.'\-]*(?: [A-Za-z][A-Za-z.'\-]*){0,3}$")
_ORGANISATION = re.compile(r"team|inc\b|ltd|网络|网站|出版|公司|编辑部|工作室|集团|中心|期刊|报社",
                           re.IGNORECASE)


# The commonest surnames (about four in five Chinese people bear one of them): a source
# field names a person (来源: 周婷) only when it reads as a surname and a given name, so
# that 新华网, 人民日报 and 本站 stay sources.
_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛"
    "郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰"
    "焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁"
    "蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂"
    "全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝")
_NOT_GIVEN = frozenset("网报社台站刊部局厅会院委所处办馆团署")


def person_name(value: str | None) -> bool:
    """A Chinese personal name: a common surname and one or two more characters, none
    of them the last character of an organisation's name.

    >>> [person_name(v) for v in ("周婷", "欧阳修", "新华网", "黄河报", "本站", "王")]
    [True, True, False, False, False, False]
    """
    if not value:
        return False
    name = simplified_view(value.strip())
    return (2 <= len(name) <= 3 and name[0] in _SURNAMES and bool(_HAN_ONLY.match(name))
            and name[-1] not in _NOT_GIVEN) or (len(name) == 3 and name[:2] in _COMPOUND)


_HAN_ONLY = re.compile(r"^[\u3400-\u9fff]+$")
_COMPOUND = frozenset({"欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容",
                       "令狐"})


def plausible_person(name: str | None) -> bool:
    """A page's ``<meta name=author>`` names a person, not the software or publisher that
    filled it in.

    >>> [plausible_person(n) for n in ("张三", "宋怡 杨志华", "Discuz! Team and Comsenz UI Team",
    ...                                "中文学术期刊,汉斯出版社", "大汉网络")]
    [True, True, False, False, False]
    """
    if not name:
        return False
    return bool(_PERSON.match(name.strip())) and not _ORGANISATION.search(name)
