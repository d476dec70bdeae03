"""The main-content container of an HTML page: the element whose blocks, scored one by
one, add up highest (a maximum-subtree-sum over the DOM). ``html.py`` scores blocks by
prose and class names, once for an article and once for a thread."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from . import Block

__all__ = ["Tree", "choose_by_totals", "choose_container", "dom_tree", "mark_inside",
           "subtree_totals"]


@dataclass(frozen=True)
class Tree:
    """The elements of the blocks' chains: each one's parent, and all of them ordered
    children before parents (so sums run up the tree in one pass)."""

    parent: dict[int, int]
    depth: dict[int, int]  # levels below the top of the chains
    upward: list[int]  # deepest first


def dom_tree(blocks: list[Block]) -> Tree:
    """The tree the blocks' chains describe. Chains share their ancestors, so each is
    read only up to the first element seen before."""
    parent: dict[int, int] = {}
    depth: dict[int, int] = {}
    for block in blocks:
        chain = block.chain
        for level, element in enumerate(chain):
            if element in depth:
                break
            depth[element] = len(chain) - level
            if level + 1 < len(chain):
                parent[element] = chain[level + 1]
    upward = sorted(depth, key=depth.__getitem__, reverse=True)
    return Tree(parent, depth, upward)


def choose_container(blocks: list[Block], score: Callable[[Block], float], tree: Tree,
                     minimum: float = 0.0) -> int | None:
    """Mark the blocks inside the container (``inside``): of all the elements around
    some block, the one whose blocks' scores add up highest, the deeper of two equal
    ones. Returns its id; None, marking nothing, when no element reaches ``minimum``."""
    return choose_by_totals(blocks, subtree_totals(blocks, score, tree), tree, minimum)


def choose_by_totals(blocks: list[Block], totals: dict[int, float], tree: Tree,
                     minimum: float = 0.0) -> int | None:
    """:func:`choose_container` from sums already made (a caller that needs them too)."""
    if not totals or max(totals.values()) <= minimum:
        return None
    best = max(totals, key=lambda e: (totals[e], tree.depth[e]))
    mark_inside(blocks, best)
    return best


def subtree_totals(blocks: list[Block], score: Callable[[Block], float], tree: Tree
                   ) -> dict[int, float]:
    """Each element's sum of its blocks' scores: each block's score at its own element,
    then every element's sum added to its parent's, deepest first."""
    totals = dict.fromkeys(tree.depth, 0.0)
    for block in blocks:
        if block.chain:
            totals[block.chain[0]] += score(block)
    parent = tree.parent
    for element in tree.upward:
        if element in parent:
            totals[parent[element]] += totals[element]
    return totals


def mark_inside(blocks: list[Block], element: int) -> None:
    for block in blocks:
        block.inside = element in block.chain
