"""Engines map the job's ``run_shard`` over its shards (``job/run.py``'s ``Engine``):
``local``, a process pool on this machine, and ``ray``, Ray tasks on a local Ray or a
cluster. Both cut the same shards and write the same output."""

from __future__ import annotations

from ..errors import UsageError
from ..job.run import Engine

__all__ = ["ENGINES", "make_engine"]

ENGINES = ("local", "ray")


def make_engine(name: str, workers: int, address: str | None = None) -> Engine:
    """The engine of that name, with ``workers`` shards at once."""
    if name == "local":
        if address:
            raise UsageError("--address is for --engine ray")
        from .local import LocalEngine

        return LocalEngine(workers)
    if name == "ray":
        from .ray import RayEngine

        return RayEngine(workers, address)
    raise UsageError(f"unknown engine {name!r}; use one of {', '.join(ENGINES)}")
