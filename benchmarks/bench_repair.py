"""Repair throughput beside OpenCC t2s (and zhconv) in the same run.

Corpora (about 20 MB each of page-sized documents, as a crawl holds them, built in
memory from ``../shared`` and the project's prose):

* clean: Simplified gold texts of ``bench/html-zh``, the common case;
* damaged: the same texts sent through OpenCC s2t, with pinyin glued after one in six
  Traditional-only characters, SEO symbols and NBSP indents (the seed page's damage);
* seed: ``samples/seed/raw.txt`` repeated, the densest damage seen in the wild.

Figures are MB of UTF-8 input per second on one core, best of ``--repeat`` runs; the
machine is noisy, so read the ratios. ``python benchmarks/bench_repair.py [--mb 20]``
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("RAYON_NUM_THREADS", "1")  # opencc-pyo3 on one core, like the rest
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from conftest import gold_pages, paragraphs, shared_dir  # noqa: E402

from zhclean import detect_script, repair  # noqa: E402
from zhclean.repair.damage import glue_pinyin  # noqa: E402


def clean_documents() -> list[str]:
    docs = [p["content"] for p in gold_pages() if detect_script(p["content"]).input == "hans"]
    return [*docs, "\n".join(paragraphs("simplified.txt"))]


def damage(simplified: str) -> str:
    """OpenCC s2t, then glue, symbols and indents, deterministically."""
    import opencc

    glued = glue_pinyin(opencc.OpenCC("s2t").convert(simplified), every=6)
    # an SEO star after every 397th character, where it sits between Han characters
    starred = "".join(c + "★" if i % 397 == 396 and "\u4e00" <= c <= "\u9fff" else c
                      for i, c in enumerate(glued))
    return "\n".join("\u00a0\u00a0" + line for line in starred.split("\n"))


def scale(docs: list[str], mb: float) -> list[str]:
    size = sum(len(d.encode()) for d in docs)
    return docs * max(1, round(mb * 1e6 / size))


def throughput(func: Callable[[str], object], docs: list[str], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for doc in docs:
            func(doc)
        best = min(best, time.perf_counter() - start)
    return sum(len(d.encode()) for d in docs) / best / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=float, default=20.0, help="corpus size in MB")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import opencc
    import opencc_pyo3
    import zhconv

    peers: dict[str, Callable[[str], object]] = {
        "OpenCC t2s (C++)": opencc.OpenCC("t2s").convert,
        "OpenCC t2s (opencc-pyo3)": opencc_pyo3.OpenCC("t2s").convert,
    }
    base = clean_documents()
    seed = (shared_dir() / "samples" / "seed" / "raw.txt").read_text(encoding="utf-8")
    corpora = {
        "clean": scale(base, args.mb),
        "damaged": scale([damage(d) for d in base], args.mb),
        "seed": scale([seed], args.mb),
    }
    repair("業(yè)")  # load the tables outside the timings
    print(f"{'corpus':8} {'MB':>5}  {'tool':28} {'MB/s':>7}  {'vs zhclean':>10}")
    for name, docs in corpora.items():
        mb = sum(len(d.encode()) for d in docs) / 1e6
        ours = throughput(repair, docs, args.repeat)
        print(f"{name:8} {mb:5.1f}  {'zhclean repair':28} {ours:7.1f}")
        for peer, convert in peers.items():
            theirs = throughput(convert, docs, args.repeat)
            print(f"{'':8} {'':5}  {peer:28} {theirs:7.1f}  {ours / theirs:9.2f}x")
        sample = docs[: max(1, len(docs) // 10)]  # zhconv is pure Python: a tenth will do
        theirs = throughput(lambda t: zhconv.convert(t, "zh-cn"), sample, 1)
        print(f"{'':8} {'':5}  {'zhconv zh-cn (1/10 sample)':28} {theirs:7.1f}  "
              f"{ours / theirs:9.2f}x")


if __name__ == "__main__":
    main()
