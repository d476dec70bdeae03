"""The refilter stage: the run's filters again, over the kept records, after site
chrome has stripped lines from them. A page whose body was mostly its site's slogans
and footers passes the filters as crawled, and is too short once they are gone: it moves
to the rejected records, with its reason, instead of staying kept with what is left.

The rejected go to ``rejected/SHARD.refilter.jsonl`` (written before the kept shard is
rewritten without them, and merged on a resumed run, so a kill at any moment loses and
duplicates nothing). The filters are the run's own, as ``run.json`` recorded them. The
manifest's ``kept``, ``rejected`` and ``reasons`` then count the records where they are
now: the main stage's counts (from the shards' markers) with the stage's moves.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from ..article import Article
from ..filters import FilterConfig, check
from ..io.writers import atomic_write, read_kept, rewrite_kept, update_manifest
from .passes import StageFolder, Write, each_kept_shard

__all__ = ["Refilter", "RefilterSettings"]


@dataclass(frozen=True, slots=True)
class RefilterSettings:
    """None: the filters are the run's ([filters])."""

    def check(self) -> None:
        pass


class Refilter:
    name = "refilter"
    help = "filter again the records that site chrome shortened"
    settings = RefilterSettings
    columns: Mapping[str, pa.DataType] = {}

    def run(self, out: Path, settings: RefilterSettings, engine: Any, progress: bool
            ) -> dict[str, Any]:
        recorded = json.loads((out / "run.json").read_text(encoding="utf-8"))
        filters = FilterConfig.from_dict(recorded["config"]["options"]["filters"])
        folder = StageFolder(out, self.name, recorded["config"]["options"]["filters"])
        found = each_kept_shard(engine, folder, "filter", _refilter_shard,
                                lambda _: (filters,), progress)
        # every rejection so far, this session's and a killed one's
        reasons: Counter[str] = Counter()
        for path in sorted((out / "rejected").glob("*.refilter.jsonl")):
            for line in path.read_text(encoding="utf-8").splitlines():
                reasons[json.loads(line)["reason"]] += 1
        section = {"records_checked": sum(r["checked"] for r in found.values()),
                   "rejected": sum(reasons.values()), "reasons": dict(sorted(reasons.items()))}
        _recount(out, reasons)
        update_manifest(out, self.name, section)
        return section

    def summary(self, section: dict[str, Any], out: Path) -> str:
        reasons = ", ".join(f"{k} {v}" for k, v in section["reasons"].items()) or "none"
        return (f"refilter: {section['rejected']} records rejected once site chrome was"
                f" gone ({reasons}) -> {out}/rejected/*.refilter.jsonl")


_FIELDS = frozenset(f.name for f in dataclasses.fields(Article))


def _article(row: dict[str, Any]) -> Article:
    return Article(**{key: value for key, value in row.items() if key in _FIELDS})


def _refilter_shard(path: Path, filters: FilterConfig) -> tuple[dict[str, Any], Write | None]:
    """One shard's records judged again; the write moves the rejected ones out of it
    (to ``rejected/SHARD.refilter.jsonl`` first, then the kept shard without them)."""
    rows = read_kept(path)
    kept, dropped = [], []
    for row in rows:
        verdict = check(_article(row), filters)
        if verdict is None:
            kept.append(row)
        else:
            dropped.append({"id": row["id"], "url": row.get("url"), "reason": verdict[0],
                            "detail": verdict[1], "title": row.get("title"),
                            "input": row["input"]})

    def write() -> None:
        _add_rejected(path.parent.parent / "rejected" / f"{path.stem}.refilter.jsonl", dropped)
        rewrite_kept(path, kept)

    return {"checked": len(rows), "rejected": len(dropped)}, write if dropped else None


def _add_rejected(path: Path, rows: list[dict[str, Any]]) -> None:
    """Write the shard's rejections, with any that a killed run wrote already."""
    known = ([json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
             if path.exists() else [])
    seen = {(r["id"], r["input"]) for r in known}
    merged = known + [r for r in rows if (r["id"], r["input"]) not in seen]
    atomic_write(path, "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n"
                               for r in merged).encode("utf-8", "surrogatepass"))


def _recount(out: Path, moved: Counter[str]) -> None:
    """The manifest's totals: the main stage's, from the markers (so running the stage
    again never counts a move twice), with the records this stage moved."""
    path = out / "manifest.json"
    if not path.exists():
        return
    kept = rejected = 0
    reasons: Counter[str] = Counter()
    for marker in (out / "done").glob("*.json"):
        found = json.loads(marker.read_text(encoding="utf-8"))
        kept, rejected = kept + found["kept"], rejected + found["rejected"]
        reasons.update(found["reasons"])
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["kept"] = kept - sum(moved.values())
    manifest["rejected"] = rejected + sum(moved.values())
    manifest["reasons"] = dict(sorted((reasons + moved).items()))
    atomic_write(path, json.dumps(manifest, ensure_ascii=False, indent=1).encode())
