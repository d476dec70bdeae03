"""The one exception hierarchy of zhclean, and the exit codes of its command line.

A bad *record* is data (a failed row with its error), never an exception. These are
for misuse (a missing file, an unknown option, bytes that no encoding explains) and for
an environment that stops a run (a full disk, an output folder that cannot be written,
Ctrl-C). Each message is one line that says what to do.
"""

from __future__ import annotations

__all__ = ["EXIT_CODES", "DecodeError", "InputError", "Interrupted", "OutputError",
           "UsageError", "ZhcleanError"]


class ZhcleanError(Exception):
    """Base class: every error zhclean raises on purpose."""


class UsageError(ZhcleanError, ValueError):
    """An option or argument that zhclean cannot honour; the message says what works."""


class InputError(ZhcleanError, OSError):
    """An input that cannot be read (missing, a directory, unreadable)."""


class DecodeError(ZhcleanError, UnicodeError):
    """Bytes that none of the supported encodings decodes."""


class OutputError(ZhcleanError, OSError):
    """The output cannot be written (a full disk, no permission, a dead worker); finished
    shards are kept and ``--resume`` goes on from them."""


class Interrupted(ZhcleanError):
    """The run was interrupted (Ctrl-C); ``--resume`` finishes it."""


# The command line's exit status for each error (0: done; 1: the run read no record).
EXIT_CODES: dict[type[ZhcleanError], int] = {UsageError: 2, InputError: 2, DecodeError: 2,
                                            OutputError: 3, Interrupted: 130}
