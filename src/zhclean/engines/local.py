"""The local engine: ``run_shard`` over a process pool (or in this process, with one
worker). At most one shard more than there are workers is in flight, so memory stays
flat however large the corpus; a worker that dies ends the run (``--resume`` redoes the
shards in flight), and workers die with their parent."""

from __future__ import annotations

import signal
import sys
from collections.abc import Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from ..io.records import RawRecord
from ..job.config import RunConfig
from ..job.plan import Shard
from ..job.run import ShardDone
from ..job.shard import run_shard
from ..process import process

__all__ = ["LocalEngine"]


class LocalEngine:
    def __init__(self, workers: int) -> None:
        self.workers = workers

    def map_shards(self, config: RunConfig, shards: Iterable[Shard], done: set[str],
                   session: float, shard_done: ShardDone) -> None:
        if self.workers <= 1:
            for shard in shards:
                marker = None if shard.name in done else run_shard(config, shard, session)
                shard_done(marker, shard.consumed)
            return
        window = self.workers + 1  # shards in flight: bounds memory, keeps workers busy
        # one record first, so that forked workers share the loaded tables
        process(RawRecord("warm-up", "<p>载入。</p>"), config.options)
        pool = ProcessPoolExecutor(max_workers=self.workers, initializer=_worker_setup)
        pending: dict[Future[dict[str, Any]], int] = {}
        try:
            for shard in shards:
                if shard.name in done:
                    shard_done(None, shard.consumed)
                    continue
                pending[pool.submit(run_shard, config, shard, session)] = shard.consumed
                if len(pending) >= window:
                    finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                    for future in finished:
                        shard_done(future.result(), pending.pop(future))
            for future, consumed in pending.items():
                shard_done(future.result(), consumed)
        except BrokenProcessPool:
            # A dead worker: the pool has ended its other workers already. Wait for its
            # manager thread, which the interpreter's exit hook would otherwise race and
            # print a traceback over the message (CPython 3.11's concurrent.futures).
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        except BaseException:
            # Ctrl-C, a full disk: stop at once; the shards in flight are redone by
            # --resume (workers die with the parent, see _worker_setup).
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown()


def _worker_setup() -> None:
    """Workers leave Ctrl-C to the parent (one message, not a traceback per worker) and,
    on Linux, are killed when their parent dies (kill -9 leaves no orphans that could
    still commit shards beside a resumed run)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
