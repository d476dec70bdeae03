"""Plain text pages: one block per line (the repair step keeps the line count)."""

from __future__ import annotations

from . import Block

__all__ = ["text_blocks"]


def text_blocks(text: str) -> list[Block]:
    """Every line becomes a block, blank lines included (they separate paragraphs).

    >>> [b.text for b in text_blocks("标题\\n\\n正文。")]
    ['标题', '', '正文。']
    """
    return [Block(line.strip(), i) for i, line in enumerate(text.split("\n"))]
