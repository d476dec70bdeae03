"""The main-content container of an HTML page: the element whose blocks, scored one by
one, add up highest (a maximum-subtree-sum over the DOM). ``html.py`` scores blocks by
prose and class names, once for an article and once for a thread."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from . import Block

__all__ = ["choose_container", "mark_inside", "subtree_totals"]


def choose_container(blocks: list[Block], score: Callable[[Block], float],
                     minimum: float = 0.0) -> int | None:
    """Mark the blocks inside the container (``inside``): of all the elements around
    some block, the one whose blocks' scores add up highest, the deeper of two equal
    ones. Returns its id; None, marking nothing, when no element reaches ``minimum``."""
    totals, depth = subtree_totals(blocks, score)
    if not totals or max(totals.values()) <= minimum:
        return None
    best = max(totals, key=lambda e: (totals[e], depth[e]))
    mark_inside(blocks, best)
    return best


def subtree_totals(blocks: list[Block], score: Callable[[Block], float]
                   ) -> tuple[dict[int, float], dict[int, int]]:
    """Each element's sum of its blocks' scores, and its depth in the DOM."""
    totals: dict[int, float] = defaultdict(float)
    depth: dict[int, int] = {}
    for block in blocks:
        value = score(block)
        for level, element in enumerate(block.chain):
            totals[element] += value
            depth[element] = len(block.chain) - level
    return totals, depth


def mark_inside(blocks: list[Block], element: int) -> None:
    for block in blocks:
        block.inside = element in block.chain
