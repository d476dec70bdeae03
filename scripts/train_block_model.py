"""Train the block model (``src/zhclean/_data/block_model.npz``) and report it by
cross-validation grouped by site.

Every text page of the development sets of ``../shared`` (``bench/html-zh``,
``bench/news-zh-2`` and ``bench/forum-zh`` flattened to text two ways, and
``dev/body_gold``) and of the project's text page cases is cut into blocks and labelled
by the rules (the model decides on text pages only; HTML keeps the rules); each block's
target is whether its text is the gold's (most of its character bigrams are). The
folds group pages by site, across all sets and forms, so a held-out fold's sites (and
their templates) are never seen in fitting. The figures printed are each page's bigram
F1 of the text ``page()`` would return with the fold's model, beside the rules alone.

``python scripts/train_block_model.py``           cross-validate, then fit on all and save
``python scripts/train_block_model.py --cv-only`` cross-validate only
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import block_training as bt  # noqa: E402

from zhclean.blocks import model  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cv-only", action="store_true")
    parser.add_argument("--folds", type=int, default=bt.FOLDS)
    args = parser.parse_args()
    start = time.process_time()
    pages = bt.collect()
    print(f"{len(pages)} pages, {sum(len(p.blocks) for p in pages)} blocks"
          f" ({time.process_time() - start:.0f} CPU-s)")
    report = bt.cross_validate(pages, args.folds)
    print(bt.format_report(report))
    print(f"cross-validated in {time.process_time() - start:.0f} CPU-s")
    if args.cv_only:
        return
    fitted = bt.fit(pages)
    bt.save(fitted, model.WEIGHTS)
    print(f"saved {model.WEIGHTS} ({model.WEIGHTS.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    np.seterr(over="ignore")
    main()
