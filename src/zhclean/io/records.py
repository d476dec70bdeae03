"""What readers yield: a raw record to process, or a failure to report."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Failure", "RawRecord"]


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One page as it came: bytes or text, with the id, url and charset the input gave."""

    id: str
    data: bytes | str
    url: str | None = None
    charset: str | None = None  # from an HTTP header, when the input had one


@dataclass(frozen=True, slots=True)
class Failure:
    """A record (or the rest of a file) that could not be read, and why."""

    id: str
    error: str
