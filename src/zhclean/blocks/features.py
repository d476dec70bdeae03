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
from bisect import bisect_right
from collections import Counter, defaultdict
from functools import cache, lru_cache
from itertools import pairwise
from typing import Any

import numpy as np

from ..repair._chars import HAN_RANGES
from . import Block
from .labels import LABELS

__all__ = ["FEATURES", "block_features"]

_WINDOW = 400  # enough of a block to read how it reads, and cheap on a 50 MB line
# Character classes counted in each block: code-point ranges, one bit each (see _own).
_CLASSES = (
    HAN_RANGES,
    tuple((ord(c), ord(c)) for c in "。！？!?；;"),  # sentence marks
    tuple((ord(c), ord(c)) for c in "，,、：:"),  # commas
    tuple((ord(c), ord(c)) for c in "的了是在和有也就都而及与着把被这那我你他她们吗呢吧啊"),
    ((0x30, 0x39), (0xFF10, 0xFF19)),  # digits, ASCII and full-width
    ((0x41, 0x5A), (0x61, 0x7A)),  # Latin letters
    tuple((ord(c), ord(c)) for c in "|｜/·•"),  # separators
)
# Whole-line patterns, run once over the page's lines joined by newlines: none crosses
# a line (horizontal white space only), so a match belongs to the line it starts in.
_FINAL = re.compile(r"[。！？!?…~～][^\S\n]*[”’」』）)]?$", re.MULTILINE)
_LIST = re.compile(r"^[^\S\n]*(?:[•·●○◆◇■□▪▶►\-–—*+]|\d{1,2}[.、)）]|【)", re.MULTILINE)
_DATE = re.compile(r"\d{4}[-/年.]\d{1,2}|\d{1,2}[-/月]\d{1,2}[日号]?|\d{1,2}:\d{2}"
                   r"|[0-9一二三四五六七八九十几]+[^\S\n]*(?:秒|分钟|小时|天|周|个月|月|年)前"
                   r"|昨天|前天|刚刚")
_COUNT = re.compile(r"^[^\d\n]{0,6}\d+[^\d\n]{0,6}$", re.MULTILINE)  # 赞 12, 回复(3)
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
_TAG_COLUMN = {t: _COLUMN[f"tag={t or 'none'}"] for t in _TAGS} | {
    h: _COLUMN["tag=h4-6"] for h in _HEADINGS}
_OTHER_TAG_COLUMN = _COLUMN["tag=other"]
_TEMPLATE = [_COLUMN[c] for c in ("template_repeats", "template_rule_body", "template_log_len")]
_LABEL_COLUMN = {label: _COLUMN[f"label={label or 'none'}"] for label in LABELS}
_REASON_COLUMN = {r: _COLUMN[f"reason={r}"] for r in _REASONS}


