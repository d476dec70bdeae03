"""zhclean: repair, structure and deduplicate damaged Chinese web text.

>>> repair("企業(yè)新聞").text
'企业新闻'
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ._version import __version__
from .article import Article, page
from .changes import Change, apply_changes
from .errors import DecodeError, InputError, UsageError, ZhcleanError
from .filters import FilterConfig
from .io.encoding import decode
from .io.readers import Fields
from .job import Report, RunConfig
from .process import Options, datasets_map
from .repair import Repaired, ScriptInfo, repair
from .repair.script import detect_script
from .stages.dedup import DedupSettings
from .stages.site_chrome import SiteChromeSettings


def run(inputs: Sequence[str | Path], out: str | Path, config: RunConfig | None = None,
        report: Report | None = None) -> dict[str, Any]:
    """Clean a corpus, as ``zhclean run`` does: ``inputs`` (files and folders) into the
    output folder ``out``; returns the manifest. ``config`` gives every other option
    (its own inputs and output are replaced by these)::

        zhclean.run(["crawl/"], "out", RunConfig((), Path(), workers=2, format="jsonl"))
    """
    from .job import run as run_job

    base = config or RunConfig((), Path(out))
    chosen = dataclasses.replace(base, inputs=tuple(str(i) for i in inputs), out=Path(out))
    return run_job(chosen, report)


__all__ = [
    "Article",
    "Change",
    "DecodeError",
    "DedupSettings",
    "Fields",
    "FilterConfig",
    "InputError",
    "Options",
    "Repaired",
    "RunConfig",
    "ScriptInfo",
    "SiteChromeSettings",
    "UsageError",
    "ZhcleanError",
    "__version__",
    "apply_changes",
    "datasets_map",
    "decode",
    "detect_script",
    "page",
    "repair",
    "run",
]
