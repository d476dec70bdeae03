"""The block model's data, fitting and cross-validation, shared by
``scripts/train_block_model.py`` (which fits and saves the shipped model) and the gate
(``tests/test_block_model.py``, which cross-validates it again and checks the pins).

A block's target is whether its text is the gold's: most of its character bigrams
(70%) lie in the gold text, or, for a block of two or three characters, the gold holds
it. A block's weight grows with the square root of its bigrams (F1 counts bigrams, but
a short post matters too), and each page weighs the same in all. Blocks with a label in
``RULED`` (titles, leads, spam, notices) are the rules' to find and weigh nothing.
"""

from __future__ import annotations

import copy
import hashlib
import json
import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import evaluation as ev
import numpy as np

from zhclean.article import labelled_blocks
from zhclean.blocks import Block
from zhclean.blocks.boosting import Settings, fit_forest
from zhclean.blocks.features import FEATURES, block_features
from zhclean.blocks.labels import mark_repeats
from zhclean.blocks.model import (
    RULED,
    STAGE_TWO,
    Forest,
    StageModel,
    apply_model,
    stage_two_features,
)
from zhclean.io.encoding import decode_report

FOLDS = 5
INNER_FOLDS = 3  # for the second stage's inputs: first-stage probabilities out of fold
SETTINGS = Settings()
_CONTAINED = 0.7
_SPACE = re.compile(r"\s+")
_BODY = ("body", "caption")
# Text pages only: the model decides on text pages alone (HTML keeps the rules, whose
# region choice it lost pages to), and blocks with DOM evidence it never meets at run
# time would only teach it a distribution it does not see.
SETS = (*((name, form) for name in ev.HTML_SETS for form in ev.FORMS if form != "html"),
        ("body_gold", ""), ("cases", ""))
# the project's own page cases (tests/cases/page) that are text: each one its own site
CASES = Path(__file__).parent / "cases" / "page" / "page.jsonl"


Array = np.ndarray[Any, Any]


@dataclass
class TrainPage:
    set: str
    form: str
    id: str
    site: str
    gold: str
    blocks: list[Block]  # labelled by the rules
    html: bool
    thread: bool
    prose_page: bool
    table: Array
    target: Array
    weight: Array


def _targets(blocks: list[Block], gold: str) -> tuple[Array, Array]:
    reference = ev.bigrams(gold)
    flat = _SPACE.sub("", gold)
    target, weight = np.zeros(len(blocks)), np.zeros(len(blocks))
    for i, block in enumerate(blocks):
        if block.label in RULED:
            continue
        grams = ev.bigrams(block.text)
        total = sum(grams.values())
        if total >= 3:
            target[i] = sum((grams & reference).values()) / total >= _CONTAINED
            weight[i] = math.sqrt(total)
        elif total >= 1:
            target[i] = _SPACE.sub("", block.text) in flat
            weight[i] = 1.0
    if weight.sum():
        weight /= weight.sum()
    return target, weight


@cache
def collect() -> tuple[TrainPage, ...]:
    """Every development text page (flattened forms, body_gold, text page cases), with
    its blocks, features and targets."""
    pages = []
    for name, form in SETS:
        for page, data in (_cases() if name == "cases" else ev.pages_of(name, form or "html")):
            raw = decode_report(data).text if isinstance(data, bytes) else data
            structure = labelled_blocks(raw)
            if structure.html:
                continue  # an HTML page case
            blocks = structure.blocks
            table = block_features(blocks, html=structure.html, thread=structure.thread,
                                   prose_page=structure.prose_page)
            target, weight = _targets(blocks, page.content)
            pages.append(TrainPage(name, form, page.id, page.site, page.content, blocks,
                                   structure.html, structure.thread, structure.prose_page,
                                   table, target, weight))
    return tuple(pages)


def _cases() -> list[tuple[ev.Page, str]]:
    """The project's page cases that state their paragraphs, as pages with gold."""
    found = []
    for line in CASES.read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        paragraphs = case["expected"].get("paragraphs")
        if paragraphs is not None:
            gold = "\n".join(paragraphs)
            found.append((ev.Page("cases", case["label"], f"case:{case['label']}",
                                  case["input"], gold), case["input"]))
    return found


