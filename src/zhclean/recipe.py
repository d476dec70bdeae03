"""Recipes: a TOML file naming what a run does; command-line flags override it.

Without a recipe the defaults are sensible. Every key is optional::

    [run]
    workers = 2            # default: all cores
    format = "parquet"     # or "jsonl"
    shard_size = 500       # records per shard: the unit of resume
    engine = "local"       # or "ray": Ray tasks, on a local Ray or a cluster
    # address = "auto"     # the Ray cluster to join (default: start a local Ray)

    [read]
    text_fields = ["text", "content", "html", "raw_content"]
    id_field = "id"
    url_field = "url"
    encoding = "gb18030"   # decode every page's bytes so (default: detect each page's)

    [page]
    script = "auto"        # auto | keep | hans | hant
    changes = false        # write every repair change to changes/SHARD.jsonl

    [filters]              # see zhclean.filters.FilterConfig; a value of false turns one off
    min_chars = 50
    min_cjk_share = 0.3

    [site_chrome]          # a corpus stage: every stage has a table (zhclean.stages)
    enabled = true         # drop lines a site repeats across its pages
    min_pages = 3
    min_share = 0.2

    [dedup]
    enabled = true         # cluster copies; every kept record gets its cluster
    threshold = 0.8        # Jaccard of near-duplicates
    containment = 0.75     # share of a copy inside a fuller one
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, cast

from .engines import ENGINES
from .errors import UsageError
from .filters import FilterConfig
from .io.encoding import check_encoding
from .io.readers import Fields
from .job.config import RunConfig
from .process import Options
from .repair import TARGETS
from .repair.script import Target
from .stages import STAGES, stage_settings

__all__ = ["build_config"]

# Each stage's table is checked by the stage itself (stages.stage_settings).
_SECTIONS: dict[str, set[str] | None] = {
    "run": {"workers", "format", "shard_size", "engine", "address"},
    "read": {"text_fields", "id_field", "url_field", "encoding"},
    "page": {"script", "changes"}, "filters": None} | {stage.name: None for stage in STAGES}


def _load(path: str | None) -> dict[str, Any]:
    if path is None:
        return {}
    try:
        recipe = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise UsageError(f"cannot read recipe {path}: {err}") from err
    for section, values in recipe.items():
        if section not in _SECTIONS:
            raise UsageError(f"recipe {path}: unknown section [{section}];"
                             f" known: {', '.join(_SECTIONS)}")
        if not isinstance(values, dict):
            raise UsageError(f"recipe {path}: {section} must be a table, [{section}]")
        allowed = _SECTIONS[section]
        if allowed is not None and set(values) - allowed:
            raise UsageError(f"recipe {path}: unknown key(s) in [{section}]:"
                             f" {', '.join(sorted(set(values) - allowed))}")
    return recipe


def build_config(inputs: list[str], out: str, recipe_path: str | None = None,
                 skip: frozenset[str] = frozenset(), **flags: Any) -> RunConfig:
    """The run's configuration: defaults, then the recipe, then the flags that were set
    (``skip``: the stages a ``--no-NAME`` flag turns off)."""
    recipe = _load(recipe_path)
    section = {name: dict(recipe.get(name, {})) for name in _SECTIONS}
    for key, value in flags.items():
        if value is None:
            continue
        target = "read" if key in ("text_fields", "id_field", "url_field", "encoding") else \
            "page" if key in ("script", "changes") else "run"
        section[target][key] = value
    run, read, page = section["run"], section["read"], section["page"]
    script = _choice(page, "script", "auto", TARGETS)
    filters = {k: (None if v is False else v) for k, v in section["filters"].items()}
    text_fields = read.get("text_fields", list(Fields().text))
    if isinstance(text_fields, str):
        text_fields = [text_fields]
    if not (isinstance(text_fields, list) and text_fields
            and all(isinstance(f, str) for f in text_fields)):
        raise UsageError("text_fields must be a field name or a list of field names")
    fields = Fields(tuple(text_fields), _text(read, "id_field", "id"),
                    _text(read, "url_field", "url"))
    encoding = read.get("encoding")
    if encoding is not None:
        if not isinstance(encoding, str):
            raise UsageError(f"encoding must be an encoding's name, not {encoding!r}")
        check_encoding(encoding)  # a bad name now, not a failed record per page
    workers = _count(run, "workers", os.cpu_count() or 1)
    changes = _flag(page, "changes", False)
    return RunConfig(
        inputs=tuple(inputs), out=Path(out), workers=workers,
        resume=bool(flags.get("resume")), format=_choice(run, "format", "parquet",
                                                         ("parquet", "jsonl")),
        shard_size=_count(run, "shard_size", 500), fields=fields,
        options=Options(script=cast(Target, script), filters=FilterConfig.from_dict(filters),
                        changes=changes, encoding=encoding),
        stages=stage_settings({stage.name: section[stage.name] for stage in STAGES}, skip),
        engine=_choice(run, "engine", "local", ENGINES), address=_address(run),
        progress=not flags.get("quiet"),
    )


def _address(values: dict[str, Any]) -> str | None:
    address = values.get("address")
    if address is not None and not (isinstance(address, str) and address):
        raise UsageError(f"address must be a Ray cluster's address, not {address!r}")
    return address


def _flag(values: dict[str, Any], key: str, default: bool) -> bool:
    value = values.get(key, default)
    if not isinstance(value, bool):
        raise UsageError(f"{key} must be true or false, not {value!r}")
    return value


def _count(values: dict[str, Any], key: str, default: int) -> int:
    value = values.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise UsageError(f"{key} must be a whole number of at least 1, not {value!r}")
    return value


def _text(values: dict[str, Any], key: str, default: str) -> str:
    value = values.get(key, default)
    if not isinstance(value, str) or not value:
        raise UsageError(f"{key} must be a field name, not {value!r}")
    return value


def _choice(values: dict[str, Any], key: str, default: str, allowed: tuple[str, ...]) -> str:
    value = values.get(key, default)
    if value not in allowed:
        raise UsageError(f"{key} must be one of {', '.join(allowed)}, not {value!r}")
    return str(value)
