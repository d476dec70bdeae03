"""The block model: its trees run as they were fitted, the shipped file is what the
training script makes from today's data, and its gain over the rules holds on sites it
never saw (cross-validation grouped by site, pinned in ``tests/baseline.json``)."""

from __future__ import annotations

import baseline
import block_training as bt
import numpy as np
import pytest

from zhclean.blocks import Block
from zhclean.blocks.boosting import Settings, fit_forest
from zhclean.blocks.features import FEATURES, block_features
from zhclean.blocks.model import WEIGHTS, apply_model, load_model


def test_trees_predict_what_they_were_fitted_to() -> None:
    # y depends on an interaction no single split shows: x0 > 0.5 xor x1 > 0.5
    random = np.random.default_rng(1)
    table = random.random((4000, 3))
    target = ((table[:, 0] > 0.5) ^ (table[:, 1] > 0.5)).astype(float)
    forest = fit_forest(table, target, settings=Settings(trees=40, depth=3, rate=0.3))
    held_out = random.random((2000, 3))
    truth = (held_out[:, 0] > 0.5) ^ (held_out[:, 1] > 0.5)
    assert ((forest.probability(held_out) >= 0.5) == truth).mean() > 0.95
    assert forest.probability(np.zeros((0, 3))).shape == (0,)


def test_the_shipped_model_reads_todays_features_and_is_small() -> None:
    model = load_model()
    assert WEIGHTS.stat().st_size < 1_000_000
    assert model.first.feature.max() < len(FEATURES)


def test_features_of_an_empty_page_and_of_blank_lines() -> None:
    assert block_features([], html=False).shape == (0, len(FEATURES))
    table = block_features([Block("", 0), Block("正文。", 1)], html=False)
    assert not table[0, :12].any() and table[1, 0] > 0


def test_the_model_never_empties_a_page_the_rules_found_text_on() -> None:
    blocks = [Block("导航 首页 新闻", 0, label="nav"), Block("一句。", 1, label="body")]
    for block in blocks:
        block.reason = "prose"
    model = load_model()
    never = type(model)(model.first, type(model.second)(
        model.second.feature, model.second.threshold, model.second.leaf - 100.0,
        model.second.base))  # a model that believes in nothing
    apply_model(blocks, html=False, model=never)
    assert [b.label for b in blocks] == ["nav", "body"]


@pytest.fixture(scope="module")
def pages() -> tuple[bt.TrainPage, ...]:
    return bt.collect()


def test_the_shipped_model_is_what_the_script_trains(pages: tuple[bt.TrainPage, ...]) -> None:
    fitted, shipped = bt.fit(pages), load_model()
    table = np.concatenate([p.table for p in pages])
    for ours, theirs in ((fitted.first, shipped.first), (fitted.second, shipped.second)):
        assert np.array_equal(ours.feature, theirs.feature)
    assert np.abs(fitted.first.probability(table) - shipped.first.probability(table)).max() < 1e-4


def test_cross_validated_by_site_the_model_is_no_worse_than_pinned(
        pages: tuple[bt.TrainPage, ...]) -> None:
    report = bt.cross_validate(pages)
    print("\n" + bt.format_report(report))
    data = bt.data_digest()
    for name, form in bt.SETS:
        scores = report.of(name, form)
        key = f"block_model_cv:{name}:{form or 'text'}"
        baseline.check(f"{key}:f1_mean", round(float(np.mean(scores)), 3), data)
        baseline.check(f"{key}:f1_min", round(min(scores), 3), data)
        baseline.check(f"{key}:pages_below_0.5", sum(v < 0.5 for v in scores), data)
