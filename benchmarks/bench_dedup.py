"""Dedup costs, on one core.

* MinHash signatures per second beside datasketch and rensa in the same run (128
  permutations, character 5-grams, 3,600-character documents cut from the Simplified gold
  text of ``../shared/bench/html-zh``);
* ``--scale 100000,200000,400000``: the whole clustering (normalisation, signatures,
  n-gram sets, candidates, verification, verdicts) on synthetic corpora of that many
  records, each size in a fresh process: seconds, CPU seconds and peak memory, to show
  how the cost grows. Half the records are copies of the other half: exact, cut to 70%,
  an excerpt from the middle, or with an editor's note.

``python benchmarks/bench_dedup.py [--scale N,N,...]`` (peers from ``pip install -e .[bench]``)
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from conftest import gold_pages

from zhclean import detect_script
from zhclean.dedup.minhash import MinHasher

SIZE, PERM, NGRAM = 3600, 128, 5


def documents(count: int = 300) -> list[str]:
    pages = [p["content"] for p in gold_pages()]
    text = "".join(t for t in pages if detect_script(t).input == "hans")
    return [(text * 3)[i * 997 % len(text):][:SIZE] for i in range(count)]


def grams(text: str) -> list[str]:
    return [text[i:i + NGRAM] for i in range(len(text) - NGRAM + 1)]


def peers() -> dict[str, Callable[[str], object]]:
    import datasketch
    import rensa

    def with_datasketch(text: str) -> object:
        m = datasketch.MinHash(num_perm=PERM)
        m.update_batch([g.encode() for g in grams(text)])
        return m.digest()

    def with_rensa(text: str) -> object:
        m = rensa.RMinHash(num_perm=PERM, seed=1)
        m.update(grams(text))
        return m.digest()

    return {"datasketch": with_datasketch, "rensa (RMinHash)": with_rensa}


LENGTH = 400  # characters of a synthetic article
NOTE = "编者按：本文转自合作媒体，观点仅代表作者本人。"


def synthetic(count: int) -> Iterator[dict[str, Any]]:
    """``count`` records: article ``j`` (random common Han characters in sentences of
    about twenty, seeded by ``j``) and then a copy of it, by turns exact, cut to 70%, an
    excerpt from the middle, or with an editor's note."""
    common = _common_simplified()
    for i in range(count):
        rng = np.random.default_rng(i // 2)
        codes = rng.choice(common, LENGTH)
        codes[19::20] = ord("。")
        text = codes.tobytes().decode("utf-32-le")
        if i % 2:
            kind = (i // 2) % 4
            text = (text, text[:int(0.7 * LENGTH)], text[LENGTH // 5:4 * LENGTH // 5],
                    NOTE + text)[kind]
        yield {"id": str(i), "text": text}


def _common_simplified() -> np.ndarray[Any, np.dtype[np.uint32]]:
    from zhclean._data import rows
    from zhclean.repair.script import traditional_only_chars

    traditional = traditional_only_chars()
    chars = [c for c, _ in rows("char_ranks.tsv") if c not in traditional][:3000]
    return np.array([ord(c) for c in chars], dtype=np.uint32)


def scale_one(count: int) -> dict[str, Any]:
    from zhclean.dedup.clusters import cluster

    start, cpu = time.perf_counter(), time.process_time()
    verdicts = cluster(synthetic(count))
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    duplicates = sum(not v.is_canonical for v in verdicts.values())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"records": count, "seconds": round(seconds, 1), "cpu_s": round(cpu_seconds, 1),
            "peak_mb": round(peak), "duplicates": duplicates}


def scale(counts: list[int]) -> None:
    print(f"{'records':>8} {'s':>7} {'CPU-s':>7} {'µs/rec':>7} {'peak MB':>8} {'dups found':>10}")
    for count in counts:
        done = subprocess.run([sys.executable, __file__, "--one", str(count)],
                              capture_output=True, text=True, check=True)
        row = json.loads(done.stdout)
        print(f"{row['records']:8} {row['seconds']:7} {row['cpu_s']:7}"
              f" {1e6 * row['cpu_s'] / count:7.0f} {row['peak_mb']:8}"
              f" {row['duplicates']:>6}/{count // 2}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", help="record counts, comma-separated")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # one size, in a child
    args = parser.parse_args()
    if args.one:
        print(json.dumps(scale_one(args.one)))
        return
    if args.scale:
        scale([int(n) for n in args.scale.split(",")])
        return
    docs = documents()
    hasher = MinHasher(PERM, NGRAM)
    tools = {"zhclean MinHasher": hasher.signature, **peers()}
    print(f"{'tool':22} {'docs/s':>8}  vs zhclean")
    ours = 0.0
    for name, sign in tools.items():
        sign(docs[0])
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            for doc in docs:
                sign(doc)
            best = min(best, time.perf_counter() - start)
        rate = len(docs) / best
        ours = ours or rate
        print(f"{name:22} {rate:8.0f}  {ours / rate:8.2f}x")


if __name__ == "__main__":
    main()
