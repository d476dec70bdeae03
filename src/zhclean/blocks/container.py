"""The main-content container of an HTML page: the element whose blocks, scored one by
one, add up highest (a maximum-subtree-sum over the DOM). The rules score blocks by
prose and class names (``html.py``); the block model by its probabilities
(``model.py``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from . import Block

__all__ = ["best_container", "choose_container"]


def best_container(blocks: list[Block], score: Callable[[Block], float]
                   ) -> tuple[int, float] | None:
    """Of all the elements around some block, the one whose blocks' scores add up
    highest (the deeper of two equal ones), with its total; None without elements."""
    totals: dict[int, float] = defaultdict(float)
    depth: dict[int, int] = {}
    for block in blocks:
        value = score(block)
        for level, element in enumerate(block.chain):
            totals[element] += value
            depth[element] = len(block.chain) - level
    if not totals:
        return None
    best = max(totals, key=lambda e: (totals[e], depth[e]))
    return best, totals[best]


def choose_container(blocks: list[Block], score: Callable[[Block], float],
                     minimum: float = 0.0) -> bool:
    """Mark the blocks inside the best container (``inside``). False, marking nothing,
    when no element reaches ``minimum``."""
    found = best_container(blocks, score)
    if found is None or found[1] <= minimum:
        return False
    for block in blocks:
        block.inside = found[0] in block.chain
    return True
