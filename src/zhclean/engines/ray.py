"""The Ray engine: calls as Ray tasks, on a local Ray or on a cluster.

The driver plans the shards as the local engine does (the same cut, so the output is
the same) and keeps at most ``2 × workers`` tasks in flight, so memory stays bounded
however large the corpus. Each task takes one CPU. The job's calls commit their work
atomically (a shard, a stage's pass over a kept shard), so a task whose worker dies is
retried by Ray and never duplicates or loses a record; ``--resume`` skips the committed
work, as on the local engine. Tasks write to the output folder themselves: on a
cluster it must be a folder every node sees (a shared file system). One Ray session
serves the whole run, the main stage and the corpus stages alike.

Ray is an optional dependency (``pip install 'zhclean[ray]'``); the local engine never
imports it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from ..errors import UsageError

__all__ = ["RayEngine"]

RETRIES = 3  # times a task is run again after its worker died
R = TypeVar("R")


class RayEngine:
    def __init__(self, workers: int, address: str | None = None) -> None:
        self.address = address
        self.workers = workers  # tasks at once: the local Ray's CPUs, or the cluster's
        self._ray: Any = None
        self._started_here = False
        self._tasks: dict[Callable[..., Any], Any] = {}

    def __enter__(self) -> RayEngine:
        try:
            import ray
        except ImportError as err:
            raise UsageError("--engine ray needs Ray: pip install 'zhclean[ray]'") from err
        self._ray, self._started_here = ray, not ray.is_initialized()
        if self._started_here:
            # A local Ray of ``workers`` CPUs, or a connection to a running cluster.
            ray.init(address=self.address, num_cpus=None if self.address else self.workers,
                     include_dashboard=False, log_to_driver=False,
                     configure_logging=False)
        if self.address:
            resources: dict[str, float] = ray.cluster_resources()  # type: ignore[no-untyped-call]
            self.workers = max(1, int(resources.get("CPU", 1)))
        return self

    def __exit__(self, *exc: object) -> None:
        if self._started_here:
            self._ray.shutdown()
        self._ray, self._tasks = None, {}

    def map(self, fn: Callable[..., R], calls: Iterable[tuple[Any, ...]]
            ) -> Iterator[tuple[int, R]]:
        ray = self._ray
        if ray is None:
            raise RuntimeError("use the engine in a with block")
        if fn not in self._tasks:
            self._tasks[fn] = ray.remote(num_cpus=1, max_retries=RETRIES)(fn)
        task = self._tasks[fn]
        pending: dict[Any, int] = {}
        for index, args in enumerate(calls):
            pending[task.remote(*args)] = index
            if len(pending) >= 2 * self.workers:
                yield from self._collect(pending)
        while pending:
            yield from self._collect(pending)

    def _collect(self, pending: dict[Any, int]) -> Iterator[tuple[int, Any]]:
        ready, _ = self._ray.wait(list(pending), num_returns=1)
        for ref in ready:
            yield pending.pop(ref), self._ray.get(ref)
