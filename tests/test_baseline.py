"""The baseline file itself: pins only ever move in their good direction."""

from __future__ import annotations

from itertools import pairwise

import baseline


def test_pins_never_loosen() -> None:
    for name, metric in baseline.load().items():
        history = [float(v) for v in metric["history"]]
        assert metric["better"] in ("lower", "higher"), name
        assert history, name
        steps = list(pairwise(history))
        if metric["better"] == "lower":
            assert all(b <= a for a, b in steps), f"{name} was loosened: {history}"
        else:
            assert all(b >= a for a, b in steps), f"{name} was loosened: {history}"
