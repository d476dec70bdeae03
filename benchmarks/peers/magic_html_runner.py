"""Runs magic-html (which needs Python >= 3.12) in its own environment for
``benchmarks/bench_extract.py``: reads JSON lines ``{"id", "html"}`` from a file, writes
JSON lines ``{"id", "text", "ms"}`` to standard output. Not part of the package.

``PYTHON312 benchmarks/peers/magic_html_runner.py PAGES.jsonl``
"""

from __future__ import annotations

import json
import sys
import time

import lxml.html
from magic_html import GeneralExtractor


def main() -> None:
    extractor = GeneralExtractor()
    with open(sys.argv[1], encoding="utf-8") as pages:
        for line in pages:
            row = json.loads(line)
            start = time.perf_counter()
            try:
                html = extractor.extract(row["html"], base_url="http://example.com/")["html"]
                text = lxml.html.fromstring(html).text_content() if html.strip() else ""
            except Exception:  # a peer's failure on one page is an empty result
                text = ""
            ms = (time.perf_counter() - start) * 1000
            print(json.dumps({"id": row["id"], "text": text, "ms": ms}, ensure_ascii=False))


if __name__ == "__main__":
    main()
