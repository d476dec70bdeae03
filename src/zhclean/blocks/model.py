"""The block model: which blocks are the article, decided from all the evidence at once.

The rules (``labels.py``, ``html.py``) label every block; this model then reads each
block's features (``features.py``: how it reads, where it sits, what the DOM and the
rules say, and the same of its neighbours) and gives the probability that the block is
part of the article's text. Two stages of gradient-boosted trees: the first judges each
block alone, the second also reads its neighbours' first-stage probabilities, so a
short post between two posts, or a lone sentence inside a menu, is judged with its
context. Trained offline by ``scripts/train_block_model.py`` on the development pages,
cross-validated by site; the trees ship in ``_data/block_model.npz`` (about 20 KB) and
run in numpy.

The model decides body or not; the rules keep naming the chrome, and the labels in
:data:`RULED` (the title, a lead, spam, disclaimers and reprint notices) stay as the
rules found them.

It decides on text pages (HTML keeps the rules, see :func:`apply_model`), and only
where it is sure: cross-validated by site (``tests/test_block_model.py`` pins the
figures), it gains most on forum and article pages flattened to text.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from . import Block
from .features import FEATURES, block_features, settled

__all__ = ["RULED", "Forest", "StageModel", "apply_model", "body_probabilities", "decode",
           "load_model", "stage_two_features"]

WEIGHTS = Path(__file__).parents[1] / "_data" / "block_model.npz"
# Labels the model neither learns nor changes: the headline, a site's excerpt of the next
# paragraph (a fact about the page, not a judgement), injected spam (the quality
# filter's call), and the notices about the text (a disclaimer, a reprint notice), which
# people's gold copies now keep and now drop but which are never the article.
RULED = frozenset({"title", "lead", "spam", "disclaimer", "reprint"})
_BODY = frozenset({"body", "caption"})

Array = np.ndarray[Any, Any]


@dataclass(frozen=True)
class Forest:
    """Complete binary trees of one depth, as arrays: node ``k``'s children are ``2k+1``
    (feature below the threshold) and ``2k+2``; an unused node's threshold is +inf."""

    feature: Array  # (trees, 2**depth - 1) int
    threshold: Array  # (trees, 2**depth - 1) float
    leaf: Array  # (trees, 2**depth) float: each leaf's contribution to the log-odds
    base: float  # the log-odds before any tree

    @property
    def depth(self) -> int:
        return int(np.log2(self.leaf.shape[1]))

    def margin(self, table: Array) -> Array:
        """The log-odds for every row of ``table``."""
        trees, inner = self.feature.shape
        if not len(table) or not trees:
            return np.full(len(table), self.base)
        rows = np.arange(len(table))[None, :]
        tree = np.arange(trees)[:, None]
        node = np.zeros((trees, len(table)), dtype=np.intp)
        for _ in range(self.depth):
            value = table[rows, self.feature[tree, node]]
            node = 2 * node + 1 + (value >= self.threshold[tree, node])
        margin: Array = self.base + self.leaf[tree, node - inner].sum(axis=0)
        return margin

    def probability(self, table: Array) -> Array:
        # beyond ±80 exp overflows in float32 (the shipped leaves); p is 0 or 1 there anyway
        p: Array = 1.0 / (1.0 + np.exp(-np.clip(self.margin(table), -80, 80)))
        return p


@dataclass(frozen=True)
class StageModel:
    first: Forest
    second: Forest


def stage_two_features(table: Array, first: Array, blocks: list[Block]) -> Array:
    """The first table with the neighbours' first-stage probabilities beside it: the
    nearest non-blank block on each side and the next ones, the mean over three on each
    side, and the mean over the blocks of the same template."""
    n = len(blocks)
    extra = np.zeros((n, len(STAGE_TWO)))
    present = [i for i, b in enumerate(blocks) if b.text]
    if present:
        p = first[present]
        padded = np.concatenate([[0.0, 0.0], p, [0.0, 0.0]])
        m = len(present)
        at = np.arange(m) + 2
        cumulative = np.concatenate([[0.0], np.cumsum(p)])
        low, high = np.maximum(0, np.arange(m) - 3), np.minimum(m, np.arange(m) + 4)
        around = (cumulative[high] - cumulative[low] - p) / np.maximum(1, high - low - 1)
        by_path: dict[str, list[int]] = {}
        for k, i in enumerate(present):
            if blocks[i].path:
                by_path.setdefault(blocks[i].path, []).append(k)
        template = p.copy()
        for members in by_path.values():
            template[members] = p[members].mean()
        extra[present] = np.stack([p, padded[at - 1], padded[at + 1], padded[at - 2],
                                   padded[at + 2], around, template,
                                   np.full(m, p.max()), np.full(m, p.mean())], axis=1)
    return np.concatenate([table, settled(extra)], axis=1)


