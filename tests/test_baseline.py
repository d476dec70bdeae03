"""The baseline file itself: pins only ever move in their good direction."""

from __future__ import annotations

from itertools import pairwise

import baseline


def test_pins_never_loosen_unless_they_say_why() -> None:
    for name, metric in baseline.load().items():
        history = metric["history"]
        assert metric["better"] in ("lower", "higher"), name
        assert history, name
        for before, after in pairwise(history):
            a, b = baseline.value(before), baseline.value(after)
            tighter_or_equal = b <= a if metric["better"] == "lower" else b >= a
            if not tighter_or_equal:
                assert isinstance(after, dict) and str(after.get("lowered", "")).strip(), (
                    f"{name} was loosened without a reason: {history}")
