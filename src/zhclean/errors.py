"""The one exception hierarchy of zhclean.

A bad *record* is data (a failed row with its error), never an exception. These are
for misuse: a missing file, an unknown option, bytes that no encoding explains.
"""

from __future__ import annotations

__all__ = ["DecodeError", "InputError", "UsageError", "ZhcleanError"]


class ZhcleanError(Exception):
    """Base class: every error zhclean raises on purpose."""


class UsageError(ZhcleanError, ValueError):
    """An option or argument that zhclean cannot honour; the message says what works."""


class InputError(ZhcleanError, OSError):
    """An input that cannot be read (missing, a directory, unreadable)."""


class DecodeError(ZhcleanError, UnicodeError):
    """Bytes that none of the supported encodings decodes."""