STAGE_TWO = ("p", "prev_p", "next_p", "prev2_p", "next2_p", "window_p", "template_p",
             "page_max_p", "page_mean_p")


@cache
def load_model(path: Path = WEIGHTS) -> StageModel:
    """The shipped trees; the file names the features it was trained on, and a model
    trained on other features is refused rather than misread."""
    with np.load(path, allow_pickle=False) as data:
        names = tuple(str(n) for n in data["features"])
        if names != FEATURES + STAGE_TWO:
            raise RuntimeError(f"{path.name} was trained on other features; retrain it"
                               " with scripts/train_block_model.py")
        forests = [Forest(data[f"{stage}_feature"], data[f"{stage}_threshold"],
                          data[f"{stage}_leaf"], float(data[f"{stage}_base"]))
                   for stage in ("first", "second")]
    return StageModel(*forests)


def body_probabilities(blocks: list[Block], *, html: bool, thread: bool = False,
                       prose_page: bool = True, model: StageModel | None = None) -> Array:
    """Each block's probability of being the article's text (0 for a blank one: only
    the others are judged, which halves the work on text with blank lines between
    paragraphs)."""
    model = model or load_model()
    table = block_features(blocks, html=html, thread=thread, prose_page=prose_page)
    present = np.array([i for i, b in enumerate(blocks) if b.text], dtype=np.intp)
    first, second = np.zeros(len(blocks)), np.zeros(len(blocks))
    first[present] = model.first.probability(table[present])
    second[present] = model.second.probability(
        stage_two_features(table, first, blocks)[present])
    return second


# How sure the model must be to overrule the rules (chosen by the cross-validation of
# tests/test_block_model.py among a few settings; see the figures there): a body block is
# dropped below DROP_BELOW; a block the rules left out joins the body above ADD_ABOVE,
# or above ADD_ABOVE_WORDING when the rules named it by its wording (the lexicon is
# strong evidence, not a veto).
DROP_BELOW = 0.2
ADD_ABOVE = 0.6
ADD_ABOVE_WORDING = 0.9
_WORDING = ("wording of ", "names a byline field")


def decode(blocks: list[Block], p: Array) -> list[bool]:
    """Which blocks are the article's text: the rules' body, less the blocks the model
    is sure are not, plus the blocks it is sure are (never the headline again)."""
    titles = {b.text for b in blocks if b.label == "title"}
    chosen = []
    for block, q in zip(blocks, p, strict=True):
        body = block.label in _BODY
        if block.label in RULED or not block.text or (block.text in titles and not body):
            chosen.append(body)
        elif body:
            chosen.append(bool(q >= DROP_BELOW))
        else:
            named = block.reason.startswith(_WORDING)
            chosen.append(bool(q > (ADD_ABOVE_WORDING if named else ADD_ABOVE)))
    return chosen


def apply_model(blocks: list[Block], *, html: bool, thread: bool = False,
                prose_page: bool = True, model: StageModel | None = None) -> list[Block]:
    """Relabel a text page's blocks in place where the model overrules the rules; each
    change says so in its reason. An HTML page keeps the rules' labels: within the
    container the rules chose, the model's gains changed sign from one fold assignment
    to another, and letting it choose the region lost whole pages (a second article
    below the first, a notification list). A page the rules found text on never ends
    empty: if the model keeps nothing, the rules stand."""
    if not blocks or html:
        return blocks
    p = body_probabilities(blocks, html=html, thread=thread, prose_page=prose_page,
                           model=model)
    chosen = decode(blocks, p)
    if not any(chosen):
        return blocks
    for block, q, body in zip(blocks, p, chosen, strict=True):
        if body == (block.label in _BODY):
            continue
        was = f"{block.label or 'unlabelled'}: {block.reason}"
        block.label = "body" if body else "other"
        block.reason = f"block model {q:.2f} (the rules said {was})"
    return blocks
