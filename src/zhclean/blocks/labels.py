"""Labels: what each block of a page is (title, byline, body, chrome of every kind).

The labeler reads the same evidence in text and HTML: the wording of chrome
(``lexicon.py``), whether a block reads as prose (sentence punctuation, length), where
it sits relative to the body, and, for HTML, link density and the main-content
container. The body runs from the first prose block to the last one before the first
widget that closes an article (comments, related links, footer); what comes before it
holds the title, category, byline and lead; what follows, the tags and the trailing
chrome. A page whose container holds no prose (a table of contents) keeps its plain
blocks as the body.

>>> from zhclean.blocks.text import text_blocks
>>> page = "企业新闻\\n标题在这里\\n来源：某网 2021-10-18\\n正文第一段。\\n转载请注明出处。"
>>> blocks = text_blocks(page)
>>> [b.label for b in label_blocks(blocks)]
['category', 'title', 'byline', 'body', 'reprint']
"""

from __future__ import annotations

import re
from itertools import pairwise

from ..meta.byline import BYLINE
from ..meta.dates import find_date
from ..meta.tags import TAG_PREFIX
from ..repair._chars import HAN
from ..repair.script import simplified_view
from . import Block
from .lexicon import long_chrome_label, short_chrome_label

__all__ = ["LABELS", "label_blocks", "mark_repeats"]

LABELS = (
    "title", "category", "byline", "lead", "body", "caption", "reprint", "tags", "disclaimer",
    "nav", "comment", "related", "share", "footer", "references", "ad", "spam", "blank", "other",
)
# Widgets that close an article: once the body has begun, the first of them ends it.
_ENDING = frozenset({"comment", "related", "share", "footer", "disclaimer", "references"})
_HAN = re.compile(f"[{HAN}]")
_SENTENCE = re.compile(r"[。！？!?；;…]|[.](?:\s|$)")
_HEADLINE_END = re.compile(r"[？！?!]\s*$")  # a headline may ask or exclaim
_FINAL = re.compile(r"[。！？!?…]\s*[”’」』）)]?$")
_END = re.compile(r"[。！？!?；;…:：,，、]\s*[”’」』）)\]】]?$")
_ELLIPSIS = re.compile(r"(?:\.{3,}|…+|。{3,})$")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
_INNER_SENTENCE = re.compile(r"[。！？!?；;]")
_PROSE_WINDOW = 400
_VIEW_WINDOW = 4000
# A photo caption credits or describes a picture; it stays in the text (it is the
# article's own), labelled apart for those who want it out.
_CAPTION = re.compile(r"供图$|摄$|图片来源|^图[:：\d]|^资料图|^图为|(?:新华社|中新社)记者.{1,6}摄")
# A poem, a classical essay or a dictionary entry is headed by a few characters (静夜思,
# 背影): shorter than a headline, as short as a category line (行业动态).
_SHORT_TITLE = re.compile(f"^[{HAN}]{{2,4}}$")
# An encyclopedia's boxes of short fields, inside the entry's own container.
_INFOBOX = re.compile(r"(?<![a-z])(?:infobox|navbox|ambox)")
_WORDS_ONLY = re.compile(r"^[\u3400-\u9fffA-Za-z0-9 ,，、;；|/#·]+$")  # a tag line: words


def _is_prose(block: Block) -> bool:
    """Reads as running text: sentences, or a long line of words."""
    text = block.text[:_PROSE_WINDOW]  # enough to tell prose, and cheap on a 50 MB line
    han = len(_HAN.findall(text))
    if (han >= 8 and _SENTENCE.search(text)) or (han >= 4 and _FINAL.search(text)):
        return True
    if han >= 40:
        return True
    return len(_LATIN_WORD.findall(text)) >= 12 and bool(_SENTENCE.search(text))


def _post_text(block: Block) -> bool:
    """In a thread, a short line is a post (赞一个) when the names around it call it a
    post's content, or when it says a few words; not when they call it chrome (a post's
    header with its user and date, its buttons), nor a user name or a vote count under a
    comment item's name (用户3, 3赞)."""
    if block.named == "chrome" or not block.inside or block.tag == "h1":
        return False
    return len(_HAN.findall(block.text)) >= (2 if block.named == "content" else _FEW_WORDS)


_FEW_WORDS = 5  # Han characters: more than a user name or a counter's word


