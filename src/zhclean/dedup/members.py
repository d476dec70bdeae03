"""What deduplication keeps of each record, in a few bytes a record: the digest and the
length in memory, the strings (key, id, site, source, published) in a file beside the
signatures, read back only for records that have copies."""

from __future__ import annotations

import json
import os
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["Member", "MemberStore"]

DIGEST = 16  # bytes of a normalised text's digest


@dataclass(frozen=True, slots=True)
class Member:
    """One record as deduplication sees it (its text is not kept)."""

    key: str  # unique per record, even where ids repeat
    id: str
    digest: bytes  # of the normalised text: exact copies share it
    site: str | None
    source: str | None
    published: str | None
    length: int  # of the normalised text


class MemberStore:
    """Members appended as records stream by, numbered in that order."""

    def __init__(self, folder: Path) -> None:
        self._path = folder / "members.jsonl"
        self._file = self._path.open("wb")
        self.digests = bytearray()
        self.lengths = array("q")
        self._offsets = array("q", [0])
        self._fd: int | None = None

    def __len__(self) -> int:
        return len(self.lengths)

    def add(self, member: Member) -> None:
        line = json.dumps([member.key, member.id, member.site, member.source,
                           member.published], ensure_ascii=False).encode("utf-8",
                                                                         "surrogatepass")
        self._file.write(line + b"\n")
        self._offsets.append(self._offsets[-1] + len(line) + 1)
        self.digests += member.digest
        self.lengths.append(member.length)

    def close_writing(self) -> None:
        self._file.close()
        self._fd = os.open(self._path, os.O_RDONLY)

    def digest(self, index: int) -> bytes:
        return bytes(self.digests[DIGEST * index:DIGEST * (index + 1)])

    def digest_array(self) -> np.ndarray[Any, np.dtype[np.uint64]]:
        """Every digest as two 64-bit words (records × 2), for finding exact copies."""
        return np.frombuffer(bytes(self.digests), dtype=np.uint64).reshape(-1, 2)

    def member(self, index: int) -> Member:
        assert self._fd is not None, "close_writing() first"
        start, end = self._offsets[index], self._offsets[index + 1]
        key, record_id, site, source, published = json.loads(
            os.pread(self._fd, end - start, start).decode("utf-8", "surrogatepass"))
        return Member(key, record_id, self.digest(index), site, source, published,
                      self.lengths[index])

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
