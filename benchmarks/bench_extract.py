"""Main-content extraction on ``bench/html-zh`` beside the peers, in the same run.

Prints, per tool, the mean and minimum character-bigram F1 of the extracted text
against people's gold text, the pages below 0.8, and the median milliseconds per page.
magic-html is not run: its only release requires Python >= 3.12 and this project
targets 3.11 (``pip install magic-html`` finds no candidate here).

``python benchmarks/bench_extract.py`` (peers from ``pip install -e .[bench]``)
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import extraction

from zhclean import decode, page


def peers() -> dict[str, Callable[[bytes], str]]:
    import lxml.html
    import trafilatura
    from readability import Document

    def readability(html: bytes) -> str:
        summary = Document(decode(html)).summary(html_partial=True)
        return str(lxml.html.fromstring(summary).text_content())

    return {
        "trafilatura (default)": lambda h: trafilatura.extract(decode(h)) or "",
        "trafilatura (precision)": lambda h: trafilatura.extract(decode(h),
                                                                 favor_precision=True) or "",
        "readability-lxml": readability,
    }


def main() -> None:
    tools: dict[str, Callable[[bytes], str]] = {"zhclean page": lambda h: page(h).text}
    tools |= peers()
    page(b"<p>warm up</p>")
    print(f"{'tool':26} {'mean F1':>8} {'min F1':>7} {'<0.8':>5} {'median ms':>10}")
    for name, extract in tools.items():
        scores, median_ms = extraction.evaluate(extract)
        values = list(scores.values())
        print(f"{name:26} {sum(values) / len(values):8.3f} {min(values):7.3f} "
              f"{sum(v < 0.8 for v in values):5d} {median_ms:10.1f}")


if __name__ == "__main__":
    main()