def _initial(block: Block) -> tuple[str, str]:
    if not block.text:
        return "blank", "empty"
    # the wording of chrome shows in its first lines: a 50 MB block needs no full view
    text = simplified_view(block.text[:_VIEW_WINDOW])
    kind = long_chrome_label(text)
    if kind:
        return kind, f"wording of {kind}"
    # before the short chrome: a byline often ends in a comment counter (我要评论(0))
    if len(text) <= 80 and not _FINAL.search(text) and BYLINE.search(text):
        return "byline", "names a byline field"
    kind = short_chrome_label(text)  # the long kinds were looked for above
    if kind:
        return kind, f"wording of {kind}"
    if len(text) <= 30 and find_date(text) and len(_HAN.findall(text)) <= 4:
        return "byline", "a date"
    if block.tag and _INFOBOX.search(block.attrs) and not _is_prose(block):
        return "other", "a field of an infobox or navigation box"
    if block.tag and block.link_density > 0.5 and len(text) < 200:
        return "nav", f"{block.link_density:.0%} of it is links"
    if not block.inside and block.tag != "h1":  # the headline often sits above the content
        return "other", "outside the main content"
    if block.tag in ("h1", "h2", "h3"):
        return "", "heading"
    if _is_prose(block):
        return "", "prose"
    return "", "short"


def label_blocks(blocks: list[Block], prose_page: bool = True, thread: bool = False
                 ) -> list[Block]:
    """Label every block in place (``label`` and ``reason``); returns the blocks.

    ``prose_page=False`` (an HTML page whose main container holds no prose, such as a
    table of contents) makes the container's plain blocks the body. ``thread=True`` (a
    comments page or a forum thread) keeps the posts and drops what stands between
    them: user names, vote counts, reply buttons.
    """
    for block in blocks:
        block.label, block.reason = _initial(block)
    if not prose_page:
        headline = next((b for b in blocks if b.tag == "h1" and b.label == ""), None)
        if headline is not None:
            headline.label, headline.reason = "title", "the page's headline"
        for block in blocks:
            if block.label == "":
                block.label, block.reason = "body", "plain text of a page without prose"
        return blocks
    prose = [i for i, b in enumerate(blocks) if b.label == "" and b.reason == "prose"]
    _mark_leads(blocks, prose)
    prose = [i for i in prose if blocks[i].label == ""]
    if prose and _is_headline(blocks, prose[0]):
        prose = prose[1:]  # 经济运行怎么样？ above its byline is the title, not the body
    if not prose:
        for block in blocks:
            if block.label == "":
                block.label, block.reason = "other", "no prose on the page"
        return blocks
    first, last = _body_span(blocks, prose)
    if thread:
        first, last = _posts_span(blocks, first, last)
    for block in blocks[first:last + 1]:
        if thread and block.label == "" and block.reason == "short" and not _post_text(block):
            block.label, block.reason = "other", "a post's user, votes or buttons"
        if block.label == "":
            caption = block.tag == "figcaption" or (
                len(block.text) <= 60 and _CAPTION.search(simplified_view(block.text)))
            block.label = "caption" if caption else "body"
            block.reason = "photo caption" if caption else block.reason
    _mark_header(blocks[:first])
    _mark_tail(blocks[last + 1:])
    return blocks


def _posts_span(blocks: list[Block], first: int, last: int) -> tuple[int, int]:
    """A thread's body runs past its prose: the question's short lines above the first
    sentence, and the short replies after the last one, up to a widget that ends it."""
    while first > 0 and (blocks[first - 1].label == "blank" or (
            blocks[first - 1].label == "" and _post_text(blocks[first - 1]))):
        first -= 1
    for index in range(last + 1, len(blocks)):
        block = blocks[index]
        if block.label in _ENDING:
            break
        if block.label == "" and _post_text(block):
            last = index
    return first, last


def _body_span(blocks: list[Block], prose: list[int]) -> tuple[int, int]:
    """The first and last prose block of the body: of the stretches between widgets that
    close an article (comments, related links, footers), the one holding the most prose.

    A page that lost its HTML keeps its chrome, and chrome holds prose too (a cookie
    notice, a site's self-description) above a footer or a list of related links; the
    first stretch with prose is then not the article, the largest one is. An HTML page
    has had its main container chosen by the same measure already, so there the first
    stretch is the article and what follows it its closing widgets (teasers under
    你可能还想看 may outweigh a short article), unless the article goes on past an
    inline list of links: a series page (村庄之一, 延伸阅读: …, 村庄之二) continues with
    paragraphs after its links, where teasers alternate headline and summary.
    """
    stretches: list[list[int]] = [[]]
    opened_by: list[str] = [""]  # the widget above each stretch
    at = 0
    for index in prose:
        while at < index:  # a closing widget between two prose blocks starts a stretch
            if blocks[at].label in _ENDING and stretches[-1]:
                stretches.append([])
                opened_by.append(blocks[at].label)
            at += 1
        stretches[-1].append(index)
    if any(b.tag for b in blocks):
        first = stretches[0]
        mass = sum(_prose_mass(blocks[i].text) for i in first)
        end = first[-1]
        for stretch, widget in zip(stretches[1:], opened_by[1:], strict=True):
            if widget not in _INLINE or _running_mass(blocks, stretch) < SERIES_SHARE * mass:
                break
            end = stretch[-1]
        return first[0], end
    best = max(stretches, key=lambda s: sum(_prose_mass(blocks[i].text) for i in s))
    return best[0], best[-1]


