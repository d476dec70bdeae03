"""The repair pipeline: pure steps, each ``text -> (text, changes)``, in a fixed order.

Invisible characters go first (they hide other damage), then glue (its parentheses
would otherwise meet the whitespace rules), SEO symbols, whitespace, script restoration
and, when asked for, punctuation width. The
script is judged on the input as it came, so the glue itself counts as evidence.

>>> result = repair("企業(yè)新聞：調(diào)研 工作。")
>>> result.text, result.script.input, result.script.output
('企业新闻：调研工作。', 'hant-converted', 'hans')
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, partial
from typing import Any

import numpy as np

from ..changes import Change
from ..errors import UsageError
from . import invisible, pinyin_glue, symbols, whitespace
from ._chars import code_points
from .invisible import remove_invisible
from .pinyin_glue import glue_changes, remove_pinyin_glue, strip_glue
from .punctuation import widen_punctuation
from .script import (
    ScriptName,
    ScriptReport,
    Target,
    detect_in_code_points,
    repair_script,
    traditional_only_chars,
)
from .symbols import remove_seo_symbols
from .whitespace import normalise_whitespace, spaces_need_work

__all__ = ["REPAIRS", "Repaired", "ScriptInfo", "repair"]

TARGETS: tuple[Target, ...] = ("auto", "keep", "hans", "hant")
# The kinds of repair, in the order they run (``Repaired.counts``, an article's
# ``repairs``); ``script`` counts the characters restored or converted.
REPAIRS = ("invisible", "glue", "symbols", "punctuation", "whitespace", "script")


@dataclass(frozen=True, slots=True)
class ScriptInfo:
    """The document's script as it came in and as it goes out, with the evidence."""

    input: ScriptName
    output: ScriptName
    evidence: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        return {"input": self.input, "output": self.output, "evidence": dict(self.evidence)}


@dataclass(frozen=True, slots=True, eq=False)
class Repaired:
    """A repaired text, its script, and every change that made it. The changes are made
    when read: a run that keeps none never builds the thousands a farm page needs."""

    text: str
    script: ScriptInfo
    _parts: tuple[Callable[[], list[Change]], ...] = field(default=(), repr=False)
    # how many changes each kind of repair made (REPAIRS), known without building them
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def changes(self) -> list[Change]:
        return [change for part in self._parts for change in part()]


def repair(text: str, *, script: Target = "auto", punctuation: bool = False) -> Repaired:
    """Repair damaged Chinese text. Never raises on any ``str``.

    ``script``: ``auto`` restores machine-converted Traditional and leaves native
    scripts alone; ``keep`` changes no script; ``hans``/``hant`` convert everything.
    ``punctuation``: widen ASCII punctuation inside Chinese prose.
    """
    if script not in TARGETS:
        raise UsageError(f"unknown script target {script!r}; use one of {', '.join(TARGETS)}")
    parts: list[Callable[[], list[Change]]] = []
    counts = dict.fromkeys(REPAIRS, 0)
    glue = 0
    codes = code_points(text)
    wanted = _wanted(codes)
    changed = False
    steps = [remove_invisible, remove_pinyin_glue, remove_seo_symbols]
    steps += [widen_punctuation] if punctuation else []
    for step in [*steps, normalise_whitespace]:
        # Until a step changes the text, a step none of whose triggers occur is skipped:
        # it would scan the text to change nothing. (A change may make work for a later
        # step, so from then on every step runs.)
        if not changed and not _may_change(step, wanted, codes):
            continue
        if step is remove_pinyin_glue:
            text, removed = strip_glue(text)
            parts.append(partial(glue_changes, removed))
            counts["glue"] = len(removed)
            changed = changed or bool(removed)
            traditional = traditional_only_chars()
            glue = sum(key[0] in traditional for _, key in removed)
            continue
        text, step_changes = step(text)
        parts.append(step_changes.copy)
        counts[_NAMES[step]] = len(step_changes)
        changed = changed or bool(step_changes)
    # The script is judged after the other repairs, so that a second run judges the same
    # text; the glue they removed from Traditional-only forms still counts as evidence.
    report: ScriptReport = detect_in_code_points(
        text, code_points(text) if changed else codes, glue=glue)
    text, step_changes, output = repair_script(text, report, script)
    parts.append(step_changes.copy)
    counts["script"] = len(step_changes)
    return Repaired(text, ScriptInfo(report.input, output, report.evidence), tuple(parts),
                    counts)


Step = Callable[[str], tuple[str, list[Change]]]
# The steps that have nothing to do on a text without one of their trigger characters,
# each with its bit in the trigger table. (Punctuation, asked for, always runs.)
_TRIGGERED: tuple[tuple[Step, str], ...] = (
    (remove_invisible, invisible.TRIGGERS),
    (remove_pinyin_glue, pinyin_glue.TRIGGERS),
    (remove_seo_symbols, symbols.TRIGGERS),
    (normalise_whitespace, whitespace.TRIGGERS),
)
_BITS = {step: 1 << i for i, (step, _) in enumerate(_TRIGGERED)}
_NAMES: dict[Step, str] = {remove_invisible: "invisible", remove_seo_symbols: "symbols",
                           widen_punctuation: "punctuation", normalise_whitespace: "whitespace"}


@cache
def _trigger_table() -> np.ndarray[Any, np.dtype[np.uint8]]:
    """Each code point's trigger bits: which steps it can make work for."""
    table = np.zeros(0x110000, dtype=np.uint8)
    for step, triggers in _TRIGGERED:
        table[[ord(c) for c in triggers]] |= _BITS[step]
    return table


def _wanted(codes: np.ndarray[Any, np.dtype[np.uint32]]) -> int:
    """The trigger bits of the steps whose triggers occur in the text, in one look-up."""
    return int(np.bitwise_or.reduce(_trigger_table()[codes])) if len(codes) else 0


def _may_change(step: Step, wanted: int, codes: np.ndarray[Any, np.dtype[np.uint32]]) -> bool:
    bit = _BITS.get(step)
    if bit is None or wanted & bit:
        return True
    return step is normalise_whitespace and spaces_need_work(codes)
