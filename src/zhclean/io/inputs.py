"""Which files a run reads: the files named, and every file inside the folders named.

Nothing inside a folder is passed over in silence. Pages (``.txt``, ``.html``,
``.shtml``, ``.php``, ``.asp``…, also ``.gz``/``.zst``), JSONL, Parquet and WARC files
are read; a file with no suffix is read too (its reader looks at its first bytes). A
broken symbolic link, a link loop, a FIFO, socket or device is listed as well, for the
reader to report as a failed record without opening it (a FIFO would block the run
forever). Other files (``logo.png``, ``site.css``), hidden entries and links to folders
are :class:`Skipped`, with the reason. Links to files are followed, links to folders are
not (``os.walk`` semantics: a link to a parent folder must not loop forever).

A URL (``s3://bucket/crawl/``, any fsspec protocol, :mod:`zhclean.io.location`) is a
folder or a file of its store, read by the same rules: hidden names and other runs'
outputs are skipped, unknown suffixes skipped with the reason, and what the store lists
but cannot be read becomes a failed record.
"""

from __future__ import annotations

import errno
import os
import stat
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError, ZhcleanError
from .compressed import CODECS
from .location import Location, Remote, describe, is_url, location, normal_url

__all__ = ["Inputs", "Location", "Skipped", "input_size", "kind", "problem", "scan_inputs"]

PAGE_SUFFIXES = (".txt", ".html", ".htm", ".xhtml", ".shtml", ".shtm", ".php", ".asp",
                 ".aspx", ".jsp")
_MODES = ((stat.S_ISDIR, "folder"), (stat.S_ISFIFO, "FIFO"), (stat.S_ISSOCK, "socket"),
          (stat.S_ISCHR, "character device"), (stat.S_ISBLK, "block device"))


def kind(path: Location) -> str:
    """How a file is read, by its name: ``jsonl``, ``parquet``, ``warc``, ``page``,
    ``sniff`` (no suffix: its first bytes decide) or ``''`` (not an input's suffix). A
    compression suffix and a saved query string (``index.php?id=3``) do not count.

    >>> [kind(Path(n)) for n in ("a.jsonl.zst", "index.php?id=3", "README", "logo.png")]
    ['jsonl', 'page', 'sniff', '']
    """
    name = path.name.lower().split("?", 1)[0]
    for suffix in CODECS:
        name = name.removesuffix(suffix)
    if name.endswith((".jsonl", ".json")):
        return "jsonl"
    if name.endswith(".parquet"):
        return "parquet"
    if name.endswith((".warc", ".wet", ".arc")):
        return "warc"
    if name.endswith(PAGE_SUFFIXES):
        return "page"
    return "" if Path(name).suffix else "sniff"


def problem(path: Location) -> str | None:
    """Why ``path`` is not a regular file that can be read, found without opening it; None
    for a regular file.

    >>> problem(Path("/dev/null"))
    'not a regular file (character device)'
    """
    if isinstance(path, Remote):
        return path.problem()
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        if path.is_symlink():
            try:
                return f"broken symbolic link (to {os.readlink(path)})"
            except OSError:
                return "broken symbolic link"
        return "file not found"
    except OSError as err:
        if err.errno == errno.ELOOP:
            return "symbolic link loop"
        return f"cannot read: {err.strerror or err}"
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        try:
            os.scandir(path).close()
        except OSError as err:
            return f"cannot read folder: {err.strerror or err}"
    what = next((name for test, name in _MODES if test(mode)), "unknown type")
    return f"not a regular file ({what})"


