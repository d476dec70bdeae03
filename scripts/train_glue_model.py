"""Train the glue model (``src/zhclean/_data/glue_model.json``) and report it by
cross-validation grouped by site.

The examples are the pages of ``../shared/dev`` that hold reading annotations (content
farms' glue, readers' notes, poems and primers, place-name guides) and the project's
own glue cases; see ``tests/glue_training.py``. Each page is scored by a model fitted
without its site's pages; the figures are glue left on the glue pages and annotations
removed from the pages whose annotations are legitimate.

``python scripts/train_glue_model.py``           cross-validate, then fit on all and save
``python scripts/train_glue_model.py --cv-only`` cross-validate only
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import glue_training as gt  # noqa: E402

WEIGHTS = ROOT / "src" / "zhclean" / "_data" / "glue_model.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cv-only", action="store_true")
    args = parser.parse_args()
    pages = gt.collect()
    print(gt.format_report(gt.cross_validate(pages)))
    if not args.cv_only:
        gt.save(gt.fit(pages), WEIGHTS)
        print(f"saved {WEIGHTS}")


if __name__ == "__main__":
    main()
