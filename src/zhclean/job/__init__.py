"""The job: its configuration, shard planning, one shard's work, resume and the
manifest, and the run that ties them together over an engine (``engines/``)."""

from .config import RunConfig
from .run import Engine, Report, run

__all__ = ["Engine", "Report", "RunConfig", "run"]
