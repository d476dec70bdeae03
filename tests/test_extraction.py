"""Main-content extraction on ``bench/html-zh`` (28 pages with people's gold text): the
first pins of the gate (every set and form is in ``tests/test_evaluation.py``), Hong Kong
pages' script, and pages the project wrote. Peers: ``benchmarks/bench_extract.py``.
"""

from __future__ import annotations

import baseline
import evaluation

from zhclean import page


def test_f1_against_gold_is_no_worse_than_pinned() -> None:
    result = evaluation.evaluate(lambda html: page(html).text, "html-zh")
    scores, mean = result.f1, result.mean
    print(f"\nmean F1 {mean:.3f}, min {result.lowest:.3f}, median {result.median_ms:.1f} ms/page")
    baseline.check("extraction_f1_mean", round(mean, 3))
    baseline.check("extraction_f1_min", round(min(scores.values()), 3))
    baseline.check("extraction_pages_above_0.8", sum(s >= 0.8 for s in scores.values()))


def test_native_hong_kong_pages_keep_their_script() -> None:
    """The whole page is judged once: its 「」 and Hong Kong wording say native."""
    hong_kong = [p.data for p in evaluation.html_pages("html-zh")
                 if p.id.startswith(("2681eeac", "b5b26f9f"))]
    assert len(hong_kong) == 2
    for html in hong_kong:
        assert page(html).script == {"input": "hant", "output": "hant"}


def test_held_out_pages_written_by_the_project() -> None:
    """Six templates the extractor was not tuned on (tests/data/html)."""
    import json
    from pathlib import Path

    folder = Path(__file__).parent / "data" / "html"
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))["gold"]
    scores = {}
    for name, text in gold.items():
        record = page((folder / f"{name}.html").read_bytes())
        scores[name] = evaluation.f1(record.text, text)
    print("\nheld-out F1:", {k: round(v, 3) for k, v in scores.items()})
    baseline.check("heldout_f1_min", round(min(scores.values()), 3))
    taiwan = page((folder / "taiwan-news.html").read_bytes())
    assert (taiwan.title, taiwan.author, taiwan.published, taiwan.tags) == (
        "臺北捷運環狀線北段明年動工", "王小明", "2024-03-12T09:30:00", ["捷運", "交通", "臺北"])
    assert taiwan.script == {"input": "hant", "output": "hant"}
    assert page((folder / "wiki-like.html").read_bytes()).title == "储能"