# Widgets that also stand inside an article; comments, footers and the rest end it.
_INLINE = frozenset({"related", "share"})
# A later stretch continues the article when a run of this many paragraphs in it holds
# this share of the first stretch's prose (design choices: several paragraphs, and
# comparable to what came before).
SERIES_SHARE = 0.5
SERIES_PARAGRAPHS = 3


def _running_mass(blocks: list[Block], stretch: list[int]) -> int:
    """The prose of a stretch's longest run of paragraphs that no chrome interrupts, when
    it holds a few paragraphs. Teasers alternate a linked headline and its summary, so
    each of their runs holds one summary; the next part of a series runs on."""
    best = mass = paragraphs = 0
    for block in blocks[stretch[0]:stretch[-1] + 1]:
        if block.label not in ("", "blank"):
            mass = paragraphs = 0
        elif block.reason == "prose":
            mass += _prose_mass(block.text)
            paragraphs += 1
            if paragraphs >= SERIES_PARAGRAPHS:
                best = max(best, mass)
    return best


_HEADLINE_LENGTH = 40  # a teaser's headline may exclaim (实至名归！官方：…) but not end a sentence
_LIST_ITEM = re.compile(r"^\s*(?:[•·●○◆◇■□▪▶►\-–—*+]|\d{1,2}[.、)）]|【)")


def _prose_mass(text: str) -> int:
    """How much running text a block holds: Han characters of lines that read as
    paragraphs. A list item (``• 某明星近况曝光``) is a teaser, and a line without a
    sentence inside it is a headline: both weigh nothing, however many there are.

    >>> _prose_mass("• 时隔30年王宝强重回少林寺，与师兄现场比武")
    0
    >>> _prose_mass("今天上午，市政府召开了发布会。")
    13
    """
    text = text[:_VIEW_WINDOW]
    if _LIST_ITEM.match(text) or not _INNER_SENTENCE.search(text) or (
            len(text) <= _HEADLINE_LENGTH and "。" not in text):
        return 0
    return len(_HAN.findall(text))


def _is_headline(blocks: list[Block], index: int) -> bool:
    """The first prose line is the headline when it reads as one: short, no full stop
    (a headline may exclaim or list: 助力疫情防控！青年志愿者在行动, 非遗、民俗、文博……),
    with no other headline above it, and directly above a byline or a date line, above
    a paragraph much longer than itself, or printed again just below (a flattened page
    keeps its <title> and its <h1>)."""
    text = blocks[index].text
    if len(text) > _HEADLINE_MOST or "。" in text or _CONTINUES.search(text):
        return False
    if any(b.label == "" and _headline_like(b) for b in blocks[:index]):
        return False  # 茶叶知识大全 above 如何挑选好茶？: the question opens the body
    following = [b for b in blocks[index + 1:index + 1 + 2 * _REPEAT_WITHIN]
                 if b.label != "blank"][:_REPEAT_WITHIN]
    if not following:
        return False
    if any(b.text == text for b in following):
        return True
    if len(text) > 40:
        return False
    after = following[0]
    return after.label == "byline" or (after.label == "" and _is_date_line(after)) or (
        after.label == "" and after.reason == "prose" and len(after.text) > 2 * len(text))


_HEADLINE_MOST = 80  # the longest headline (a repeated one); others are at most 40
_REPEAT_WITHIN = 3  # lines below the first in which a repeated headline is printed


_CONTINUES = re.compile(r"[，,：:；;、]\s*$")  # a line that runs on is no headline


def _mark_leads(blocks: list[Block], prose: list[int]) -> None:
    """A site excerpt: prose ending in an ellipsis whose stem starts the next paragraph."""
    for i, j in pairwise(prose):
        lead = blocks[i].text
        if not _ELLIPSIS.search(lead):
            continue
        stem = _ELLIPSIS.sub("", lead).rstrip()
        if len(stem) >= 10 and blocks[j].text.startswith(stem):
            blocks[i].label, blocks[i].reason = "lead", "excerpt of the next paragraph"


# A subtitle (——记某某小学开学典礼) or a picture's file name (788ef541.jpg) is no headline.
_NOT_HEADLINE = re.compile(r"^\s*[—–-]{1,2}|\.(?:jpe?g|png|gif|webp|bmp)\s*$", re.IGNORECASE)


