"""Main-content extraction scored against people's gold text (``bench/html-zh``).

Shared by the evaluation gate and ``benchmarks/bench_extract.py``.
"""

from __future__ import annotations

import re
import statistics
import time
from collections import Counter
from collections.abc import Callable

from conftest import gold_pages, shared_dir

_SPACE = re.compile(r"\s+")


def bigrams(text: str) -> Counter[str]:
    text = _SPACE.sub("", text)
    return Counter(text[i:i + 2] for i in range(len(text) - 1))


def f1(predicted: str, gold: str) -> float:
    """Character-bigram F1, whitespace ignored."""
    p, g = bigrams(predicted), bigrams(gold)
    overlap = sum((p & g).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(p.values()), overlap / sum(g.values())
    return 2 * precision * recall / (precision + recall)


def pages() -> list[tuple[str, bytes, str]]:
    """(id, html bytes, gold text) for the 28 pages."""
    root = shared_dir() / "bench" / "html-zh"
    return [(p["id"], (root / p["page"]).read_bytes(), p["content"]) for p in gold_pages()]


def evaluate(extract: Callable[[bytes], str]) -> tuple[dict[str, float], float]:
    """F1 per page and the median milliseconds per page."""
    scores, times = {}, []
    for page_id, html, gold in pages():
        start = time.perf_counter()
        text = extract(html)
        times.append((time.perf_counter() - start) * 1000)
        scores[page_id] = f1(text, gold)
    return scores, statistics.median(times)
