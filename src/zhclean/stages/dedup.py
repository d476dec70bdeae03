"""The dedup stage: exact, near and contained copies clustered, one canonical each
(``dedup/stage.py`` does the work)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..dedup.clusters import CONTAINMENT, THRESHOLD
from ..errors import UsageError
from ..io.schema import DEDUP_COLUMNS

__all__ = ["Dedup", "DedupSettings"]


@dataclass(frozen=True, slots=True)
class DedupSettings:
    threshold: float = THRESHOLD  # Jaccard of near-duplicates
    containment: float = CONTAINMENT  # share of a copy inside a fuller one

    def check(self) -> None:
        for name in ("threshold", "containment"):
            if not 0 < getattr(self, name) <= 1:
                raise UsageError(f"[dedup] {name} is a share of n-grams, above 0 and at"
                                 " most 1")


class Dedup:
    name = "dedup"
    help = "cluster copies: every kept record gets its cluster"
    settings = DedupSettings
    columns = DEDUP_COLUMNS

    def run(self, out: Path, settings: DedupSettings, engine: Any, progress: bool
            ) -> dict[str, Any]:
        from ..dedup.stage import dedup_folder

        return dedup_folder(out, settings.threshold, settings.containment, engine, progress)

    def summary(self, section: dict[str, Any], out: Path) -> str:
        kinds = ", ".join(f"{n} {kind}" for kind, n in section.get("joined", {}).items())
        return (f"dedup: {section['records']} records in {section['clusters']} clusters,"
                f" {section['duplicates']} duplicates -> {out}/dedup/clusters.jsonl"
                + (f" ({kinds})" if kinds else ""))