@lru_cache(maxsize=4096)  # a template repeats its class and id words on every block
def _attr_columns(attrs: str) -> list[int]:
    """The columns of the words in a block's class and id names: parts of names count
    (postbody holds post), as evidence, not a verdict."""
    words = set(_WORD.findall(attrs))
    return [_COLUMN[f"word={name}"] for name in _WORDS if any(name in w for w in words)]


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
    own = _own(texts)
    table[:, :own.shape[1]] = own
    rows = np.arange(n)
    table[:, _COLUMN["links"]] = [b.link_density for b in blocks]
    table[:, _COLUMN["repeated"]] = [bool(t) and repeats[t] > 1 for t in texts]
    table[rows, [_TAG_COLUMN.get(b.tag, _OTHER_TAG_COLUMN) for b in blocks]] = 1.0
    named = [i for i, b in enumerate(blocks) if b.named]
    table[named, [_COLUMN[f"named={blocks[i].named}"] for i in named]] = 1.0
    table[:, _COLUMN["inside"]] = [b.inside for b in blocks]
    table[:, _COLUMN["depth"]] = [b.depth / 40 for b in blocks]
    for i, block in enumerate(blocks):
        if block.path:
            count = templates[block.path]
            table[i, _TEMPLATE] = (math.log1p(count - 1), template_body[block.path] / count,
                                   template_len[block.path] / count)
        if block.attrs:
            table[i, _attr_columns(block.attrs)] = 1.0
    labelled = [i for i, b in enumerate(blocks) if b.label in _LABEL_COLUMN]
    table[labelled, [_LABEL_COLUMN[blocks[i].label] for i in labelled]] = 1.0
    reasoned = [i for i, b in enumerate(blocks) if b.reason in _REASON_COLUMN]
    table[reasoned, [_REASON_COLUMN[blocks[i].reason] for i in reasoned]] = 1.0
    table[:, _COLUMN["position"]] = rows / max(1, n - 1)
    table[:, _COLUMN["before_body"]] = rows < first
    table[:, _COLUMN["after_body"]] = rows > last
    distance = np.where(rows < first, first - rows, np.where(rows > last, rows - last, 0))
    table[:, _COLUMN["to_body"]] = np.log1p(distance)
    _neighbours(table, blocks, body)
    table[:, _COLUMN["page_html"]] = float(html)
    table[:, _COLUMN["page_thread"]] = float(thread)
    table[:, _COLUMN["page_prose"]] = float(prose_page)
    table[:, _COLUMN["page_log_blocks"]] = math.log1p(n)
    table[:, _COLUMN["page_body_share"]] = body_share
    return settled(table)


def settled(table: Array) -> Array:
    """``table`` rounded to float32 precision, in place. The math functions differ in
    their last bits from one CPU to another (numpy picks its SIMD kernels by CPU): a
    feature must read the same on every machine, or a model trained on one is not the
    model trained on another."""
    table[:] = table.astype(np.float32)
    return table


def _own(texts: list[str]) -> Array:
    """How each text reads: the first columns of :data:`FEATURES`, in ``_OWN``'s order.

    Computed for the whole page at once (per-block regular expressions cost more than
    the rest of structuring): the lines' first ``_WINDOW`` characters are joined, their
    code points classed by one table look-up, and counted per line by cumulative sums."""
    n = len(texts)
    rows = np.zeros((n, len(_OWN)))
    if not n:
        return rows
    windows = [t[:_WINDOW] for t in texts]
    joined = "\n".join(windows)
    sizes = np.array([len(w) for w in windows])
    starts = np.concatenate([[0], np.cumsum(sizes + 1)[:-1]])
    points = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    flags = _class_table()[points]
    counts = np.empty((len(_CLASSES), n))
    for bit in range(len(_CLASSES)):
        total = np.concatenate([[0], np.cumsum((flags >> bit) & 1)])
        counts[bit] = total[starts + sizes] - total[starts]
    han, sentences, commas, function, digits, latin, separators = counts
    size = np.maximum(1, sizes)
    per_han = np.maximum(1, han)
    full = np.array([len(t) for t in texts])
    rows[:, 0] = np.log1p(full)
    rows[:, 1] = han / size
    rows[:, 2] = sentences / per_han
    rows[:, 3] = commas / per_han
    rows[:, 4] = function / per_han
    line_starts = starts.tolist()
    for column, pattern in ((5, _FINAL), (6, _LIST), (10, _DATE)):
        lines = {bisect_right(line_starts, m.start()) - 1 for m in pattern.finditer(joined)}
        rows[list(lines), column] = 1.0
    rows[:, 7] = digits / size
    rows[:, 8] = latin / size
    rows[:, 9] = separators / size
    counted = {bisect_right(line_starts, m.start()) - 1 for m in _COUNT.finditer(joined)}
    rows[[i for i in counted if sizes[i] <= 20], 11] = 1.0
    rows[sizes == 0] = 0.0  # a blank line reads as nothing
    return rows


@cache
def _class_table() -> np.ndarray[Any, np.dtype[np.uint8]]:
    """Each code point's classes, one bit per entry of ``_CLASSES`` (1.1 MB, built once)."""
    table = np.zeros(0x110000, dtype=np.uint8)
    for bit, ranges in enumerate(_CLASSES):
        for low, high in ranges:
            table[low:high + 1] |= 1 << bit
    return table


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
