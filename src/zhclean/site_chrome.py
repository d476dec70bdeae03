"""Site chrome: lines a site repeats on its pages, found across the corpus.

A page alone cannot tell its site's boilerplate from its prose when the boilerplate
reads as prose (``欢迎关注本网官方微信，获取更多资讯。`` under every article). A corpus
can: a paragraph that one site (the url's host) prints on at least ``min_pages`` of its
pages, and on at least ``min_share`` of them, is the site's, not the article's.

This stage runs over a run's kept records before dedup, in two passes through the
engine: every shard's paragraphs counted per site, then every shard rewritten without
its site's lines (a record that would lose every paragraph is left as it was). The
lines found are listed in ``site_chrome/lines.json``, and the manifest gains a
``site_chrome`` section.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Any

from .io.writers import atomic_write, kept_files, read_kept, rewrite_kept, update_manifest
from .meta.site import site_of
from .progress import Progress
from .stages.passes import StageFolder, Write, each_kept_shard
from .stages.site_chrome import MIN_PAGES, MIN_SHARE

__all__ = ["remove_site_chrome", "site_of"]

Chrome = dict[str, frozenset[bytes]]  # each site's lines, by digest


def _digest(paragraph: str) -> bytes:
    return hashlib.blake2b(paragraph.encode("utf-8", "replace"), digest_size=8).digest()


def remove_site_chrome(out: Path, min_pages: int = MIN_PAGES, min_share: float = MIN_SHARE,
                       engine: Any = None, progress: bool = False) -> dict[str, Any]:
    """Strip the lines each site repeats from a run's kept records; returns the counts.

    The lines found are saved (by digest, in the stage's folder) before any shard is
    rewritten, and reused on a resumed run, so a run killed halfway through this stage
    ends as an uninterrupted one. ``engine`` defaults to this process alone.
    """
    if engine is None:
        from .engines.local import LocalEngine

        with LocalEngine(1) as serial:
            return remove_site_chrome(out, min_pages, min_share, serial, progress)
    folder = StageFolder(out, "site_chrome", {"min_pages": min_pages, "min_share": min_share})
    decision = folder.path / "chrome.json"
    if not decision.exists():
        chrome = _find(engine, kept_files(out), min_pages, min_share, progress)
        atomic_write(decision, json.dumps({site: sorted(d.hex() for d in lines)
                                           for site, lines in chrome.items()}).encode())
    found = each_kept_shard(engine, folder, "strip", _strip_shard,
                            lambda _: (str(decision),), progress)
    lines: dict[str, set[str]] = defaultdict(set)
    for result in found.values():
        for site, texts in result["lines"].items():
            lines[site].update(texts)
    records = sum(result["records"] for result in found.values())
    atomic_write(out / "site_chrome" / "lines.json", json.dumps(
        {"lines": {site: sorted(texts) for site, texts in sorted(lines.items())},
         "records": records}, ensure_ascii=False, sort_keys=True, indent=1).encode())
    section = {"sites": len(lines), "lines": sum(map(len, lines.values())),
               "records_changed": records, "min_pages": min_pages, "min_share": min_share}
    update_manifest(out, "site_chrome", section)
    return section


def _find(engine: Any, shards: list[Path], min_pages: int, min_share: float,
          progress: bool) -> Chrome:
    """The lines each site repeats, by digest. Paragraphs are counted by an 8-byte
    digest: memory grows with the distinct paragraphs, not their length."""
    pages: Counter[str] = Counter()
    seen: dict[str, Counter[bytes]] = defaultdict(Counter)
    with Progress("site chrome: counting", len(shards), enabled=progress) as bar:
        for _, (shard_pages, shard_seen) in engine.map(_count_shard,
                                                       ((path,) for path in shards)):
            pages.update(shard_pages)
            for site, counts in shard_seen.items():
                seen[site].update(counts)
            bar.advance()
    chrome = {site: frozenset(d for d, n in counts.items()
                              if n >= min_pages and n >= min_share * pages[site])
              for site, counts in seen.items()}
    return {site: lines for site, lines in chrome.items() if lines}


def _count_shard(path: Path) -> tuple[Counter[str], dict[str, Counter[bytes]]]:
    """One shard's pages per site, and on how many of them each paragraph is."""
    pages: Counter[str] = Counter()
    seen: dict[str, Counter[bytes]] = defaultdict(Counter)
    for row in read_kept(path, columns=["url", "paragraphs"]):
        site = site_of(row.get("url"))
        if site:
            pages[site] += 1
            seen[site].update({_digest(p) for p in row.get("paragraphs") or []})
    return pages, dict(seen)


@lru_cache(maxsize=2)
def _chrome(decision: str) -> Chrome:
    """The saved lines, read once by each worker."""
    saved = json.loads(Path(decision).read_text(encoding="utf-8"))
    return {site: frozenset(bytes.fromhex(d) for d in lines) for site, lines in saved.items()}


def _strip_shard(path: Path, decision: str) -> tuple[dict[str, Any], Write | None]:
    """One shard without its sites' lines: how many records changed and which lines
    went, and the rewrite (None when no record changes)."""
    chrome = _chrome(decision)
    rows = read_kept(path)
    lines: dict[str, set[str]] = defaultdict(set)
    changed = 0
    for row in rows:
        site = site_of(row.get("url")) or ""
        dropped = _strip(row, chrome.get(site, frozenset()))
        if dropped:
            changed += 1
            lines[site].update(dropped)
    result = {"records": changed, "lines": {site: sorted(t) for site, t in lines.items()}}
    return result, (lambda: rewrite_kept(path, rows)) if changed else None


def _strip(row: dict[str, Any], lines: frozenset[bytes]) -> list[str]:
    """Drop the row's site chrome in place (unless nothing would be left); returns the
    paragraphs dropped."""
    if not lines:
        return []
    kept: list[str] = []
    dropped: list[str] = []
    for paragraph in row["paragraphs"]:
        (dropped if _digest(paragraph) in lines else kept).append(paragraph)
    if not kept or not dropped:
        return []
    row["paragraphs"] = kept
    if "text" in row:
        row["text"] = "\n".join(kept)
    return dropped
