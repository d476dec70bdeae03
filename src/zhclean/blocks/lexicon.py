"""Chinese page chrome, recognised by its wording.

Each pattern names a kind of chrome that survives extraction, with an example:
``转载请注明出处。`` (reprint), ``免责声明`` (disclaimer), ``网友点评`` (comment widget),
``精彩导读`` (related articles), ``扫一扫`` (share/follow), ``ICP备`` (footer). The
patterns are Simplified; callers match them against a Simplified view of Traditional
text. Most apply only to short blocks: body prose may mention a comment or a source in
passing, a widget does not say more than a few words.
"""

from __future__ import annotations

import re

__all__ = ["CHROME", "LONG_CHROME", "SPAM_TERMS", "chrome_label", "is_spam_injection",
           "long_chrome_label", "short_chrome_label"]

# The vocabulary of spam that farms inject: gambling and porn search terms.
SPAM_TERMS = re.compile(
    r"博彩|赌场|娱乐城|百家乐|六合彩|时时彩|澳门(?:赌|新葡京|威尼斯人)|真人(?:娱乐|荷官)"
    r"|成人视频|裸聊|约炮|av女优|一夜情|久久|国产|精品|无码|一区二区|在线(?:视频|观看|看)"
    r"|免费(?:av|视频|观看)|\bav\b|天天(?:操|干|射|看|曰)|伊人|少妇|人妻|中文字幕|激情|成人"
    r"|比分网|彩票|下注|[一二三]码", re.IGNORECASE)
_STUFFING_SPLIT = re.compile(r"[,，、_|｜/\s]+")

# Chrome that may come as a long paragraph of its own (a disclaimer, reprint notice).
LONG_CHROME: dict[str, re.Pattern[str]] = {
    "disclaimer": re.compile(
        r"免责声明|版权声明|凡本网|本网(?:注明|未注明)|如有侵权|侵权请联系|涉嫌侵权"
        r"|不代表本(?:网|站|平台|报)(?:的)?(?:观点|立场)|仅代表作者(?:本人)?(?:观点|立场)"
        r"|版权归(?:原作者|原著作权人|本网|本站)"
        # a platform's notice under a self-media post
        r"|^特别声明[:：].{0,20}(?:自媒体|平台|用户上传|作者上传)"
        # an encyclopedia's maintenance banner: 此条目没有列出任何参考或来源
        r"|^(?:此|本|该|这个)条目(?:没有|需要|可能|缺少|内容|已|的|不|或|中)"
        r"|^请(?:协助|帮助)(?:补充|改善|改进)"
    ),
    "reprint": re.compile(
        r"^(?:转载请注明|本文(?:转自|转载自|系转载|来源于网络)|如需转载)"
        r"|未经(?:本网|本站|作者)?(?:书面)?(?:授权|许可)[^。]{0,8}转载"
    ),
}

