"""The local engine: calls over a process pool (or in this process, with one worker).

At most one call more than there are workers is in flight, so memory stays flat however
many calls there are; a worker that dies ends the run (``--resume`` redoes the shards in
flight), and workers die with their parent. One pool serves the whole run (the main
stage and the corpus stages), forked once the tables are loaded, so that workers share
them instead of loading their own."""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

__all__ = ["LocalEngine"]

R = TypeVar("R")


class LocalEngine:
    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> LocalEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            # Ctrl-C or an error: stop at once (workers die with the parent, see
            # _worker_setup); the calls in flight are redone by --resume.
            self._pool.shutdown(wait=exc[0] is None, cancel_futures=True)
            self._pool = None

    def map(self, fn: Callable[..., R], calls: Iterable[tuple[Any, ...]]
            ) -> Iterator[tuple[int, R]]:
        if self.workers <= 1:
            for index, args in enumerate(calls):
                yield index, fn(*args)
            return
        pool = self._started()
        window = self.workers + 1  # calls in flight: bounds memory, keeps workers busy
        pending: dict[Future[R], int] = {}
        try:
            for index, args in enumerate(calls):
                pending[pool.submit(fn, *args)] = index
                if len(pending) >= window:
                    finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                    for future in finished:
                        yield pending.pop(future), future.result()
            while pending:
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    yield pending.pop(future), future.result()
        except BrokenProcessPool:
            # A dead worker: the pool has ended its other workers already. Wait for its
            # manager thread, which the interpreter's exit hook would otherwise race and
            # print a traceback over the message (CPython 3.11's concurrent.futures).
            pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
            raise

    def _started(self) -> ProcessPoolExecutor:
        if self._pool is None:
            from ..io.records import RawRecord
            from ..process import process

            process(RawRecord("warm-up", "<p>载入。</p>"))  # load the tables, then fork
            self._pool = ProcessPoolExecutor(max_workers=self.workers,
                                             initializer=_worker_setup)
        return self._pool


def _worker_setup() -> None:
    """Workers leave Ctrl-C to the parent (one message, not a traceback per worker) and,
    on Linux, are killed when their parent dies (kill -9 leaves no orphans that could
    still commit shards beside a resumed run)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
