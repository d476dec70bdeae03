"""Gradient-boosted trees for the block model, fitted in numpy.

Logistic loss, complete trees of a fixed depth grown level by level on binned features
(at most ``bins`` quantile edges per feature), leaf values by one Newton step with L2
shrinkage. Small and deterministic: the same data gives the same trees on any machine
(near ties are settled in float32), so a retrained model differs only when its data or
its settings do. Used offline by
``scripts/train_block_model.py`` and by the cross-validation test; inference is
:class:`~zhclean.blocks.model.Forest`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .model import Forest

__all__ = ["Settings", "fit_forest"]

Array = np.ndarray[Any, Any]


@dataclass(frozen=True)
class Settings:
    trees: int = 80
    depth: int = 4
    rate: float = 0.15
    l2: float = 1.0
    min_hessian: float = 0.5  # a leaf needs this much curvature (about weight × p(1-p))
    bins: int = 32
    sample: float = 0.5  # the share of rows each tree is fitted on
    seed: int = 0


def _edges(column: Array, bins: int) -> Array:
    values = np.unique(column)
    if len(values) <= bins:
        return values[1:]  # x >= edge[k] goes right: every distinct value can split
    return np.unique(np.quantile(column, np.linspace(0, 1, bins + 1)[1:-1]))


def fit_forest(table: Array, target: Array, weight: Array | None = None,
               settings: Settings = Settings()) -> Forest:
    """Fit trees to ``target`` (0 or 1 per row), each row weighted by ``weight``. Each
    tree sees a fixed pseudo-random half of the rows (``settings.sample``), which
    halves the cost and generalises better than every tree seeing every row."""
    n, width = table.shape
    weight = np.ones(n) if weight is None else weight / weight.mean()
    edges = [_edges(table[:, f], settings.bins) for f in range(width)]
    size = settings.bins + 1
    # one bin number per cell, offset by its feature: one histogram per node holds all
    binned = np.stack([np.searchsorted(e, table[:, f], side="right") + f * size
                       for f, e in enumerate(edges)], axis=1).astype(np.intp)
    splittable = np.arange(size)[None, :] < np.array([len(e) for e in edges])[:, None]
    rate = np.clip(np.average(target, weights=weight), 1e-6, 1 - 1e-6)
    base = float(np.log(rate / (1 - rate)))
    margin = np.full(n, base)
    inner, leaves = 2 ** settings.depth - 1, 2 ** settings.depth
    features = np.zeros((settings.trees, inner), dtype=np.intp)
    thresholds = np.full((settings.trees, inner), np.inf)
    values = np.zeros((settings.trees, leaves))
    random = np.random.default_rng(settings.seed)
    for t in range(settings.trees):
        rows = np.sort(random.choice(n, size=max(1, int(n * settings.sample)), replace=False))
        p = 1.0 / (1.0 + np.exp(-margin[rows]))
        g, h = weight[rows] * (p - target[rows]), weight[rows] * p * (1 - p)
        cells = binned[rows]
        node = np.zeros(len(rows), dtype=np.intp)  # each row's node, within its level
        hist = _histogram(cells, node, g, h, 1, width * size)
        for level in range(settings.depth):
            count = 2 ** level
            split = _best_splits(hist.reshape(count, 2, width, size), splittable, settings)
            offset = count - 1
            if level == 0:
                cut = np.full(inner, np.iinfo(np.intp).max)  # unsplit: no cell is above
            right = np.zeros(len(rows), dtype=bool)
            for k, (f, b) in enumerate(split):
                if f < 0:
                    continue  # unsplit: every row goes left (threshold +inf)
                features[t, offset + k] = f
                thresholds[t, offset + k] = edges[f][b]
                cut[offset + k] = f * size + b
                members = node == k
                right[members] = cells[members, f] > f * size + b
            node = 2 * node + right
            if level + 1 < settings.depth:  # a right child is its parent less the left
                left = ~right
                left_hist = _histogram(cells[left], node[left] // 2, g[left], h[left], count,
                                       width * size)
                hist = np.stack([left_hist, hist - left_hist], axis=1).reshape(2 * count, -1)
        g_leaf = np.bincount(node, weights=g, minlength=leaves)
        h_leaf = np.bincount(node, weights=h, minlength=leaves)
        values[t] = -settings.rate * g_leaf / (h_leaf + settings.l2)
        margin += values[t, _leaf_of(binned, features[t], cut, settings.depth)]
    return Forest(features, thresholds, values, base)


def _histogram(cells: Array, node: Array, g: Array, h: Array, count: int, cells_per_node: int
               ) -> Array:
    """Per node, the sums of gradients and of hessians in every (feature, bin) cell:
    shape (count, 2 * cells_per_node)."""
    key = (cells + (node * cells_per_node)[:, None]).ravel()
    width = cells.shape[1]
    total = count * cells_per_node
    gs = np.bincount(key, weights=np.repeat(g, width), minlength=total)
    hs = np.bincount(key, weights=np.repeat(h, width), minlength=total)
    return np.stack([gs.reshape(count, -1), hs.reshape(count, -1)], axis=1).reshape(count, -1)


def _best_splits(hist: Array, splittable: Array, settings: Settings) -> list[tuple[int, int]]:
    """The best (feature, bin) split of each node, or (-1, -1) when none gains."""
    gs, hs = hist[:, 0], hist[:, 1]  # (count, width, size)
    g_node, h_node = gs[:, 0].sum(axis=1), hs[:, 0].sum(axis=1)
    g_left, h_left = np.cumsum(gs, axis=2), np.cumsum(hs, axis=2)
    g_right, h_right = g_node[:, None, None] - g_left, h_node[:, None, None] - h_left
    parent = g_node ** 2 / (h_node + settings.l2)
    gain = (g_left ** 2 / (h_left + settings.l2) + g_right ** 2 / (h_right + settings.l2)
            - parent[:, None, None])
    gain[(h_left < settings.min_hessian) | (h_right < settings.min_hessian)] = 0
    gain[:, ~splittable] = 0
    # Two splits that part the same rows gain the same, up to the last bits of sums
    # that differ between CPUs: in float32 they tie, and the first of them is taken on
    # every machine.
    flat = gain.reshape(len(gain), -1).astype(np.float32)
    at = flat.argmax(axis=1)
    size = gs.shape[2]
    return [(int(a // size), int(a % size)) if flat[k, a] > 1e-12 else (-1, -1)
            for k, a in enumerate(at)]


def _leaf_of(binned: Array, feature: Array, cut: Array, depth: int) -> Array:
    """Every row's leaf in one tree (all rows, not only the tree's sample): a row goes
    right where its cell of the node's feature is above the node's cut."""
    node: Array = np.zeros(len(binned), dtype=np.intp)
    rows = np.arange(len(binned))
    for _ in range(depth):
        node = 2 * node + 1 + (binned[rows, feature[node]] > cut[node])
    leaf: Array = node - (2 ** depth - 1)
    return leaf
