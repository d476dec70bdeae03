"""Corpus stages: the work after every shard is committed, over the run's kept records,
in the order of :data:`STAGES`.

A stage declares everything the rest of the program needs of it: its ``name`` (its
recipe table ``[name]``, its manifest section and its ``--no-name`` flag), its settings
(a frozen dataclass whose fields are the recipe table's keys, with their defaults), the
columns it adds to the kept records, how to run, and how to say what it did. Each stage
reads and rewrites the kept shards by passes (``stages/passes.py``), which the run's
engine spreads over its workers, and resumes shard by shard: run again on a folder it
finished, it changes nothing. Adding a stage is one new module here and one
line in :data:`STAGES`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

import pyarrow as pa

from ..errors import UsageError
from .dedup import Dedup
from .refilter import Refilter
from .site_chrome import SiteChrome

__all__ = ["STAGES", "Stage", "stage_named", "stage_settings"]


class Stage(Protocol):
    name: str  # the recipe table, the manifest section, the --no- flag
    help: str  # what the stage does, for --help
    settings: type[Any]  # a frozen dataclass: the recipe table's keys and defaults
    columns: Mapping[str, pa.DataType]  # what it adds to every kept record

    def run(self, out: Path, settings: Any, engine: Any, progress: bool) -> dict[str, Any]:
        """Run over the kept records of ``out``, its passes over the kept shards
        through ``engine`` (``stages/passes.py``); returns the manifest section."""

    def summary(self, section: dict[str, Any], out: Path) -> str:
        """One line saying what it did."""


# The order they run in: site chrome changes the texts that the filters judge again and
# that dedup compares.
STAGES: tuple[Stage, ...] = (SiteChrome(), Refilter(), Dedup())


def stage_named(name: str) -> Stage:
    return next(stage for stage in STAGES if stage.name == name)


def stage_settings(tables: Mapping[str, Mapping[str, Any]], off: frozenset[str] = frozenset()
                   ) -> tuple[tuple[str, Any], ...]:
    """The stages that run, in order, each with its settings: the defaults, then its
    recipe table's keys (``enabled = false`` turns it off, as ``off`` does)."""
    chosen = []
    for stage in STAGES:
        table = dict(tables.get(stage.name, {}))
        enabled = table.pop("enabled", True)
        if not isinstance(enabled, bool):
            raise UsageError(f"[{stage.name}] enabled must be true or false, not {enabled!r}")
        known = [f.name for f in dataclasses.fields(stage.settings)]
        unknown = set(table) - set(known)
        if unknown:
            raise UsageError(f"unknown key(s) in [{stage.name}]: {', '.join(sorted(unknown))};"
                             f" known: {', '.join(['enabled', *known])}")
        defaults = stage.settings()
        settings = stage.settings(**{key: _typed(stage.name, key, value,
                                                 getattr(defaults, key))
                                     for key, value in table.items()})
        settings.check()
        if enabled and stage.name not in off:
            chosen.append((stage.name, settings))
    return tuple(chosen)


def _typed(stage: str, key: str, value: Any, default: Any) -> Any:
    """A recipe value of its default's type (a whole number does for a share)."""
    if isinstance(default, float) and type(value) is int:
        value = float(value)  # min_share = 1
    if type(value) is not type(default):
        raise UsageError(f"[{stage}] {key} must be a {type(default).__name__}, not {value!r}")
    return value
