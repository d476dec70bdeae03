"""Main-content extraction on every development set beside the peers, in the same run.

For each set of ``../shared/bench`` (html-zh, news-zh-2, forum-zh) and ``dev/body_gold``,
and each input form (HTML; flattened to text by resiliparse and by a tag strip), prints
per tool the mean and lowest character-bigram F1 against people's gold text, the pages
below 0.5, and the median and p99 milliseconds per page. HTML extractors run on HTML
only; on flattened text the peer is "keep every line" (what a corpus without zhclean
holds). magic-html is not run: its only release needs Python >= 3.12 and this project
targets 3.11 (a separate 3.12 environment is the next step).

``python benchmarks/bench_extract.py`` (peers from ``pip install -e .[bench]``)
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import evaluation as ev

from zhclean import decode, page

Extract = Callable[[bytes | str], str]


def _text(data: bytes | str) -> str:
    return data if isinstance(data, str) else decode(data)


def html_peers() -> dict[str, Extract]:
    import lxml.html
    import trafilatura
    from readability import Document
    from resiliparse.extract.html2text import extract_plain_text

    def readability(data: bytes | str) -> str:
        summary = Document(_text(data)).summary(html_partial=True)
        return str(lxml.html.fromstring(summary).text_content())

    return {
        "trafilatura (default)": lambda d: trafilatura.extract(_text(d)) or "",
        "trafilatura (precision)": lambda d: trafilatura.extract(_text(d),
                                                                 favor_precision=True) or "",
        "readability-lxml": readability,
        "resiliparse (main content)": lambda d: str(extract_plain_text(_text(d),
                                                                       main_content=True)),
    }


def main() -> None:
    page(b"<p>warm up</p>")
    peers = html_peers()
    print(f"{'set':10} {'form':12} {'tool':27} {'mean F1':>8} {'lowest':>7} {'<0.5':>5}"
          f" {'median ms':>10} {'p99 ms':>7}")
    for name in (*ev.HTML_SETS, "body_gold"):
        for form in ev.FORMS if name != "body_gold" else ("text",):
            tools: dict[str, Extract] = {"zhclean page": lambda d: page(d).text}
            tools |= peers if form == "html" else {"every line kept": _text}
            for tool, extract in tools.items():
                scores = ev.evaluate(extract, name, "html" if form == "text" else form)
                below = sum(v < 0.5 for v in scores.f1.values())
                print(f"{name:10} {form:12} {tool:27} {scores.mean:8.3f} {scores.lowest:7.3f}"
                      f" {below:5d} {scores.median_ms:10.1f} {scores.ms_quantile(0.99):7.1f}")


if __name__ == "__main__":
    main()
