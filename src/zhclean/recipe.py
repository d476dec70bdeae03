"""Recipes: a TOML file naming what a run does; command-line flags override it.

Without a recipe the defaults are sensible. Every key is optional::

    [run]
    workers = 2            # default: all cores
    format = "parquet"     # or "jsonl"
    shard_size = 500       # records per shard: the unit of resume

    [read]
    text_fields = ["text", "content", "html", "raw_content"]
    id_field = "id"
    url_field = "url"

    [page]
    script = "auto"        # auto | keep | hans | hant
    changes = false        # write every repair change to changes/SHARD.jsonl

    [filters]              # see zhclean.filters.FilterConfig; a value of false turns one off
    min_chars = 50
    min_cjk_share = 0.3
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from .engines.local import RunConfig
from .errors import UsageError
from .filters import FilterConfig
from .io.readers import Fields
from .process import Options
from .repair import TARGETS

__all__ = ["build_config"]

_SECTIONS = {"run": {"workers", "format", "shard_size"},
             "read": {"text_fields", "id_field", "url_field"},
             "page": {"script", "changes"}, "filters": None}


def _load(path: str | None) -> dict[str, Any]:
    if path is None:
        return {}
    try:
        recipe = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise UsageError(f"cannot read recipe {path}: {err}") from err
    for section, values in recipe.items():
        if section not in _SECTIONS or not isinstance(values, dict):
            raise UsageError(f"recipe {path}: unknown section [{section}];"
                             f" known: {', '.join(_SECTIONS)}")
        allowed = _SECTIONS[section]
        if allowed is not None and set(values) - allowed:
            raise UsageError(f"recipe {path}: unknown key(s) in [{section}]:"
                             f" {', '.join(sorted(set(values) - allowed))}")
    return recipe


def build_config(inputs: list[str], out: str, recipe_path: str | None = None,
                 **flags: Any) -> RunConfig:
    """The run's configuration: defaults, then the recipe, then the flags that were set."""
    recipe = _load(recipe_path)
    section = {name: dict(recipe.get(name, {})) for name in _SECTIONS}
    for key, value in flags.items():
        if value is None:
            continue
        target = "read" if key in ("text_fields", "id_field", "url_field") else \
            "page" if key in ("script", "changes") else "run"
        section[target][key] = value
    script = section["page"].get("script", "auto")
    if script not in TARGETS:
        raise UsageError(f"unknown script {script!r}; use one of {', '.join(TARGETS)}")
    filters = {k: (None if v is False else v) for k, v in section["filters"].items()}
    read = section["read"]
    fields = Fields(tuple(read.get("text_fields", Fields().text)), read.get("id_field", "id"),
                    read.get("url_field", "url"))
    run = section["run"]
    workers = int(run.get("workers") or 0) or os.cpu_count() or 1
    return RunConfig(
        inputs=tuple(inputs), out=Path(out), workers=workers,
        resume=bool(flags.get("resume")), format=run.get("format", "parquet"),
        shard_size=int(run.get("shard_size", 500)), fields=fields,
        options=Options(script=script, filters=FilterConfig.from_dict(filters),
                        changes=bool(section["page"].get("changes", False))),
        progress=not flags.get("quiet"),
    )
