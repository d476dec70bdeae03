"""The output folder's bookkeeping: the job recorded in ``run.json`` (a used folder is
only resumed, and only with the same job), the shards already committed, and
``manifest.json`` made from the shards' markers."""

from __future__ import annotations

import json
import sys
from collections import Counter
from typing import Any

from .._version import __version__
from ..errors import UsageError
from ..io.location import Location, Remote
from ..io.outfolder import absolute
from ..io.writers import atomic_write
from .config import RunConfig
from .plan import SHARD_BYTES
from .shard import OUTCOMES

__all__ = ["committed", "input_stamp", "manifest", "prepare"]


def prepare(config: RunConfig, paths: list[Location]) -> None:
    """Refuse to mix runs: a used folder is only resumed, and only with the same job."""
    recorded = config.out / "run.json"
    # What decides the output: the options, each input's size and modification time (a
    # file that changed would be cut into other shards), how shards are cut, the version.
    description = json.loads(json.dumps({  # as JSON sees it: tuples become lists
        "config": config.describe(), "inputs": [absolute(str(p)) for p in paths],
        "files": {absolute(str(p)): input_stamp(p) for p in paths}, "shard_bytes": SHARD_BYTES,
        "version": __version__}))
    if recorded.exists():
        if not config.resume:
            raise UsageError(f"{config.out} holds an earlier run; pass --resume to finish it,"
                             " or choose a new output folder")
        earlier = json.loads(recorded.read_text(encoding="utf-8"))
        if earlier != description:
            raise UsageError(f"{config.out} holds a run with other inputs or options, so it"
                             f" cannot be resumed with these: {_difference(earlier, description)}")
        for partial in config.out.rglob(".*.tmp-*"):  # writes a kill cut short
            partial.unlink()
        return
    if any(p.name != ".lock" for p in config.out.iterdir()):
        raise UsageError(f"{config.out} is not empty; choose a new output folder")
    atomic_write(recorded, json.dumps(description, ensure_ascii=False, indent=1).encode())
    (config.out / "kept").mkdir()  # an empty corpus is still a run


def committed(config: RunConfig) -> set[str]:
    """The shards whose completion marker is written: a resumed run skips them."""
    return {p.stem for p in (config.out / "done").glob("*.json")}


def input_stamp(path: Location) -> list[int | str]:
    """What changes when an input does: its size and time (a URL's size and version)."""
    if isinstance(path, Remote):  # as the listing said: its size and ETag (or mtime…)
        try:
            entry = path.stat()
        except Exception:  # a store's client raises its own types
            return [-1, -1]
        return [entry.size, entry.version]
    try:
        status = path.stat()
    except OSError:  # a broken link: read (and reported) as a failed record
        return [-1, -1]
    return [status.st_size, status.st_mtime_ns]


def _difference(earlier: dict[str, Any], now: dict[str, Any]) -> str:
    """What differs between two job descriptions, in a few words."""
    said = []
    before, after = set(earlier.get("inputs", [])), set(now["inputs"])
    if before - after:
        said.append(f"inputs no longer given or found: {', '.join(sorted(before - after)[:3])}")
    if after - before:
        said.append(f"new inputs: {', '.join(sorted(after - before)[:3])}")
    old_files, new_files = earlier.get("files", {}), now["files"]
    changed = sorted(f for f in before & after if old_files.get(f) != new_files.get(f))
    if changed:
        said.append(f"inputs changed since the run began: {', '.join(changed[:3])}")
    for key in ("shard_bytes", "version"):
        if earlier.get(key) != now[key]:
            said.append(f"{key} was {earlier.get(key)!r}, now {now[key]!r}")
    old, new = earlier.get("config", {}), now["config"]
    for key in sorted(set(old) | set(new)):
        if key != "inputs" and old.get(key) != new.get(key):
            said.append(f"{key} was {old.get(key)!r}, now {new.get(key)!r}")
    return "; ".join(said) or "the recorded job differs"


def manifest(config: RunConfig, paths: list[Location], workers: int) -> dict[str, Any]:
    """The main stage's manifest, from the committed shards' markers."""
    markers = [json.loads(p.read_text(encoding="utf-8"))
               for p in sorted((config.out / "done").glob("*.json"))]
    totals = {key: sum(m[key] for m in markers) for key in ("read", *OUTCOMES, "bytes")}
    reasons: Counter[str] = Counter()
    for marker in markers:
        reasons.update(marker["reasons"])
    # Wall time of every session that worked on the job (a killed one counts up to its
    # last committed shard), so a resumed run reports the whole job, not its last part.
    sessions: dict[float, float] = {}
    for marker in markers:
        start = marker.get("session", marker.get("finished", 0.0))
        sessions[start] = max(sessions.get(start, start), marker.get("finished", start))
    seconds = sum(end - start for start, end in sessions.items())
    import numpy
    import selectolax

    return {
        "read": totals["read"], "kept": totals["kept"], "rejected": totals["rejected"],
        "failed": totals["failed"], "reasons": dict(sorted(reasons.items())),
        "inputs": [str(p) for p in paths], "shards": len(markers),
        "format": config.format, "config": config.describe(),
        "versions": {"zhclean": __version__, "python": sys.version.split()[0],
                     "numpy": numpy.__version__, "selectolax": selectolax.__version__},
        "timings": {"seconds": round(seconds, 3), "sessions": len(sessions),
                    "shard_seconds": round(sum(m.get("seconds", 0) for m in markers), 3),
                    "mb_per_second": round(totals["bytes"] / 1e6 / max(seconds, 1e-9), 2),
                    "workers": workers},
    }
