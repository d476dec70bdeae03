"""Golden and negative cases, kept as data in ``tests/cases/repair/*.jsonl``.

Each line holds a ``label``, a ``comment`` saying why the case exists, the ``input``
and the ``expected`` output (equal to the input for a negative case: text that must not
change). ``step`` runs one repair alone instead of the whole pipeline; ``options`` are
passed to :func:`zhclean.repair`; ``xfail`` names a known failure, run as strict xfail.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from zhclean import Change, apply_changes, repair
from zhclean.repair.invisible import remove_invisible
from zhclean.repair.pinyin_glue import remove_pinyin_glue
from zhclean.repair.symbols import remove_seo_symbols
from zhclean.repair.whitespace import normalise_whitespace

CASES = Path(__file__).parent / "cases" / "repair"
STEPS: dict[str, Callable[[str], tuple[str, list[Change]]]] = {
    "invisible": remove_invisible,
    "pinyin_glue": remove_pinyin_glue,
    "symbols": remove_seo_symbols,
    "whitespace": normalise_whitespace,
}


def load_cases() -> list[Any]:
    params = []
    for path in sorted(CASES.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            case = json.loads(line)
            assert {"label", "comment", "input", "expected"} <= case.keys(), f"{path}:{number}"
            known = "xfail" in case
            marks = [pytest.mark.xfail(strict=True, reason=case["xfail"])] if known else []
            params.append(pytest.param(case, id=f"{path.stem}:{case['label']}", marks=marks))
    return params


def run(case: dict[str, Any]) -> tuple[str, list[Change]]:
    if "step" in case:
        return STEPS[case["step"]](case["input"])
    result = repair(case["input"], **case.get("options", {}))
    return result.text, result.changes


@pytest.mark.parametrize("case", load_cases())
def test_case(case: dict[str, Any]) -> None:
    text, changes = run(case)
    assert text == case["expected"], case["comment"]
    assert apply_changes(case["input"], changes) == text
    if case["expected"] == case["input"]:
        assert changes == []


def test_every_step_and_negative_kind_is_covered() -> None:
    cases = [p.values[0] for p in load_cases()]
    assert {c["step"] for c in cases if "step" in c} == set(STEPS)
    negatives = [c for c in cases if c["input"] == c["expected"]]
    assert len(negatives) >= 15
