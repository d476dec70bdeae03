"""Where an input lives: a local :class:`~pathlib.Path`, or a :class:`Remote` file named
by an fsspec URL (``s3://bucket/crawl/a.warc.gz``, ``gs://…``, ``hdfs://…``,
``file:///data/crawl``), so that a run reads object storage directly: the driver lists
and reads it as it reads local files, and the workers of a cluster fetch their ranges of
a plain JSONL file themselves.

Local paths stay ``Path``: they are read as before, with the operating system's rules
(links, FIFOs) and at its speed, and never import fsspec. A URL is read through fsspec,
imported only when a URL is met. A folder's listing keeps each file's size and version,
so a run asks the store once per folder, not once per file.

Outputs stay local (or on a mounted, shared file system): a shard is committed by a
rename, which object stores do not have.
"""

from __future__ import annotations

import errno
import io
import os
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ..errors import InputError, UsageError

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

__all__ = ["Entry", "Location", "Remote", "check_output", "describe", "is_url", "location",
           "normal_url"]

_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]+://")
# A Path folds the two slashes of "s3://" into one: an output given as a Path still
# shows its scheme as "s3:/".
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]+:/")
_BUFFER = 1 << 20  # bytes a remote read asks for at least: a request per line would crawl
# What a store's listing says changes when an object does, in the order tried: S3's and
# GCS's ETag, GCS's generation, a file system's mtime, the dates others give.
_VERSION_KEYS = ("ETag", "etag", "generation", "md5Hash", "mtime", "LastModified",
                 "last_modified", "updated", "modified", "created")


def is_url(name: str) -> bool:
    """Whether an input is named by a URL (``scheme://…``) rather than a local path.

    >>> is_url("s3://bucket/crawl"), is_url("file:///data"), is_url("crawl/a:b.html")
    (True, True, False)
    """
    return _URL.match(name) is not None


def normal_url(url: str) -> str:
    """One spelling of a URL, as :func:`~zhclean.io.outfolder.absolute` gives one of a
    path: the scheme in lower case, no doubled or trailing slash, and a ``file://`` path
    made absolute. Records are named by it, so a resumed run names them alike.

    >>> normal_url("S3://bucket//crawl/"), normal_url("memory://bucket/")
    ('s3://bucket/crawl', 'memory://bucket')
    """
    scheme, _, rest = url.partition("://")
    scheme = scheme.lower()
    if scheme in ("file", "local"):
        return f"{scheme}://{os.path.normpath(os.path.abspath(rest or '/'))}"
    lead = "/" if rest.startswith("/") else ""
    body = posixpath.normpath(rest.lstrip("/")) if rest.strip("/") else ""
    return f"{scheme}://{lead}{'' if body == '.' else body}"


def check_output(out: str | Path) -> None:
    """Refuse an output folder named by a URL: shards are committed by renaming files,
    which object stores cannot do.

    >>> check_output(Path("s3://bucket/out"))
    Traceback (most recent call last):
    ...
    zhclean.errors.UsageError: output must be a local or mounted folder (a shared file \
system on a cluster); remote outputs are not supported yet: s3://bucket/out
    """
    name = str(out)
    if _SCHEME.match(name):
        shown = name if is_url(name) else name.replace(":/", "://", 1)
        raise UsageError("output must be a local or mounted folder (a shared file system on"
                         f" a cluster); remote outputs are not supported yet: {shown}")


@dataclass(frozen=True, slots=True)
class Entry:
    """What a store says of one name: its ``type`` (``file``, ``directory``, ``missing``
    for a broken link, ``loop`` for a link loop, ``cannot read: …`` for a link that
    could not be followed, or the store's own word for anything else), its size, what
    changes when it does (``version``), and whether it is a symbolic link (to
    ``target``)."""

    type: str
    size: int = 0
    version: str = ""
    link: bool = False
    target: str | None = None


