"""MinHash signatures per second on one core, beside datasketch and rensa in the same run
(128 permutations, character 5-grams, 3,600-character documents cut from the Simplified
gold text of ``../shared/bench/html-zh``).

``python benchmarks/bench_dedup.py`` (peers from ``pip install -e .[bench]``)
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

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


def main() -> None:
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