def data_digest() -> str:
    """A digest of everything the model is fitted and cross-validated on (of the page
    cases, those that state paragraphs: a case about metadata alone changes nothing)."""
    sha = hashlib.sha256()
    for page, data in _cases():
        sha.update(f"{page.id}\0{data}\0{page.content}\0".encode())
    for name in sorted({name for name, _ in SETS} - {"cases"}):
        sha.update(ev.digest(name).encode())
    return sha.hexdigest()[:16]


def _stack(pages: list[TrainPage]) -> tuple[Array, Array, Array]:
    return (np.concatenate([p.table for p in pages]), np.concatenate([p.target for p in pages]),
            np.concatenate([p.weight for p in pages]))


def _second_table(page: TrainPage, first: Forest) -> Array:
    return stage_two_features(page.table, first.probability(page.table), page.blocks)


def fit(pages: tuple[TrainPage, ...] | list[TrainPage], settings: Settings = SETTINGS
        ) -> StageModel:
    """Both stages on ``pages``; the second stage learns from first-stage probabilities
    of pages held out of the first stage's fitting (as they will be at run time)."""
    pages = list(pages)
    first = fit_forest(*_stack(pages), settings=settings)
    tables: list[Array] = [np.empty(0)] * len(pages)
    for held in ev.folds_by_site(pages, INNER_FOLDS):
        held_set = set(held)
        inner = fit_forest(*_stack([p for i, p in enumerate(pages) if i not in held_set]),
                           settings=settings)
        for i in held:
            tables[i] = _second_table(pages[i], inner)
    target, weight = _stack(pages)[1:]
    second = fit_forest(np.concatenate(tables), target, weight, settings=settings)
    return StageModel(first, second)


def body_text(page: TrainPage, fitted: StageModel | None) -> str:
    """The text ``page()`` returns for the page: the rules' body, or the model's."""
    blocks = copy.deepcopy(page.blocks)
    if fitted is not None:
        apply_model(blocks, html=page.html, thread=page.thread, prose_page=page.prose_page,
                    model=fitted)
    mark_repeats(blocks)
    return "\n".join(b.text for b in blocks if b.label in _BODY and b.text)


@dataclass(frozen=True)
class Report:
    """Each page's F1 with the rules alone and with its held-out fold's model."""

    rules: dict[tuple[str, str, str], float]
    model: dict[tuple[str, str, str], float]

    def of(self, name: str, form: str, which: str = "model") -> list[float]:
        scores = self.model if which == "model" else self.rules
        return [v for (s, f, _), v in scores.items() if s == name and f == form]


def cross_validate(pages: tuple[TrainPage, ...], k: int = FOLDS,
                   settings: Settings = SETTINGS) -> Report:
    rules: dict[tuple[str, str, str], float] = {}
    scored: dict[tuple[str, str, str], float] = {}
    for held in ev.folds_by_site(pages, k):
        held_set = set(held)
        fitted = fit([p for i, p in enumerate(pages) if i not in held_set], settings)
        for i in held:
            page = pages[i]
            key = (page.set, page.form, page.id)
            rules[key] = ev.f1(body_text(page, None), page.gold)
            scored[key] = ev.f1(body_text(page, fitted), page.gold)
    return Report(rules, scored)


def format_report(report: Report) -> str:
    lines = [f"{'set':10s} {'form':12s} {'rules':>6s} {'model':>6s} {'min':>6s} {'<0.5':>5s}"]
    for name, form in SETS:
        ours, theirs = report.of(name, form), report.of(name, form, "rules")
        lines.append(f"{name:10s} {form or '-':12s} {np.mean(theirs):6.3f} {np.mean(ours):6.3f}"
                     f" {min(ours):6.3f} {sum(v < 0.5 for v in ours):5d}")
    ours, theirs = list(report.model.values()), list(report.rules.values())
    lines.append(f"{'all':10s} {'':12s} {np.mean(theirs):6.3f} {np.mean(ours):6.3f}"
                 f" {min(ours):6.3f} {sum(v < 0.5 for v in ours):5d}")
    return "\n".join(lines)


def save(fitted: StageModel, path: Path) -> None:
    arrays: dict[str, Any] = {"features": np.array(FEATURES + STAGE_TWO)}
    for stage, forest in (("first", fitted.first), ("second", fitted.second)):
        arrays[f"{stage}_feature"] = forest.feature.astype(np.int16)
        arrays[f"{stage}_threshold"] = forest.threshold
        arrays[f"{stage}_leaf"] = forest.leaf.astype(np.float32)
        arrays[f"{stage}_base"] = np.float64(forest.base)
    np.savez_compressed(path, **arrays)
