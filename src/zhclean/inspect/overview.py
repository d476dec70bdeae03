"""What a run did, in figures: records read, kept, rejected and failed with their
reasons; the damage repaired; scripts in and out; the chrome removed; the sites; the
reprints joined.

The figures are counted in one pass over the index's rows (the inspector) or over the
output's record files (the report, which builds no index): the same rows either way,
so both show the same overview. Counts are kept per value (reasons, labels, sites),
never per record, so memory grows with the number of sites and not of pages. The
manifest gives what only the run knows (records read, time, site chrome, refilter).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import index as ix

__all__ = ["DAMAGE_KINDS", "Damage", "Overview", "overview", "summarise"]

# A damage kind shown: its name, the index column counting it, and what it means.
DAMAGE_KINDS = (
    ("glue", "glue", "pinyin readings glued after characters, removed"),
    ("script", "script_changes", "characters converted back to the page's own script"),
    ("symbols", "symbols", "injected SEO symbols removed"),
    ("invisible", "invisible", "invisible characters removed"),
    ("decode", "decode_errors", "bytes that did not decode, replaced"),
)
TOP = 20  # sites, categories and error kinds shown at most


@dataclass(frozen=True, slots=True)
class Damage:
    kind: str  # a key of index.DAMAGE: the list's filter for it
    meaning: str
    records: int  # kept records with this damage
    count: int  # repairs (characters or readings) over all of them


@dataclass(frozen=True, slots=True)
class Overview:
    out: str
    read: int
    kept: int
    rejected: int
    failed: int
    reasons: list[tuple[str, int]]  # why records were rejected, most first
    errors: list[tuple[str, int]]  # what failed records failed on, the commonest
    damage: list[Damage]
    scripts: list[tuple[str, int]]  # "hant → hans": kept records by script in and out
    dropped: list[tuple[str, int]]  # blocks dropped from kept records, by label
    sites: list[tuple[str, int]]  # the sites with the most kept records
    site_count: int
    siteless: int  # kept records that name no site
    categories: list[tuple[str, int]]
    joined: list[tuple[str, int]]  # duplicates by how they were joined (exact, near, ...)
    duplicates: int
    clusters: int  # clusters of two records or more
    chrome: dict[str, int]  # site chrome: sites, lines, records changed
    refiltered: int  # rejected once site chrome was removed
    seconds: float | None


def overview(out: Path) -> Overview:
    """The overview of the output ``out``, read from its record files."""
    return summarise((row for row, _ in ix.rows(out)), out)


def summarise(rows: Iterable[Mapping[str, Any]], out: Path) -> Overview:
    """The overview from the rows of the index (``index.rows``' first items, or the
    index's ``records`` table) and the output's manifest."""
    status: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    errors: Counter[str] = Counter()
    damaged: Counter[str] = Counter()
    repaired: Counter[str] = Counter()
    scripts: Counter[str] = Counter()
    dropped: Counter[str] = Counter()
    sites: Counter[str] = Counter()
    categories: Counter[str] = Counter()
    joined: Counter[str] = Counter()
    clusters: set[str] = set()  # of the duplicates only: bounded by the reprints found
    siteless = 0
    for row in rows:
        kind = row["status"]
        status[kind] += 1
        if kind == "rejected":
            reasons[row["reason"] or "?"] += 1
            continue
        if kind == "failed":
            errors[row["reason"] or "?"] += 1
            continue
        for name, column, _ in DAMAGE_KINDS:
            if row[column]:
                damaged[name] += 1
                repaired[name] += row[column]
        scripts[f"{row['script_in'] or '?'} → {row['script_out'] or '?'}"] += 1
        dropped.update(json.loads(row["dropped"] or "[]"))
        if row["site"]:
            sites[row["site"]] += 1
        else:
            siteless += 1
        if row["category"]:
            categories[row["category"]] += 1
        if row["duplicate_of"]:
            joined[row["joined"] or "?"] += 1
            clusters.add(row["cluster_id"])
    manifest = _manifest(out)
    chrome = manifest.get("site_chrome") or {}
    return Overview(
        out=str(out), read=int(manifest.get("read", sum(status.values()))),
        kept=status["kept"], rejected=status["rejected"], failed=status["failed"],
        reasons=reasons.most_common(), errors=errors.most_common(TOP),
        damage=[Damage(name, meaning, damaged[name], repaired[name])
                for name, _, meaning in DAMAGE_KINDS],
        scripts=scripts.most_common(), dropped=dropped.most_common(),
        sites=sites.most_common(TOP), site_count=len(sites), siteless=siteless,
        categories=categories.most_common(TOP), joined=joined.most_common(),
        duplicates=sum(joined.values()), clusters=len(clusters),
        chrome={name: int(chrome.get(name, 0))
                for name in ("sites", "lines", "records_changed")},
        refiltered=int((manifest.get("refilter") or {}).get("rejected", 0)),
        seconds=(manifest.get("timings") or {}).get("seconds"))


def _manifest(out: Path) -> dict[str, Any]:
    path = out / "manifest.json"
    if not path.exists():
        return {}  # a run cut short: the overview counts what its files hold
    found: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return found
