"""Compressed inputs (gzip, zstd) as a stream that knows whether the file was cut off.

``gzip.open`` reports a truncated file only as an ``EOFError`` (losing the lines it had
just decoded), and zstandard's stream reader not at all: a one-frame ``dump.jsonl.zst``
cut in half reads as an empty file. :class:`Unpacked` decompresses member after member
(frame after frame) and, at the end, says whether the last one was left unfinished.
"""

from __future__ import annotations

import io
import zlib
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

    from .location import Location

__all__ = ["Unpacked", "compression", "open_input", "read_all", "tail_truncation", "truncation"]

CODECS = {".gz": "gzip", ".zst": "zstd"}
_CHUNK = 1 << 16  # compressed bytes fed at a time
_MAX_OUT = 1 << 22  # decompressed bytes per gzip step: bounds memory on a gzip bomb


def compression(path: Location) -> str | None:
    """``'gzip'`` or ``'zstd'`` by the file's suffix, else None.

    >>> from pathlib import Path
    >>> compression(Path("dump.jsonl.zst")), compression(Path("page.html"))
    ('zstd', None)
    """
    return CODECS.get(path.suffix.lower())


class Unpacked(io.RawIOBase):
    """The decompressed bytes of a gzip or zstd stream, all members (frames) in turn.

    Reading never raises at the end of the input: :attr:`truncation` then says whether
    the last member was cut off. Corrupt data raises (``zlib.error``, ``ZstdError``).

    >>> data = zlib.compress("第一行\\n".encode(), wbits=31)
    >>> whole = Unpacked(io.BytesIO(data), "gzip")
    >>> whole.read().decode(), whole.truncation
    ('第一行\\n', None)
    >>> cut = Unpacked(io.BytesIO(data[:-3]), "gzip")
    >>> cut.read().decode(), cut.truncation
    ('第一行\\n', 'truncated gzip file: it ends inside a compressed member')
    """

    def __init__(self, raw: IO[bytes], codec: str) -> None:
        super().__init__()
        self._raw, self.codec = raw, codec
        self._member: Any = None  # the decompressor of the member being read
        self._input = b""  # compressed bytes not yet fed to it
        self._output = memoryview(b"")
        self._ended = False
        self._cut = False

    @property
    def truncation(self) -> str | None:
        """The error to report when the stream ended inside a member, else None."""
        if not self._cut:
            return None
        unit = "compressed member" if self.codec == "gzip" else "frame"
        return f"truncated {self.codec} file: it ends inside a {unit}"

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        while not self._output:
            if not self._step():
                return 0
        target = memoryview(buffer).cast("B")
        size = min(len(target), len(self._output))
        target[:size] = self._output[:size]
        self._output = self._output[size:]
        return size

    def close(self) -> None:
        self._raw.close()
        super().close()

    def _step(self) -> bool:
        """Decompress a little more; False at the end of the input."""
        if self._ended:
            return False
        if not self._input:
            self._input = self._raw.read(_CHUNK)
            if not self._input:
                self._ended, self._cut = True, self._member is not None
                return False
        if self._member is None:
            if self.codec == "gzip":
                # gzip allows zero padding after the last member (gzip.open skips it too)
                self._input = self._input.lstrip(b"\0")
                if not self._input:
                    return True
            self._member = _decompressor(self.codec)
        member = self._member
        if self.codec == "gzip":
            out = member.decompress(self._input, _MAX_OUT)
            self._input = member.unconsumed_tail
        else:
            out = member.decompress(self._input)
            self._input = b""
        if member.eof:  # the member is whole: what follows starts the next one
            self._input = member.unused_data + self._input
            self._member = None
        self._output = memoryview(out)
        return True


def _decompressor(codec: str) -> Any:
    if codec == "gzip":
        return zlib.decompressobj(wbits=31)  # gzip wrapper: checks the CRC and length too
    import zstandard

    return zstandard.ZstdDecompressor().decompressobj()


def open_input(path: Location) -> IO[bytes]:
    """The file's bytes, decompressed by its suffix (see :func:`truncation`)."""
    raw = path.open("rb")
    codec = compression(path)
    if codec is None:
        return raw
    return io.BufferedReader(Unpacked(raw, codec), _CHUNK)


def truncation(stream: IO[bytes]) -> str | None:
    """After reading ``stream`` (from :func:`open_input`) to its end: the error to report
    if the file was cut off inside a compressed member, else None."""
    raw = getattr(stream, "raw", stream)
    return raw.truncation if isinstance(raw, Unpacked) else None


def read_all(path: Location) -> tuple[bytes, str | None]:
    """All of a file's (decompressed) bytes, and its truncation error if it has one."""
    with open_input(path) as stream:
        data = stream.read()
        return data, truncation(stream)


def tail_truncation(path: Location, start: int, codec: str) -> str | None:
    """Whether the compressed members from byte ``start`` of ``path`` to its end are cut
    off (the decompressed bytes are read and dropped)."""
    with path.open("rb") as raw:
        raw.seek(start)
        unpacked = Unpacked(raw, codec)
        while unpacked.read(_CHUNK * 16):
            pass
        return unpacked.truncation
