"""Block features: the evidence the block model weighs (``model.py``).

One row per block, the same for text lines and HTML elements (HTML simply has more of
it): how the text reads (length, sentence punctuation, Chinese function characters,
digits, Latin letters, separators, dates), where the block sits (position, depth,
distance to the rules' body), what the DOM says (tag, class and id words, link
density, the main-content container, how often its template repeats on the page), what
the rules said (label and reason: the lexicon is evidence here, never a veto), and the
same for its neighbours. Every feature is a plain number, so the model is a function
of this table alone.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from itertools import pairwise
from typing import Any

import numpy as np

from ..repair._chars import HAN
from . import Block
from .labels import LABELS

__all__ = ["FEATURES", "block_features"]

_WINDOW = 400  # enough of a block to read how it reads, and cheap on a 50 MB line
_HAN = re.compile(f"[{HAN}]")
_SENTENCE = re.compile(r"[。！？!?；;]")
_COMMA = re.compile(r"[，,、：:]")
_FUNCTION = re.compile(r"[的了是在和有也就都而及与着把被这那我你他她们吗呢吧啊]")
_FINAL = re.compile(r"[。！？!?…~～]\s*[”’」』）)]?$")
_LIST = re.compile(r"^\s*(?:[•·●○◆◇■□▪▶►\-–—*+]|\d{1,2}[.、)）]|【)")
_DIGIT = re.compile(r"\d")
_LATIN = re.compile(r"[A-Za-z]")
_SEPARATOR = re.compile(r"[|｜/·•]")
_DATE = re.compile(r"\d{4}[-/年.]\d{1,2}|\d{1,2}[-/月]\d{1,2}[日号]?|\d{1,2}:\d{2}"
                   r"|[0-9一二三四五六七八九十几]+\s*(?:秒|分钟|小时|天|周|个月|月|年)前|昨天|前天|刚刚")
_COUNT = re.compile(r"^\D{0,6}\d+\D{0,6}$")  # 赞 12, 回复(3), 粉丝 0
_TAGS = ("", "p", "div", "li", "td", "h1", "h2", "h3", "span", "a", "dd", "pre",
         "blockquote", "figcaption", "font", "em", "strong")
_OTHER_TAG = len(_TAGS)
_HEADINGS = frozenset({"h4", "h5", "h6"})
# Class and id words that tell parts of article, forum and Q&A templates apart.
_WORDS = ("post", "reply", "answer", "question", "content", "user", "author", "time",
          "date", "meta", "info", "avatar", "vote", "like", "title", "comment", "nav",
          "footer", "side", "list", "item", "article", "text", "message", "body", "thread",
          "floor", "profile", "card", "head", "rich", "detail", "summary", "desc", "name")
_WORD = re.compile(r"[a-z]+")
_REASONS = ("prose", "short", "heading", "outside the main content", "before the article",
            "after the article", "no prose on the page", "a post's user, votes or buttons",
            "plain text of a page without prose", "headline before the body")


# How the text reads (computed together by _own, in this order), and its neighbours'.
_OWN = ("log_len", "han", "sentences", "commas", "function", "final", "list", "digits",
        "latin", "separators", "date", "count")
_NEAR = ("rule_body", "prose", "log_len", "links", "same_template")


def _names() -> tuple[str, ...]:
    own = [*_OWN, "links", "repeated"]
    dom = [f"tag={t or 'none'}" for t in _TAGS] + ["tag=other", "tag=h4-6", "named=chrome",
                                                  "named=comment", "named=content", "inside",
                                                  "depth", "template_repeats",
                                                  "template_rule_body", "template_log_len"]
    dom += [f"word={w}" for w in _WORDS]
    rules = [f"label={label or 'none'}" for label in LABELS] + [f"reason={r}" for r in _REASONS]
    where = ["position", "before_body", "after_body", "to_body"]
    near = [f"{side}_{name}" for side in ("prev", "next") for name in _NEAR]
    near += ["window_rule_body"]
    page = ["page_html", "page_thread", "page_prose", "page_log_blocks", "page_body_share"]
    return tuple(own + dom + rules + where + near + page)


FEATURES = _names()
_COLUMN = {name: i for i, name in enumerate(FEATURES)}


Array = np.ndarray[Any, np.dtype[np.float64]]


def block_features(blocks: list[Block], *, html: bool, thread: bool = False,
                   prose_page: bool = True) -> Array:
    """The feature table of a page's labelled blocks: one row per block, one column per
    name of :data:`FEATURES`."""
    n = len(blocks)
    table = np.zeros((n, len(FEATURES)))
    if not n:
        return table
    texts = [b.text for b in blocks]
    repeats = Counter(t for t in texts if t)
    templates = Counter(b.path for b in blocks if b.path)
    body = [b.label in ("body", "caption") for b in blocks]
    template_body: dict[str, int] = defaultdict(int)
    template_len: dict[str, float] = defaultdict(float)
    for block, is_body in zip(blocks, body, strict=True):
        if block.path:
            template_body[block.path] += is_body
            template_len[block.path] += math.log1p(len(block.text))
    body_at = [i for i, is_body in enumerate(body) if is_body]
    first, last = (body_at[0], body_at[-1]) if body_at else (n, -1)
    total = sum(len(t) for t in texts) or 1
    body_share = sum(len(texts[i]) for i in body_at) / total
    label_column = {label: _COLUMN[f"label={label or 'none'}"] for label in LABELS}
    reason_column = {r: _COLUMN[f"reason={r}"] for r in _REASONS}
    tag_column = {t: i for i, t in enumerate(_TAGS)}
    tag_start = _COLUMN["tag=none"]
    word_column = {w: _COLUMN[f"word={w}"] for w in _WORDS}
    own = _own(texts)
    table[:, :own.shape[1]] = own
    for i, block in enumerate(blocks):
        row = table[i]
        row[_COLUMN["links"]] = block.link_density
        row[_COLUMN["repeated"]] = float(bool(block.text) and repeats[block.text] > 1)
        tag = block.tag
        if tag in _HEADINGS:
            row[_COLUMN["tag=h4-6"]] = 1.0
        else:
            row[tag_start + tag_column.get(tag, _OTHER_TAG)] = 1.0
        if block.named:
            row[_COLUMN[f"named={block.named}"]] = 1.0
        row[_COLUMN["inside"]] = float(block.inside)
        row[_COLUMN["depth"]] = block.depth / 40
        if block.path:
            count = templates[block.path]
            row[_COLUMN["template_repeats"]] = math.log1p(count - 1)
            row[_COLUMN["template_rule_body"]] = template_body[block.path] / count
            row[_COLUMN["template_log_len"]] = template_len[block.path] / count
        if block.attrs:  # parts of names count (postbody holds post): evidence, not a verdict
            for word in set(_WORD.findall(block.attrs)):
                for name in _WORDS:
                    if name in word:
                        row[word_column[name]] = 1.0
        if block.label in label_column:
            row[label_column[block.label]] = 1.0
        if block.reason in reason_column:
            row[reason_column[block.reason]] = 1.0
        row[_COLUMN["position"]] = i / max(1, n - 1)
        row[_COLUMN["before_body"]] = float(i < first)
        row[_COLUMN["after_body"]] = float(i > last)
        distance = 0 if first <= i <= last else (first - i if i < first else i - last)
        row[_COLUMN["to_body"]] = math.log1p(distance)
    _neighbours(table, blocks, body)
    table[:, _COLUMN["page_html"]] = float(html)
    table[:, _COLUMN["page_thread"]] = float(thread)
    table[:, _COLUMN["page_prose"]] = float(prose_page)
    table[:, _COLUMN["page_log_blocks"]] = math.log1p(n)
    table[:, _COLUMN["page_body_share"]] = body_share
    return table


def _own(texts: list[str]) -> Array:
    """How each text reads: the first columns of :data:`FEATURES`, in ``_OWN``'s order."""
    rows = np.zeros((len(texts), len(_OWN)))
    for i, full in enumerate(texts):
        if not full:
            continue
        text = full[:_WINDOW]
        size = len(text)
        han = len(_HAN.findall(text))
        per_han = max(1, han)
        rows[i] = (
            math.log1p(len(full)), han / size, len(_SENTENCE.findall(text)) / per_han,
            len(_COMMA.findall(text)) / per_han, len(_FUNCTION.findall(text)) / per_han,
            float(bool(_FINAL.search(text))), float(bool(_LIST.match(text))),
            len(_DIGIT.findall(text)) / size, len(_LATIN.findall(text)) / size,
            len(_SEPARATOR.findall(text)) / size, float(bool(_DATE.search(text))),
            float(size <= 20 and bool(_COUNT.match(text))),
        )
    return rows


