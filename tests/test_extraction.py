"""Evaluation gate for main-content extraction on ``bench/html-zh`` (28 pages with
people's gold text): mean and minimum character-bigram F1 of ``page(html).text``,
pinned in ``tests/baseline.json``. Peers are compared in ``benchmarks/bench_extract.py``.
"""

from __future__ import annotations

import baseline
import extraction

from zhclean import page


def test_f1_against_gold_is_no_worse_than_pinned() -> None:
    scores, median_ms = extraction.evaluate(lambda html: page(html).text)
    mean = sum(scores.values()) / len(scores)
    print(f"\nmean F1 {mean:.3f}, min {min(scores.values()):.3f}, median {median_ms:.1f} ms/page")
    baseline.check("extraction_f1_mean", round(mean, 3))
    baseline.check("extraction_f1_min", round(min(scores.values()), 3))
    baseline.check("extraction_pages_above_0.8", sum(s >= 0.8 for s in scores.values()))


def test_native_hong_kong_pages_keep_their_script() -> None:
    """The whole page is judged once: its 「」 and Hong Kong wording say native."""
    hong_kong = [html for page_id, html, _ in extraction.pages()
                 if page_id.startswith(("2681eeac", "b5b26f9f"))]
    assert len(hong_kong) == 2
    for html in hong_kong:
        assert page(html).script == {"input": "hant", "output": "hant"}