@dataclass(frozen=True, slots=True)
class Remote:
    """A file or folder named by an fsspec URL. ``entry`` is what a listing said of it
    (asked of the store when it is None); ``error`` why a folder could not be listed.
    Two are equal when their URLs are."""

    url: str
    entry: Entry | None = field(default=None, compare=False, repr=False)
    error: str | None = field(default=None, compare=False)

    def __str__(self) -> str:
        return self.url

    @property
    def name(self) -> str:
        return self.url.rstrip("/").rsplit("/", 1)[-1]

    @property
    def suffix(self) -> str:
        return posixpath.splitext(self.name)[1]

    @property
    def local(self) -> Path | None:
        """The local path of a ``file://`` URL, else None."""
        scheme, _, rest = self.url.partition("://")
        return Path(rest) if scheme in ("file", "local") else None

    def stat(self) -> Entry:
        """The listing's entry, or the store's answer now (raises as the store does)."""
        if self.entry is not None:
            return self.entry
        fs, path = _filesystem(self.url)
        return _entry(fs.info(path))

    def problem(self) -> str | None:
        """Why this is not a file that can be read; None for a file (see
        :func:`zhclean.io.inputs.problem`)."""
        if self.error is not None:
            return self.error
        try:
            entry = self.stat()
        except FileNotFoundError:
            return "file not found"
        except Exception as err:  # a store's client raises its own types (botocore's)
            return f"cannot read: {describe(err)}"
        if entry.type == "file":
            return None
        if entry.type == "missing":
            return "broken symbolic link" + (f" (to {entry.target})" if entry.target else "")
        if entry.type == "loop":
            return "symbolic link loop"
        if entry.type.startswith("cannot read"):
            return entry.type
        return f"not a regular file ({entry.type})"

    def children(self) -> list[Remote]:
        """What this folder holds, one level down, with what the listing says of each (a
        link is followed once, to tell a link to a file from one to a folder)."""
        fs, path = _filesystem(self.url)
        here = path.rstrip("/")
        base = self.url if self.url.endswith("://") else self.url.rstrip("/") + "/"
        found = []
        for info in fs.ls(path, detail=True):
            name = str(info["name"]).rstrip("/")
            child = name.rsplit("/", 1)[-1]
            if not child or name == here:  # a store's marker object for the folder itself
                continue
            entry = _entry(info)
            if entry.link:
                entry = _followed(fs, name, entry)
            found.append(Remote(base + child, entry))
        return found

    def open(self, mode: str = "rb") -> IO[bytes]:
        """The file's bytes, buffered and seekable; a failure to read raises
        :class:`InputError` naming the URL."""
        if mode != "rb":
            raise ValueError(f"inputs are only read (mode 'rb', not {mode!r})")
        fs, path = _filesystem(self.url)
        try:
            raw = fs.open(path, "rb")
        except Exception as err:
            raise InputError(f"cannot read {self.url}: {describe(err)}") from err
        return io.BufferedReader(_Stream(raw, self.url), _BUFFER)

    def read_range(self, start: int, end: int) -> bytes:
        """Bytes ``[start, end)`` in one ranged request (a worker's slice of a file: an
        open file would read ahead a store's whole block size)."""
        fs, path = _filesystem(self.url)
        try:
            return bytes(fs.cat_file(path, start=start, end=end))
        except Exception as err:
            raise InputError(f"cannot read {self.url}: {describe(err)}") from err


Location = Path | Remote


def location(name: str) -> Location:
    """An input by its name: a :class:`Remote` for a URL, else a local ``Path``."""
    return Remote(normal_url(name)) if is_url(name) else Path(name)


def describe(err: BaseException) -> str:
    """A store's error on one line: some clients put a page of diagnostics in theirs.

    >>> describe(FileNotFoundError("bucket/key")), describe(OSError("a\\nlong story"))
    ('file not found', 'a')
    >>> describe(PermissionError("Access Denied")), describe(PermissionError(13, "Denied"))
    ('permission denied (Access Denied)', 'permission denied (Denied)')
    """
    if isinstance(err, FileNotFoundError):
        return "file not found"
    lines = str(err).strip().splitlines()
    text = str(getattr(err, "strerror", None) or (lines[0] if lines else type(err).__name__))
    if isinstance(err, PermissionError) and text.lower() != "permission denied":
        return f"permission denied ({text})"  # S3's "Access Denied", say
    return text


class _Stream(io.RawIOBase):
    """An fsspec file as a raw stream for ``io.BufferedReader``: fsspec's own line reading
    asks its block size (50 MB on S3) for every line. Whatever the store's client raises
    becomes an :class:`InputError` naming the URL."""

    def __init__(self, raw: Any, url: str) -> None:
        super().__init__()
        self._raw, self._url = raw, url

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        target = memoryview(buffer).cast("B")
        data = self._call(self._raw.read, len(target))
        target[:len(data)] = data
        return len(data)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return int(self._call(self._raw.seek, offset, whence))

    def tell(self) -> int:
        return int(self._call(self._raw.tell))

    def close(self) -> None:
        if not self.closed:
            try:
                self._raw.close()
            finally:
                super().close()

    def _call(self, method: Any, *args: Any) -> Any:
        try:
            return method(*args)
        except Exception as err:
            raise InputError(f"cannot read {self._url}: {describe(err)}") from err


def _filesystem(url: str) -> tuple[Any, str]:
    """The fsspec file system for a URL and the path inside it; a protocol that fsspec
    or its implementation is missing for is a :class:`UsageError` that names what to
    install."""
    scheme = url.partition("://")[0]
    try:
        from fsspec.core import url_to_fs
    except ImportError:
        raise UsageError(f"reading {url} needs fsspec: pip install 'zhclean[remote]'"
                         ) from None
    try:
        return url_to_fs(url)  # type: ignore[no-any-return]
    except ImportError as err:  # fsspec's message names the package ("Install s3fs…")
        raise UsageError(f"reading {scheme}:// needs a package that is not installed:"
                         f" {describe(err)} (pip install 'zhclean[remote]' brings s3fs"
                         " for s3://)") from None
    except ValueError as err:
        if "Protocol not known" not in str(err):
            raise
        raise UsageError(f"unknown protocol {scheme}:// in {url}: fsspec has no file"
                         " system of that name") from None


def _entry(info: dict[str, Any]) -> Entry:
    version = next((str(info[key]) for key in _VERSION_KEYS if info.get(key) is not None),
                   "")
    return Entry(str(info.get("type") or "file"), int(info.get("size") or 0), version,
                 bool(info.get("islink")), info.get("destination"))


def _followed(fs: Any, name: str, link: Entry) -> Entry:
    """A link's entry as its target's, still marked a link; ``missing`` when broken."""
    try:
        target = _entry(fs.info(name))
    except FileNotFoundError:
        return Entry("missing", link=True, target=link.target)
    except OSError as err:
        what = "loop" if err.errno == errno.ELOOP else f"cannot read: {describe(err)}"
        return Entry(what, link=True, target=link.target)
    return Entry(target.type, target.size, target.version, True, link.target)