def input_size(path: Location) -> int:
    """Bytes on disk of a regular file, else 0 (for progress; never raises)."""
    if isinstance(path, Remote):
        try:
            entry = path.stat()
        except Exception:  # a store's client raises its own types
            return 0
        return entry.size if entry.type == "file" else 0
    try:
        info = path.stat()
    except OSError:
        return 0
    return info.st_size if stat.S_ISREG(info.st_mode) else 0


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file inside an input folder that is not read, and why."""

    path: str
    reason: str


@dataclass(frozen=True, slots=True)
class Inputs:
    """What a run reads (``files``, in a stable order; the unreadable ones among them
    become failed records) and what it leaves alone (``skipped``)."""

    files: list[Location] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    def skipped_counts(self) -> dict[str, int]:
        """Skipped files per reason, for the manifest."""
        return dict(sorted(Counter(s.reason for s in self.skipped).items()))

    def outside(self, folder: Path) -> Inputs:
        """The inputs without what lies in ``folder`` (absolute): a run's own output
        folder, which may sit inside an input folder, is neither read nor counted."""
        return Inputs([p for p in self.files if not _inside(p, folder)],
                      [s for s in self.skipped if not _inside(location(s.path), folder)])


def scan_inputs(paths: Iterable[str]) -> Inputs:
    """The files named and the files inside the folders named.

    A named input that is missing, a broken link or not a regular file (a FIFO would
    block) is a misuse and raises :class:`InputError`; the same inside a folder is listed,
    for the reader to report as a failed record.
    """
    found: dict[str, Location] = {}  # resolved → as given: one named twice is read once
    skipped: list[Skipped] = []
    for name in paths:
        if is_url(name):
            _scan_remote(Remote(normal_url(name)), found, skipped)
            continue
        path = Path(name)
        if path.is_dir():
            _scan_folder(path, found, skipped)
            continue
        why = problem(path)
        if why == "file not found":
            raise InputError(f"input not found: {name}")
        if why is not None:
            raise InputError(f"cannot read input {name}: {why}; zhclean reads files and"
                             " folders (save a stream to a file first)")
        _add(found, path)
    local = sorted(p for p in found.values() if isinstance(p, Path))
    # URLs after the local paths, ordered as paths are: component by component
    remote = sorted((p for p in found.values() if isinstance(p, Remote)),
                    key=lambda r: r.url.split("/"))
    return Inputs([*local, *remote], sorted(skipped, key=lambda s: s.path))


def _scan_folder(top: Path, found: dict[str, Location], skipped: list[Skipped]) -> None:
    pending = [top]
    while pending:
        folder = pending.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError as err:
            if folder == top:
                raise InputError(f"cannot read folder {folder}: {err.strerror or err}"
                                 ) from err
            _add(found, folder)  # the reader reports it: a failed record, not an abort
            continue
        for entry in entries:
            path = folder / entry.name
            if entry.name.startswith("."):  # .git/, .DS_Store, macOS ._page.html forks
                skipped.append(Skipped(str(path), "hidden"))
            elif entry.is_dir(follow_symlinks=False):
                if (path / "run.json").is_file() and (path / "done").is_dir():
                    # another run's output (zhclean run crawl -o crawl/out): its shards
                    # and manifest are not pages
                    skipped.append(Skipped(str(path), "a zhclean output folder"))
                else:
                    pending.append(path)
            elif entry.is_symlink() and path.is_dir():
                skipped.append(Skipped(str(path), "symbolic link to a folder (not followed)"))
            elif kind(path):
                _add(found, path)
            else:
                suffix = Path(entry.name.lower().split("?", 1)[0]).suffix
                skipped.append(Skipped(str(path), f"not an input file ({suffix})"))


def _add(found: dict[str, Location], path: Path) -> None:
    try:
        key = str(path.resolve(strict=True))
    except (OSError, RuntimeError):  # a broken link or a loop (RuntimeError before 3.13)
        key = os.path.abspath(path)
    found.setdefault(key, path)


def _scan_remote(top: Remote, found: dict[str, Location], skipped: list[Skipped]) -> None:
    """A URL named as an input: a file is read whatever its name (as a local file named
    is), a folder (a prefix) by the rules of :func:`_scan_folder`. A URL that names
    nothing, or a store that cannot be asked, is a misuse: :class:`InputError`."""
    try:
        entry = top.stat()
    except FileNotFoundError:
        raise InputError(f"input not found: {top}") from None
    except ZhcleanError:  # no package for the protocol: what to install
        raise
    except Exception as err:  # a store's client raises its own types (botocore's)
        raise InputError(f"cannot read input {top}: {describe(err)}") from None
    if entry.type == "directory":
        _scan_remote_folder(Remote(top.url, entry), found, skipped)
    elif entry.type == "file":
        found.setdefault(top.url, Remote(top.url, entry))
    else:
        raise InputError(f"cannot read input {top}: {Remote(top.url, entry).problem()}")


def _scan_remote_folder(top: Remote, found: dict[str, Location],
                        skipped: list[Skipped]) -> None:
    pending = [top]
    while pending:
        folder = pending.pop()
        try:
            entries = folder.children()
        except ZhcleanError:
            raise
        except Exception as err:  # a store's client raises its own types (botocore's)
            if folder == top:
                raise InputError(f"cannot read folder {folder}: {describe(err)}") from None
            # the reader reports it: a failed record, not an abort
            found.setdefault(folder.url, Remote(folder.url, folder.entry,
                                                f"cannot read folder: {describe(err)}"))
            continue
        names = {entry.name: entry for entry in entries}
        if folder != top and _is_output(names):
            skipped.append(Skipped(folder.url, "a zhclean output folder"))
            continue
        for child in entries:
            info = child.stat()  # as the listing said: no request
            if child.name.startswith("."):
                skipped.append(Skipped(child.url, "hidden"))
            elif info.type == "directory" and not info.link:
                pending.append(child)
            elif info.type == "directory":
                skipped.append(Skipped(child.url, "symbolic link to a folder (not followed)"))
            elif kind(child):
                found.setdefault(child.url, child)
            else:
                suffix = Path(child.name.lower().split("?", 1)[0]).suffix
                skipped.append(Skipped(child.url, f"not an input file ({suffix})"))


def _is_output(names: dict[str, Remote]) -> bool:
    """Whether a folder's listing is another zhclean run's output (its ``run.json`` and
    ``done/``): its shards and manifest are not pages."""
    run, done = names.get("run.json"), names.get("done")
    return (run is not None and run.stat().type == "file"
            and done is not None and done.stat().type == "directory")


def _inside(path: Location, folder: Path) -> bool:
    """Whether an input lies in ``folder``; a remote one only through ``file://``."""
    local = path.local if isinstance(path, Remote) else path
    return local is not None and local.is_relative_to(folder)
