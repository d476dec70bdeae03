"""The run's configuration: one dataclass that the command line, a recipe and the Python
API all build (``recipe.build_config`` merges the first two), holding every option."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..io.location import check_output
from ..io.outfolder import absolute
from ..io.readers import Fields
from ..process import Options
from ..stages import stage_settings

__all__ = ["RunConfig"]


@dataclass(frozen=True, slots=True)
class RunConfig:
    """Everything a run depends on (the resolved recipe)."""

    inputs: tuple[str, ...]
    out: Path
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    resume: bool = False
    format: str = "parquet"
    shard_size: int = 500
    fields: Fields = field(default_factory=Fields)
    options: Options = field(default_factory=Options)
    # The corpus stages that run, in order, with their settings (stages.stage_settings):
    # by default all of them, with their defaults; () runs none.
    stages: tuple[tuple[str, Any], ...] = field(default_factory=lambda: stage_settings({}))
    progress: bool = True
    engine: str = "local"  # or "ray" (engines.make_engine); the output is the same
    address: str | None = None  # a Ray cluster's, for the ray engine

    def __post_init__(self) -> None:
        check_output(self.out)  # the command line, a recipe and the API all come here

    def describe(self) -> dict[str, Any]:
        """The configuration as recorded in the manifest (what decides the output), with
        paths made absolute: ``in/``, ``./in`` and ``/abs/in`` are the same job."""
        data = asdict(self)
        data["out"] = absolute(self.out)
        data["inputs"] = [absolute(name) for name in self.inputs]
        data["stages"] = {name: asdict(settings) for name, settings in self.stages}
        # what does not change the output: a run may resume on another engine
        for volatile in ("resume", "progress", "workers", "engine", "address"):
            data.pop(volatile)
        return data
