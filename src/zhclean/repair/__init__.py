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

from dataclasses import dataclass, field

from ..changes import Change
from ..errors import UsageError
from .invisible import remove_invisible
from .pinyin_glue import remove_pinyin_glue
from .punctuation import widen_punctuation
from .script import (
    ScriptName,
    ScriptReport,
    Target,
    detect_script,
    repair_script,
    traditional_only_chars,
)
from .symbols import remove_seo_symbols
from .whitespace import normalise_whitespace

__all__ = ["Repaired", "ScriptInfo", "repair"]

TARGETS: tuple[Target, ...] = ("auto", "keep", "hans", "hant")


@dataclass(frozen=True, slots=True)
class ScriptInfo:
    """The document's script as it came in and as it goes out, with the evidence."""

    input: ScriptName
    output: ScriptName
    evidence: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        return {"input": self.input, "output": self.output, "evidence": dict(self.evidence)}


@dataclass(frozen=True, slots=True)
class Repaired:
    """A repaired text, every change that made it, and its script."""

    text: str
    changes: list[Change]
    script: ScriptInfo


def repair(text: str, *, script: Target = "auto", punctuation: bool = False) -> Repaired:
    """Repair damaged Chinese text. Never raises on any ``str``.

    ``script``: ``auto`` restores machine-converted Traditional and leaves native
    scripts alone; ``keep`` changes no script; ``hans``/``hant`` convert everything.
    ``punctuation``: widen ASCII punctuation inside Chinese prose.
    """
    if script not in TARGETS:
        raise UsageError(f"unknown script target {script!r}; use one of {', '.join(TARGETS)}")
    changes: list[Change] = []
    glue = 0
    steps = [remove_invisible, remove_pinyin_glue, remove_seo_symbols]
    steps += [widen_punctuation] if punctuation else []
    for step in [*steps, normalise_whitespace]:
        before = text
        text, step_changes = step(text)
        changes += step_changes
        if step is remove_pinyin_glue:
            traditional = traditional_only_chars()
            glue = sum(before[c.start - 1] in traditional for c in step_changes)
    # The script is judged after the other repairs, so that a second run judges the same
    # text; the glue they removed from Traditional-only forms still counts as evidence.
    report: ScriptReport = detect_script(text, glue=glue)
    text, step_changes, output = repair_script(text, report, script)
    changes += step_changes
    return Repaired(text, changes, ScriptInfo(report.input, output, report.evidence))
