"""Blocks: the units a page is labelled in, whether it came as text or as HTML.

Text becomes one block per line; HTML becomes one block per block-level element, with
the DOM evidence a line lacks (tag, class and id words, link density). One
labeler serves both, so improving it improves both.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Block"]


@dataclass(slots=True)
class Block:
    """One line of text, or one block-level HTML element's text."""

    text: str
    index: int
    tag: str = ""  # HTML tag name; empty for a text line
    attrs: str = ""  # class and id words of the element and its near ancestors, lower case
    # what the class and id names around it call it: "chrome" (nav, related...),
    # "comment" (user posts), "content" (article, post...), or "" when none says
    named: str = ""
    link_chars: int = 0  # characters of the text inside <a> elements
    # the element's tag and first class with two ancestors' (``li.post<ul.list<div``):
    # blocks that share it are repeated items of one template (posts, teasers, menus)
    path: str = ""
    depth: int = 0  # how deep in the DOM the element sits; 0 for a text line
    # the ids of the element and its ancestors, innermost first (HTML; empty for text):
    # the candidates for the main-content container (``container.py``)
    chain: tuple[int, ...] = ()
    inside: bool = True  # within the main-content container (HTML); lines always are
    label: str = ""
    reason: str = ""

    @property
    def link_density(self) -> float:
        return self.link_chars / len(self.text) if self.text else 0.0
