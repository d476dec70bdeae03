"""The glue model: the shipped weights are what the training script fits from today's
data, and its decisions hold on sites it never saw (cross-validation grouped by site,
pinned in ``tests/baseline.json``). The figures on ``../shared/dev`` through the whole
repair, with the shipped model, are pinned too; they are measured on pages the model was
fitted on, so they guard against regressions and the cross-validated ones are the
result."""

from __future__ import annotations

import json

import baseline
import glue_training as gt
import pytest
from conftest import shared_dir

from zhclean import repair
from zhclean.repair.glue_evidence import GLUE_FEATURES, load_glue_model
from zhclean.repair.pinyin_glue import reading_annotations


@pytest.fixture(scope="module")
def pages() -> tuple[gt.GluePage, ...]:
    return gt.collect()


def test_the_shipped_model_is_what_the_script_trains(pages: tuple[gt.GluePage, ...]) -> None:
    fitted, shipped = gt.fit(pages), load_glue_model()
    assert shipped.features == GLUE_FEATURES
    for ours, theirs in ((fitted.weights, shipped.weights), (fitted.mean, shipped.mean),
                         (fitted.scale, shipped.scale)):
        assert max(abs(a - b) for a, b in zip(ours, theirs, strict=True)) < 1e-4


def test_cross_validated_by_site_no_worse_than_pinned(pages: tuple[gt.GluePage, ...]) -> None:
    report = gt.cross_validate(pages)
    print("\n" + gt.format_report(report))
    data = gt.data_digest()
    baseline.check("glue_cv:glue_left", report.glue_left(), data)
    baseline.check("glue_cv:legit_removed", report.legit_removed(), data)


def _dev(name: str) -> list[dict[str, object]]:
    path = shared_dir() / "dev" / name
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_glue_on_the_dev_pages_through_the_whole_repair() -> None:
    left = sum(len(reading_annotations(repair(str(row["text"])).text))
               for row in _dev("damaged.jsonl") if row.get("glue_count"))
    removed = sum(sum(c.step == "pinyin_glue" for c in repair(str(row["text"])).changes)
                  for row in _dev("legit_pinyin.jsonl") if row["legit"])
    print(f"\ndev: glue left {left}, legitimate annotations removed {removed}")
    data = gt.data_digest()
    baseline.check("glue_dev:glue_left", left, data)
    baseline.check("glue_dev:legit_removed", removed, data)