_SPAN = 3  # the window of neighbours whose rule labels are counted


def _neighbours(table: Array, blocks: list[Block], body: list[bool]) -> None:
    """The nearest non-blank block on each side, and the rules' body share around."""
    present = np.array([i for i, b in enumerate(blocks) if b.text], dtype=np.intp)
    m = len(present)
    if not m:
        return
    kept = [blocks[i] for i in present]
    paths = [b.path for b in kept]
    values = np.array([(float(body[i]), float(b.reason == "prose"), math.log1p(len(b.text)),
                        b.link_density) for i, b in zip(present, kept, strict=True)])
    # same[k]: blocks k and k+1 share a template
    same = np.array([bool(a) and a == b for a, b in pairwise(paths)], dtype=np.float64)
    for side, mine, theirs in (("prev", present[1:], slice(0, m - 1)),
                               ("next", present[:-1], slice(1, m))):
        for n, name in enumerate(_NEAR[:-1]):
            table[mine, _COLUMN[f"{side}_{name}"]] = values[theirs, n]
        table[mine, _COLUMN[f"{side}_same_template"]] = same
    cumulative = np.concatenate([[0.0], np.cumsum(values[:, 0])])
    at = np.arange(m)
    low, high = np.maximum(0, at - _SPAN), np.minimum(m, at + _SPAN + 1)
    count = high - low - 1
    around = cumulative[high] - cumulative[low] - values[:, 0]
    share = np.where(count > 0, around / np.maximum(1, count), 0.0)
    table[present, _COLUMN["window_rule_body"]] = share
