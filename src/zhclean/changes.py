"""Changes as data: what a repair step replaced, where, and why.

Every repair is a pure function ``text -> (text, [Change])``. A change's span refers
to the text *that step received*; replaying the steps' changes in order on the input
reproduces the output (:func:`apply_changes`), which the tests check for every case.

>>> c = Change("whitespace", "nbsp", 2, 3, "\\u00a0", " ")
>>> apply_changes("ab\\u00a0c", [c])
'ab c'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from itertools import groupby
from re import Match, Pattern
from typing import Any, NamedTuple

__all__ = ["Change", "apply_changes", "apply_step", "sub_with_changes"]


class Change(NamedTuple):
    """One replacement made by one repair step.

    ``start``/``end`` index the text the step received; ``before`` is that slice and
    ``after`` what replaced it. (A named tuple: repairs of damaged pages make hundreds
    of thousands of these, and tuples are the cheapest immutable record.)
    """

    step: str
    reason: str
    start: int
    end: int
    before: str
    after: str

    def to_dict(self) -> dict[str, Any]:
        return self._asdict()


def apply_step(text: str, changes: Iterable[Change]) -> str:
    """Apply the changes of one step (non-overlapping spans, any order)."""
    parts: list[str] = []
    pos = 0
    for change in sorted(changes, key=lambda c: c.start):
        if change.start < pos or text[change.start:change.end] != change.before:
            raise ValueError(f"change does not fit the text: {change}")
        parts.append(text[pos:change.start])
        parts.append(change.after)
        pos = change.end
    parts.append(text[pos:])
    return "".join(parts)


def apply_changes(text: str, changes: Sequence[Change]) -> str:
    """Replay the changes of successive steps, each on the previous step's output."""
    for _, step_changes in groupby(changes, key=lambda c: c.step):
        text = apply_step(text, step_changes)
    return text


def sub_with_changes(
    pattern: Pattern[str],
    repl: Callable[[Match[str]], tuple[str, str] | None],
    text: str,
    step: str,
) -> tuple[str, list[Change]]:
    """``pattern.sub`` that records a :class:`Change` per replaced match.

    ``repl`` returns ``(replacement, reason)``, or ``None`` to leave the match alone.
    """
    changes: list[Change] = []

    def record(match: Match[str]) -> str:
        before = match.group()
        decision = repl(match)
        if decision is None or decision[0] == before:
            return before
        after, reason = decision
        changes.append(Change(step, reason, match.start(), match.end(), before, after))
        return after

    return pattern.sub(record, text), changes
