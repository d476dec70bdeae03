"""The evaluation gate's pinned figures (``tests/baseline.json``).

Each metric keeps its whole history; the pin is the last entry. A pin may only move in
the metric's good direction (a test checks the history). The one exception is written
out: an entry ``{"value": v, "lowered": "why"}`` may step back, and says why in the
diff (a step that is fitted now measures something else, a page's figure moved within
noise while the set's mean rose). ``ZHCLEAN_RAISE_PINS=1`` appends every figure that
beats its pin (never one that is worse).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

PATH = Path(__file__).with_name("baseline.json")


def load() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(PATH.read_text(encoding="utf-8"))
    return data["metrics"]


def value(entry: float | dict[str, Any]) -> float:
    """A history entry's figure: a number, or a lowered entry's ``value``."""
    return float(entry["value"] if isinstance(entry, dict) else entry)


def pin(name: str) -> float:
    return value(load()[name]["history"][-1])


def check(name: str, measured: float, data: str | None = None) -> None:
    """Fail when ``measured`` is worse than the pin; say so when it could be raised.
    ``data`` is a digest of what it was measured on: a pin holds for its data only, so
    figures measured on other pages fail until they are pinned anew."""
    metric = load()[name]
    if data is not None:
        assert metric.get("data") == data, (
            f"{name}: the data changed (digest {data}, pinned on {metric.get('data')});"
            " measure again and pin the new figure")
    pinned = value(metric["history"][-1])
    lower_is_better = metric["better"] == "lower"
    worse = measured > pinned if lower_is_better else measured < pinned
    assert not worse, f"{name}: measured {measured}, pinned {pinned} ({metric['better']} is better)"
    if measured != pinned:
        if os.environ.get("ZHCLEAN_RAISE_PINS"):  # the maintainer asked: record the gain
            _append(name, measured)
            print(f"{name}: pin raised from {pinned} to {measured}")
        else:
            print(f"{name}: measured {measured} beats the pin {pinned}; raise it in"
                  f" {PATH.name} (or run with ZHCLEAN_RAISE_PINS=1)")


def _append(name: str, measured: float) -> None:
    data = json.loads(PATH.read_text(encoding="utf-8"))
    data["metrics"][name]["history"].append(measured)
    PATH.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
