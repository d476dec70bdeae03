"""A run's output folder as the user meets it: one job at a time (a lock), and the
operating system's errors turned into what to do about them.

Readers turn a bad input into a failed record, so an error that reaches here is about
the machine: a full disk, a folder that cannot be written, a worker the system killed,
Ctrl-C. Each becomes one :mod:`zhclean.errors` exception with a one-line message; the
finished shards stay, and ``--resume`` goes on from them.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
from collections.abc import Iterable, Iterator
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from ..errors import InputError, Interrupted, OutputError, UsageError, ZhcleanError
from .location import is_url, normal_url

__all__ = ["absolute", "guarded", "locked"]

# Errors of the machine, not of one path: a full disk or quota wherever it strikes
# (the output, or the dedup stage's temporary folder).
_NO_SPACE = (errno.ENOSPC, errno.EDQUOT)


def absolute(path: str | Path) -> str:
    """One spelling of a path: ``in/``, ``./in`` and ``/abs/in`` give the same string; a
    URL is left a URL (:func:`~zhclean.io.location.normal_url`)."""
    if isinstance(path, str) and is_url(path):
        return normal_url(path)
    return os.path.normpath(os.path.abspath(path))


@contextlib.contextmanager
def guarded(out: Path, inputs: Iterable[str] = ()) -> Iterator[None]:
    """Turn what stops a job into one :class:`ZhcleanError` that says what to do."""
    try:
        yield
    except ZhcleanError:
        raise
    except KeyboardInterrupt:
        raise Interrupted(f"interrupted; finished shards are kept in {out}: run the same"
                          " command with --resume to finish") from None
    except BrokenProcessPool as err:
        raise OutputError(f"a worker process died (out of memory, or killed): {err};"
                          " run the same command with --resume, with fewer --workers"
                          " or a smaller --shard-size if memory is short") from None
    except MemoryError:
        raise OutputError("out of memory; run the same command with --resume and a smaller"
                          " --shard-size or fewer --workers") from None
    except OSError as err:
        raise os_error(err, out, inputs) from None


def os_error(err: OSError, out: Path, inputs: Iterable[str] = ()) -> ZhcleanError:
    """An operating-system error as the user's next step: an input that could not even be
    opened is an :class:`InputError`; a full disk, and anything else, the output's."""
    name = absolute(str(err.filename)) if err.filename else None
    if name and err.errno not in _NO_SPACE and any(
            Path(name).is_relative_to(absolute(i)) for i in inputs) and not Path(
            name).is_relative_to(absolute(out)):
        return InputError(f"cannot read {err.filename}: {err.strerror or err}")
    where = err.filename or out
    if err.errno in _NO_SPACE:
        return OutputError(f"no space left on the device while writing {where}; free some"
                           " space and run the same command with --resume")
    if err.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return OutputError(f"cannot write {where}: {err.strerror}; choose an output folder"
                           " you can write to")
    return OutputError(f"cannot write {where}: {err.strerror or err}")


@contextlib.contextmanager
def locked(out: Path) -> Iterator[None]:
    """Hold ``OUT/.lock`` while a job writes the folder: a second run (even a
    ``--resume``, or ``zhclean dedup``) is refused instead of deleting the first one's
    temporary files. The kernel drops the lock when the process dies, so ``kill -9``
    leaves no stale lock."""
    if out.exists() and not out.is_dir():
        raise UsageError(f"output {out} is a file; give a folder (new, or --resume)")
    try:
        out.mkdir(parents=True, exist_ok=True)
        handle = (out / ".lock").open("a+")
    except OSError as err:
        raise os_error(err, out) from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "?"
            raise UsageError(f"another zhclean run (pid {holder}) is using {out}; wait for it"
                             " to end, or choose another output folder") from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield
