"""Evaluation gate for script restoration and detection.

Simplified text (the Simplified gold pages of ``bench/html-zh`` and the project's own
prose) goes through each converter seen on content farms and back through
``zhclean repair --script hans``. zhclean must make no more character errors than the
best peer (OpenCC t2s in either binding, zhconv zh-cn) for each converter, fewer in
total, and no more than the pinned figure. Detection (``--script auto``) is pinned too,
and native Traditional text must never be taken as converted.
"""

from __future__ import annotations

from functools import cache

import baseline
import pytest
import roundtrip
from conftest import gold_pages, paragraphs

from zhclean import detect_script, repair

PEERS = ("opencc-t2s", "opencc-pyo3-t2s", "zhconv-zh-cn")


@cache
def errors() -> dict[str, dict[str, int]]:
    table = roundtrip.error_table()
    print("\ncharacter errors after restoration (rows: restorer; columns: converter)")
    for name, row in table.items():
        print(f"  {name:16} total {sum(row.values()):5}  {row}")
    return table


@pytest.mark.parametrize("converter", sorted(roundtrip.converters()))
def test_no_worse_than_the_best_peer(converter: str) -> None:
    table = errors()
    best_peer = min(table[peer][converter] for peer in PEERS)
    assert table["zhclean"][converter] <= best_peer


def test_total_errors_beat_every_peer_and_the_pin() -> None:
    table = errors()
    total = sum(table["zhclean"].values())
    for peer in PEERS:
        assert total < sum(table[peer].values()), peer
    baseline.check("restoration_errors_total", total)


def test_detection_rates() -> None:
    rates = roundtrip.detection_table()
    print("\nshare of converted documents detected by --script auto:", rates)
    baseline.check("detection_rate_min", round(min(rates.values()), 3))
    baseline.check("detection_rate_mean", round(sum(rates.values()) / len(rates), 3))


def test_detection_by_converter_and_length() -> None:
    """Recall for each converter at 300, 1,000 and 3,000 characters, and precision against
    the native Traditional pages of ``dev/`` (each at its own length). The issue's aim is
    far above these pins (95% at 1,000 characters, 80% at 300, no native page converted):
    zhconv zh-tw writes what Taiwan writes, and the pins say where the rules stand."""
    table = roundtrip.detection_by_length()
    natives = roundtrip.dev_natives_converted()
    farms, farm_pages = roundtrip.dev_farms_detected()
    digest = roundtrip.dev_digest()
    print("\nrecall of --script auto by converter and length (detected/documents):")
    for name, row in table.items():
        print(f"  {name:18}", "  ".join(f"{n}: {a}/{b}" for n, (a, b) in row.items()))
    for length in roundtrip.LENGTHS:
        found = sum(row[length][0] for row in table.values())
        print(f"  precision at {length}: {found / max(1, found + len(natives)):.3f}"
              f" ({found} converted detected, {len(natives)} native pages converted)")
    print(f"  native pages converted: {natives}; content-farm pages detected:"
          f" {farms}/{farm_pages}")
    for length in (300, 1000):
        recall = min(a / b for row in table.values() for a, b in [row[length]])
        baseline.check(f"detection_recall_{length}_min", round(recall, 3), digest)
    baseline.check("dev_natives_converted", len(natives), digest)
    baseline.check("dev_farms_detected", round(farms / farm_pages, 3), digest)


def native_documents() -> list[str]:
    """Native Traditional: Hong Kong gold pages and the project's own Taiwan/HK prose."""
    pages = [p["content"] for p in gold_pages() if "hk." in p["url"]]
    assert len(pages) == 2
    return [*pages, *paragraphs("taiwan_news.txt"), *paragraphs("hongkong_news.txt")]


@pytest.mark.parametrize("text", native_documents())
def test_native_traditional_is_left_alone(text: str) -> None:
    assert detect_script(text).input == "hant"
    result = repair(text)
    assert result.text == repair(text, script="keep").text
    assert not [c for c in result.changes if c.step.startswith("script")]
