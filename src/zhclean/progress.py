"""Progress bars on standard error, for every stage of a run (rich), when it is a terminal.

>>> with Progress("dedup: signatures", total=3, enabled=False) as bar:
...     bar.advance()
>>> bar.done
1
"""

from __future__ import annotations

import sys
from typing import Any

__all__ = ["Progress"]


class Progress:
    """One stage's bar: ``total`` units (shards, bytes), time remaining, and a label that
    the stage may update as it goes. Disabled, it only counts."""

    def __init__(self, label: str, total: int | None, enabled: bool = True) -> None:
        self.label, self.total, self.done = label, total, 0
        self.enabled = enabled and sys.stderr.isatty()
        self._bar: Any = None

    def __enter__(self) -> Progress:
        if self.enabled:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                TaskProgressColumn,
                TextColumn,
                TimeRemainingColumn,
            )
            from rich.progress import Progress as Bar

            # no refresh thread: the local engine forks workers, and a fork should not
            # copy a running thread
            self._bar = Bar(TextColumn("{task.description}"), BarColumn(),
                            TaskProgressColumn(), TimeRemainingColumn(), transient=True,
                            auto_refresh=False, console=Console(stderr=True))
            self._bar.start()
            self._task = self._bar.add_task(self.label, total=self.total or None)
        return self

    def advance(self, amount: int = 1, label: str | None = None) -> None:
        self.done += amount
        if label is not None:
            self.label = label
        if self._bar is not None:
            self._bar.update(self._task, advance=amount, description=self.label)
            self._bar.refresh()

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()
