"""``zhclean run`` over a folder of many small pages (a crawl saved one file a page):
wall and CPU seconds, shards, and how many files the output holds.

The pages are the project's own test articles (``tests/corpus.py``), about 900 bytes
each. Shards are cut across inputs, so the output holds a few files per 500 pages, not
four per page.

``python benchmarks/bench_small_files.py [--files 20000] [--workers 2]``
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from corpus import article  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="zhclean-small-") as tmp:
        pages = Path(tmp) / "pages"
        pages.mkdir()
        size = 0
        for n in range(args.files):
            data = article(n).encode("utf-8")
            (pages / f"{n:06d}.txt").write_bytes(data)
            size += len(data)
        out = Path(tmp) / "out"
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "zhclean", "run", str(pages), "-o", str(out),
                        "--workers", str(args.workers), "--quiet"], check=True,
                       stderr=subprocess.DEVNULL)
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        files = sum(1 for p in out.rglob("*") if p.is_file())
        print(f"{args.files:,} files, {size / 1e6:.1f} MB, {args.workers} workers:"
              f" {wall:.1f} s wall, {cpu:.1f} CPU-s ({cpu / (size / 1e6):.2f} CPU-s per MB),"
              f" {manifest['shards']} shards, {files:,} output files,"
              f" peak {after.ru_maxrss / 1024:.0f} MB (largest process)")


if __name__ == "__main__":
    main()