def _headline_like(block: Block) -> bool:
    """Headline length, no sentence end (a question or exclamation may do); an <h1> may
    be as short as a wiki term (储能)."""
    text = block.text
    if _NOT_HEADLINE.search(text):
        return False
    if block.tag == "h1":
        return 2 <= len(text) <= 80
    return 5 <= len(text) <= 80 and (not _END.search(text) or bool(_HEADLINE_END.search(text)))


def _is_date_line(block: Block) -> bool:
    """A short line that carries a date (2022-07-15 15:40:12 城郊农技站): the
    byline's place, never a headline."""
    return len(block.text) <= 40 and find_date(block.text) is not None


def _above_byline(header: list[Block], block: Block) -> bool:
    after = next((b for b in header if b.index > block.index and b.label != "blank"), None)
    return after is not None and after.label == "byline"


def _mark_header(header: list[Block]) -> None:
    candidates = [b for b in header
                  if b.label == "" and _headline_like(b) and not _is_date_line(b)]
    title = next((b for b in candidates if b.tag == "h1"), None)
    if title is None:  # the line right above the byline (a site's name may be longer)
        title = next((b for b in candidates if _above_byline(header, b)), None)
    if title is None and candidates:
        title = max(candidates, key=lambda b: (len(b.text), b.index))
    if title is None:
        title = _lone_short_title(header)
    if title is not None:
        title.label, title.reason = "title", "headline before the body"
        before = [b for b in header if b.index < title.index and b.label != "blank"]
        if before and before[-1].label == "" and 2 <= len(before[-1].text) <= 10 \
                and not _END.search(before[-1].text):
            before[-1].label, before[-1].reason = "category", "short line above the title"
    for block in header:
        if block.label == "":
            block.label, block.reason = "other", "before the article"


def _lone_short_title(header: list[Block]) -> Block | None:
    """The page's only line above the body, when it is a few characters of Chinese.

    Headlines need five characters so that a category line (行业动态) is not taken for
    one; but a category sits above a headline or a byline, never alone above the body.
    A page that opens with one short line and then its text (静夜思 over the poem) is
    headed by its title. A second line above the body (an author, a byline) makes the
    reading ambiguous, and the rule stays out.
    """
    lines = [b for b in header if b.label != "blank"]
    if len(lines) == 1 and lines[0].label == "" and _SHORT_TITLE.match(lines[0].text):
        return lines[0]
    return None


def _mark_tail(tail: list[Block]) -> None:
    """The first line after the body (past blanks and the reprint notice) may be tags."""
    block = next((b for b in tail if b.label not in ("blank", "reprint")), None)
    if block is not None:
        text = block.text
        looks_like_tags = TAG_PREFIX.match(simplified_view(text)) or (
            block.label == "" and len(text) <= 40 and len(_HAN.findall(text)) >= 2
            and not _SENTENCE.search(text) and _WORDS_ONLY.match(text))
        if looks_like_tags:
            block.label, block.reason = "tags", "keyword line after the body"
    for block in tail:
        if block.label == "":
            block.label, block.reason = "other", "after the article"


REPEAT_MINIMUM = 30  # a shorter line may recur in an article (a refrain, a heading)
SECOND_COPY = 1 / 3  # the share of the body that repeats when the page prints it twice


def mark_repeats(blocks: list[Block]) -> list[Block]:
    """When a third or more of the body repeats earlier paragraphs word for word, the
    page holds a second copy of its article (a print or mobile version of the same
    template): the repeats are labelled ``other``. A few repeated paragraphs are the
    writer's (a pitch said twice, a forum post quoting another) and stay, and so do
    short lines (a refrain).

    >>> from zhclean.blocks.text import text_blocks
    >>> one, two = "第一段正文足够长，" * 4, "第二段正文足够长，" * 4
    >>> blocks = text_blocks(f"{one}\\n{two}\\n其他。\\n{one}\\n{two}")
    >>> for b in blocks:
    ...     b.label = "body"
    >>> [b.label for b in mark_repeats(blocks)]
    ['body', 'body', 'body', 'other', 'other']
    """
    body = [b for b in blocks if b.label == "body" and b.text]
    seen: set[str] = set()
    repeated = []
    for block in body:
        repeated.append(len(block.text) >= REPEAT_MINIMUM and block.text in seen)
        seen.add(block.text)
    copied = sum(len(b.text) for b, again in zip(body, repeated, strict=True) if again)
    if copied < SECOND_COPY * sum(len(b.text) for b in body):
        return blocks
    for block, again in zip(body, repeated, strict=True):
        if again:
            block.label, block.reason = "other", "a second copy of the article's text"
    return blocks
