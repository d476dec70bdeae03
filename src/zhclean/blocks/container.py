"""The main-content container of an HTML page: the element whose blocks, scored one by
one, add up highest (a maximum-subtree-sum over the DOM). ``html.py`` scores blocks by
prose and class names, once for an article and once for a thread."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from . import Block

__all__ = ["choose_container"]


def choose_container(blocks: list[Block], score: Callable[[Block], float],
                     minimum: float = 0.0) -> bool:
    """Mark the blocks inside the container (``inside``): of all the elements around
    some block, the one whose blocks' scores add up highest, the deeper of two equal
    ones. False, marking nothing, when no element reaches ``minimum``."""
    totals: dict[int, float] = defaultdict(float)
    depth: dict[int, int] = {}
    for block in blocks:
        value = score(block)
        for level, element in enumerate(block.chain):
            totals[element] += value
            depth[element] = len(block.chain) - level
    if not totals or max(totals.values()) <= minimum:
        return False
    best = max(totals, key=lambda e: (totals[e], depth[e]))
    for block in blocks:
        block.inside = best in block.chain
    return True
