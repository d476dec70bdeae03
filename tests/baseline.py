"""The evaluation gate's pinned figures (``tests/baseline.json``).

Each metric keeps its whole history; the pin is the last entry. A pin may only move in
the metric's good direction (a test checks the history), so loosening one shows in the
diff as a history that goes backwards, never as a silent edit.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

PATH = Path(__file__).with_name("baseline.json")


def load() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(PATH.read_text(encoding="utf-8"))
    return data["metrics"]


def pin(name: str) -> float:
    return float(load()[name]["history"][-1])


def check(name: str, measured: float, data: str | None = None) -> None:
    """Fail when ``measured`` is worse than the pin; say so when it could be raised.
    ``data`` is a digest of what it was measured on: a pin holds for its data only, so
    figures measured on other pages fail until they are pinned anew."""
    metric = load()[name]
    if data is not None:
        assert metric.get("data") == data, (
            f"{name}: the data changed (digest {data}, pinned on {metric.get('data')});"
            " measure again and pin the new figure")
    pinned = float(metric["history"][-1])
    lower_is_better = metric["better"] == "lower"
    worse = measured > pinned if lower_is_better else measured < pinned
    assert not worse, f"{name}: measured {measured}, pinned {pinned} ({metric['better']} is better)"
    if measured != pinned:
        print(f"{name}: measured {measured} beats the pin {pinned}; raise it in {PATH.name}")