# Chrome that is recognised only in a short block (at most SHORT characters).
SHORT = 40
CHROME: dict[str, re.Pattern[str]] = {
    "comment": re.compile(
        r"网友(?:点评|评论)|相关评论|发表评论|我要评论|评论区|热门评论|最新评论|文明上网"
        r"|^\d*\s*条?评论$|已有\d+人(?:参与|评论)|^(?:评论|回复|举报)$"
    ),
    "related": re.compile(
        r"相关(?:阅读|文章|新闻|推荐|链接|报道|专题)|推荐阅读|热门(?:文章|推荐|新闻|阅读)"
        r"|精彩(?:导读|推荐|图片)|延伸阅读|猜你喜欢|上一篇|下一篇|更多(?:新闻|精彩|内容)"
        r"|点击排行|排行榜|热点推荐|^阅读排行|你可能(?:还想看|也喜欢|感兴趣)|为你推荐"
        r"|其他人(?:也)?在看|大家都在看|看了又看|相关推荐|(?:读者|编辑)推荐"
    ),
    "ad": re.compile(r"^广告$|这个广告|^推广$|赞助内容|^(?:Sponsored|AD)$"),
    "share": re.compile(
        r"分享到|扫一扫|扫码|二维码|关注(?:我们|微信|公众号)|微信公众号|^收藏$|^点赞|打印本页"
        r"|关闭窗口|字号[:：]?\s*[大中小]|^分享$|返回顶部"
    ),
    "footer": re.compile(
        r"ICP[备证]|公网安备|版权所有|Copyright|©|联系我们|关于我们|网站地图|广告服务"
        r"|举报电话|违法和不良信息|不良信息举报|增值电信业务"
    ),
    "references": re.compile(
        r"^(?:参考(?:文献|资料)|脚注|外部链接|相关条目|参见)$|^\^\s"
    ),
    "nav": re.compile(
        r"^(?:首页|主页|当前位置|您的位置|你的位置|位置)\s*[:：>»]?|(?:^|\s)[|｜>»]\s|\s[|｜]$"
        r"|^(?:阅读|订阅|登录|注册|返回首页|返回列表)(?:\s|$)"
        # a profile's counters (关注 128 粉丝 3.2万 获赞 10万): links to its lists, and
        # no widget that closes an article (a post's author card sits above its text)
        r"|^(?:(?:关注|粉丝|获赞|点赞|收藏|阅读|浏览|访问|积分|等级|经验|文章|被关注)\s*[:：]?\s*"
        r"(?:LV)?[\d.,]+\s*[万千kKwW+]?\s*){1,6}$"
    ),
}


def is_spam_injection(text: str) -> bool:
    """Search terms stuffed into a line (``精品久久一区,九九人人,天天看天天操,97伊人``): a
    run of short phrases, two or more of them spam terms, and no sentence. An article
    about gambling or a lottery writes sentences, and stays an article: whether a page
    is spam is the quality filter's call (``rejected: spam``), not the labeller's.

    >>> is_spam_injection("精品久久一区,九九人人,天天看天天操,97伊人,在线视频一区二区")
    True
    >>> is_spam_injection("澳门赌场的收入去年下降了三成，博彩业正在转型。")
    False
    """
    if "。" in text or len(SPAM_TERMS.findall(text)) < 2:
        return False
    phrases = [p for p in _STUFFING_SPLIT.split(text) if p]
    return (len(phrases) >= 3 and sum(map(len, phrases)) / len(phrases) <= 16) or len(
        SPAM_TERMS.findall(text)) >= 4


def long_chrome_label(text: str) -> str:
    """Chrome that is recognised at any length (spam, disclaimer, reprint), or ``""``."""
    if is_spam_injection(text):
        return "spam"
    for label, pattern in LONG_CHROME.items():
        if pattern.search(text):
            return label
    return ""


_SENTENCE_END = re.compile(r"[。！？!?]\s*[”’」』）)]?$")


def chrome_label(text: str) -> str:
    """The chrome kind a block's wording shows, or ``""``.

    A short block that ends as a sentence is prose, whatever it mentions (网友在评论区纷纷
    点赞。): widgets do not end in a full stop.

    >>> chrome_label("转载请注明出处。"), chrome_label("网友点评"), chrome_label("正文。")
    ('reprint', 'comment', '')
    >>> chrome_label("网友在评论区纷纷点赞。")
    ''
    """
    return long_chrome_label(text) or short_chrome_label(text)


def short_chrome_label(text: str) -> str:
    """:func:`chrome_label` without the kinds recognised at any length (for a caller
    that has looked for those already)."""
    if len(text) <= SHORT and not _SENTENCE_END.search(text):
        for label, pattern in CHROME.items():
            if pattern.search(text):
                return label
    if text.count(" · ") >= 3 or text.count("|") >= 4:  # a navigation box or link row
        return "nav"
    if text.startswith("^ "):  # a numbered reference, however long
        return "references"
    return ""
