"""One evaluation over every development set of ``../shared``, shared by the gate
(``tests/test_evaluation.py``) and ``benchmarks/bench_extract.py``.

Sets: ``bench/html-zh`` (28 pages), ``bench/news-zh-2`` (39, with gold author and
date), ``bench/forum-zh`` (22), each scored as HTML and also *flattened to text* the way
crawled corpora hold it (resiliparse ``extract_plain_text(main_content=False)``, and a
plain tag strip that keeps line breaks), always against the same gold; and
``dev/body_gold.jsonl`` (real text pages with their body lines and title). The score
is character-bigram F1, whitespace ignored. Nothing here is fitted: when something
is, its figures come from cross-validation grouped by site (:func:`folds_by_site`).
"""

from __future__ import annotations

import hashlib
import html as html_lib
import json
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from conftest import shared_dir

from zhclean import decode, repair

_SPACE = re.compile(r"\s+")
HTML_SETS = ("html-zh", "news-zh-2", "forum-zh")
FORMS = ("html", "resiliparse", "tagstrip")


def bigrams(text: str) -> Counter[str]:
    text = _SPACE.sub("", text)
    return Counter(text[i:i + 2] for i in range(len(text) - 1))


def f1(predicted: str, gold: str) -> float:
    """Character-bigram F1, whitespace ignored.

    >>> f1("今天天气很好", "今天天气很好"), f1("", "今天")
    (1.0, 0.0)
    """
    p, g = bigrams(predicted), bigrams(gold)
    overlap = sum((p & g).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(p.values()), overlap / sum(g.values())
    return 2 * precision * recall / (precision + recall)


@dataclass(frozen=True)
class Page:
    """One page of a set, with its gold: ``content`` always; ``title``, ``author`` and
    ``date`` where the set has them (``None``: the gold does not say; ``""``: the page
    shows none)."""

    set: str
    id: str
    site: str  # for folds grouped by site: the url's host, else the set and the id
    data: bytes | str
    content: str
    title: str | None = None
    author: str | None = None
    date: str | None = None


def _known(value: object) -> str | None:
    """Gold metadata: UNKNOWN (and its misspelling) means the page shows none."""
    if not isinstance(value, str):
        return None
    return "" if value.strip().upper() in ("UNKNOWN", "UNKNWON") else value.strip()


def _host(url: str | None, fallback: str) -> str:
    host = urlsplit(url or "").hostname or ""
    return host.removeprefix("www.") or fallback


@cache
def html_pages(name: str) -> tuple[Page, ...]:
    root = shared_dir() / "bench" / name
    pages = []
    for line in (root / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        data = (root / row["page"]).read_bytes()
        pages.append(Page(name, row["id"], _host(row.get("url"), f"{name}:{row['id']}"),
                          data, row["content"], author=_known(row.get("author")),
                          date=_known(row.get("date"))))
    return tuple(pages)


def flatten(data: bytes | str, form: str) -> str:
    """The page as crawled corpora hold it once its HTML is gone (chrome kept)."""
    text = data if isinstance(data, str) else decode(data)
    if form == "resiliparse":
        from resiliparse.extract.html2text import extract_plain_text

        return str(extract_plain_text(text, main_content=False))
    if form == "tagstrip":
        return tag_strip(text)
    raise ValueError(form)


_DROP = re.compile(r"<(script|style|noscript|template)\b.*?</\1\s*>|<!--.*?-->",
                   re.IGNORECASE | re.DOTALL)
_BREAK = re.compile(r"<br\b[^>]*>|</(?:p|div|li|h[1-6]|tr|table|section|article|dd|dt)\s*>",
                    re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
_BLANKS = re.compile(r"[ \t\r\f\v]*\n[\s]*\n")


def tag_strip(html: str) -> str:
    """A plain tag strip that keeps line breaks: scripts and styles out, block ends and
    ``<br>`` as line breaks, every other tag removed, entities decoded.

    >>> tag_strip("<p>一段<b>文字</b></p><script>x()</script><div>二&amp;三</div>")
    '一段文字\\n二&三'
    """
    text = _BREAK.sub("\n", _DROP.sub("", html))
    text = html_lib.unescape(_TAG.sub("", text))
    return _BLANKS.sub("\n", text).strip()


@cache
def body_gold_pages() -> tuple[Page, ...]:
    """The dev set's text pages with line-level gold. The gold lines are taken from the
    *repaired* text (repair keeps every line), so the score is about structure, not
    about the repairs the gold copies did not make."""
    dev = shared_dir() / "dev"
    records = {}
    for name in ("damaged.jsonl", "clean.jsonl"):
        for line in (dev / name).read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            records[row["id"]] = row
    pages = []
    for line in (dev / "body_gold.jsonl").read_text(encoding="utf-8").splitlines():
        gold = json.loads(line)
        record = records[gold["id"]]
        raw_lines = record["text"].split("\n")
        lines = repair(record["text"]).text.split("\n")
        title = None
        if gold["title"]:
            at = next((i for i, x in enumerate(raw_lines) if gold["title"] in x), None)
            title = lines[at] if at is not None else gold["title"]
        pages.append(Page("body_gold", gold["id"], _host(record.get("url"), gold["id"]),
                          record["text"], "\n".join(lines[i] for i in gold["body_lines"]),
                          title=title))
    return tuple(pages)


def pages_of(name: str, form: str = "html") -> Iterator[tuple[Page, bytes | str]]:
    """The pages of a set with their input in one form."""
    if name == "body_gold":
        for page in body_gold_pages():
            yield page, page.data
        return
    for page in html_pages(name):
        yield page, page.data if form == "html" else flatten(page.data, form)


def digest(name: str) -> str:
    """A digest of a set's gold and pages, pinned beside each figure measured on it."""
    sha = hashlib.sha256()
    for page in (body_gold_pages() if name == "body_gold" else html_pages(name)):
        data = page.data if isinstance(page.data, bytes) else page.data.encode("utf-8")
        sha.update(page.id.encode() + b"\0" + page.content.encode("utf-8") + b"\0" + data)
    return sha.hexdigest()[:16]


@dataclass(frozen=True)
class Scores:
    """F1 per page id, and the milliseconds each page took."""

    f1: dict[str, float]
    ms: list[float]

    @property
    def mean(self) -> float:
        return sum(self.f1.values()) / len(self.f1)

    @property
    def lowest(self) -> float:
        return min(self.f1.values())

    def ms_quantile(self, q: float) -> float:
        ordered = sorted(self.ms)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    @property
    def median_ms(self) -> float:
        return statistics.median(self.ms)


def evaluate(extract: Callable[[bytes | str], str], name: str, form: str = "html") -> Scores:
    """Score ``extract`` (input → main text) on one set in one form."""
    scores, times = {}, []
    for page, data in pages_of(name, form):
        start = time.perf_counter()
        text = extract(data)
        times.append((time.perf_counter() - start) * 1000)
        scores[page.id] = f1(text, page.content)
    return Scores(scores, times)


class _Sited(Protocol):
    site: str


def folds_by_site(pages: Sequence[_Sited], k: int = 5) -> list[list[int]]:
    """Page positions in ``k`` folds, all of a site's pages in one fold (for anything
    fitted: the held-out fold's sites are never seen when fitting). A site's fold is
    fixed by its name alone, so adding pages of new sites leaves every other page in
    its fold."""
    folds: list[list[int]] = [[] for _ in range(k)]
    for i, page in enumerate(pages):
        folds[int.from_bytes(hashlib.sha256(page.site.encode()).digest()[:4], "big") % k].append(i)
    return folds


_NAME_SPLIT = re.compile(r"[\s、,，;；/]+")


def author_right(predicted: str | None, gold: str) -> bool:
    """The author found is the gold's (every name, in any order); a page that shows none
    is right when none is found.

    >>> author_right("宋怡、杨志华", "宋怡 杨志华"), author_right(None, ""), author_right("某", "")
    (True, True, False)
    """
    if not gold:
        return not predicted
    names = {n for n in _NAME_SPLIT.split(predicted or "") if n}
    return names == {n for n in _NAME_SPLIT.split(gold) if n}


_DATE = re.compile(r"(\d{4})(?:\D(\d{1,2}))?(?:\D(\d{1,2}))?")


def date_right(predicted: str | None, gold: str) -> bool:
    """The date found is the gold's, to the gold's precision (a year, a month or a day);
    a page that shows none is right when none is found.

    >>> date_right("2005-05-07T21:23:57", "2005-5-7 21:23:57"), date_right("2018-03-01", "2018")
    (True, True)
    """
    if not gold:
        return not predicted
    want, got = _DATE.search(gold), _DATE.search(predicted or "")
    if not want or not got:
        return False
    return all(w is None or (g is not None and int(w) == int(g))
               for w, g in zip(want.groups(), got.groups(), strict=True))


def shared_path(*parts: str) -> Path:
    return shared_dir().joinpath(*parts)
