"""The Ray engine: ``run_shard`` as Ray tasks, on a local Ray or on a cluster.

The driver plans the shards as the local engine does (the same cut, so the output is
the same) and keeps at most ``2 × workers`` tasks in flight, so memory stays bounded
however large the corpus. Each task takes one CPU and commits its shard atomically; a
task whose worker dies is retried by Ray, and since a shard rewrites the same files, a
retry never duplicates or loses a record. ``--resume`` skips the committed shards, as
on the local engine. Tasks write to the output folder themselves: on a cluster it must
be a folder every node sees (a shared file system).

Ray is an optional dependency (``pip install 'zhclean[ray]'``); the local engine never
imports it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..errors import UsageError
from ..job.config import RunConfig
from ..job.plan import Shard
from ..job.run import ShardDone
from ..job.shard import run_shard

__all__ = ["RayEngine"]

RETRIES = 3  # times a task is run again after its worker died


class RayEngine:
    def __init__(self, workers: int, address: str | None = None) -> None:
        self.address = address
        self.workers = workers  # tasks at once: the local Ray's CPUs, or the cluster's

    def map_shards(self, config: RunConfig, shards: Iterable[Shard], done: set[str],
                   session: float, shard_done: ShardDone) -> None:
        try:
            import ray
        except ImportError as err:
            raise UsageError("--engine ray needs Ray: pip install 'zhclean[ray]'") from err
        started_here = not ray.is_initialized()
        if started_here:
            # A local Ray of ``workers`` CPUs, or a connection to a running cluster.
            ray.init(address=self.address, num_cpus=None if self.address else self.workers,
                     include_dashboard=False, log_to_driver=False,
                     configure_logging=False)
        try:
            if self.address:
                resources: dict[str, float] = ray.cluster_resources()  # type: ignore[no-untyped-call]
                self.workers = max(1, int(resources.get("CPU", 1)))
            task = ray.remote(num_cpus=1, max_retries=RETRIES)(run_shard)
            pending: dict[Any, int] = {}
            for shard in shards:
                if shard.name in done:
                    shard_done(None, shard.consumed)
                    continue
                pending[task.remote(config, shard, session)] = shard.consumed
                if len(pending) >= 2 * self.workers:
                    self._collect(ray, pending, shard_done, 1)
            while pending:
                self._collect(ray, pending, shard_done, 1)
        finally:
            if started_here:
                ray.shutdown()

    @staticmethod
    def _collect(ray: Any, pending: dict[Any, int], shard_done: ShardDone, count: int
                 ) -> None:
        ready, _ = ray.wait(list(pending), num_returns=count)
        for ref in ready:
            shard_done(ray.get(ref), pending.pop(ref))
