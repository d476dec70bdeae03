"""Site chrome: lines a site repeats on its pages, found across the corpus.

A page alone cannot tell its site's boilerplate from its prose when the boilerplate
reads as prose (``欢迎关注本网官方微信，获取更多资讯。`` under every article). A corpus
can: a paragraph that one site (the url's host) prints on at least ``min_pages`` of its
pages, and on at least ``min_share`` of them, is the site's, not the article's.

This stage runs over a run's kept records before dedup: it counts paragraphs per site,
then rewrites each kept shard without the site's lines (a record that would lose every
paragraph is left as it was). The manifest gains a ``site_chrome`` section.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from .io.writers import atomic_write, kept_files, read_kept, rewrite_kept, update_manifest
from .meta.site import site_of
from .progress import Progress

__all__ = ["remove_site_chrome", "site_of"]

MIN_PAGES = 3
MIN_SHARE = 0.2


def _digest(paragraph: str) -> bytes:
    return hashlib.blake2b(paragraph.encode("utf-8", "replace"), digest_size=8).digest()


def remove_site_chrome(out: Path, min_pages: int = MIN_PAGES,
                       min_share: float = MIN_SHARE, progress: bool = False) -> dict[str, Any]:
    """Strip the lines each site repeats from a run's kept records; returns the counts.

    The lines found are saved (``site_chrome/lines.json``) before any shard is rewritten,
    and reused on a resumed run: stripping the same lines again changes nothing, so a
    run killed halfway through this stage ends as an uninterrupted one.
    """
    shards = kept_files(out)
    saved = out / "site_chrome" / "lines.json"
    if saved.exists():
        found = json.loads(saved.read_text(encoding="utf-8"))
    else:
        with Progress("site chrome: counting", 2 * len(shards), enabled=progress) as bar:
            found = _find(shards, min_pages, min_share, bar)
        atomic_write(saved, json.dumps(found, ensure_ascii=False, sort_keys=True,
                                       indent=1).encode())
    chrome = {site: {_digest(line) for line in lines} for site, lines in found["lines"].items()}
    with Progress("site chrome: removing", len(shards), enabled=progress) as bar:
        for path in shards:
            rows = read_kept(path)
            stripped = [_strip(row, chrome) for row in rows]  # every row, not up to the first
            if any(stripped):
                rewrite_kept(path, rows)
            bar.advance()
    section = {"sites": len(chrome), "lines": sum(map(len, chrome.values())),
               "records_changed": found["records"], "min_pages": min_pages,
               "min_share": min_share}
    update_manifest(out, "site_chrome", section)
    return section


def _find(shards: list[Path], min_pages: int, min_share: float, bar: Progress
          ) -> dict[str, Any]:
    """The lines each site repeats (their text), and how many records hold them.

    Paragraphs are counted by an 8-byte digest (memory grows with the distinct
    paragraphs, not their length); a second pass finds the text of the few that are
    chrome, and counts the records that hold them."""
    pages: Counter[str] = Counter()
    seen: dict[str, Counter[bytes]] = defaultdict(Counter)
    for path in shards:
        for row in read_kept(path, columns=["url", "paragraphs"]):
            site = site_of(row.get("url"))
            if site:
                pages[site] += 1
                seen[site].update({_digest(p) for p in row.get("paragraphs") or []})
        bar.advance()
    chrome = {site: {d for d, n in counts.items()
                     if n >= min_pages and n >= min_share * pages[site]}
              for site, counts in seen.items()}
    chrome = {site: lines for site, lines in chrome.items() if lines}
    records = 0
    texts: dict[str, set[str]] = defaultdict(set)
    for path in shards if chrome else []:
        for row in read_kept(path, ["url", "paragraphs"]):
            site = site_of(row.get("url")) or ""
            texts[site].update(p for p in row["paragraphs"] or []
                               if _digest(p) in chrome.get(site, ()))
            records += _strip(row, chrome)
        bar.advance()
    if not chrome:
        bar.advance(len(shards))  # no second pass: the bar ends full
    return {"lines": {site: sorted(lines) for site, lines in texts.items() if lines},
            "records": records}


def _strip(row: dict[str, Any], chrome: dict[str, set[bytes]]) -> bool:
    """Drop the row's site chrome in place (unless nothing would be left); True if any."""
    lines = chrome.get(site_of(row.get("url")) or "")
    if not lines:
        return False
    kept = [p for p in row["paragraphs"] if _digest(p) not in lines]
    if not kept or len(kept) == len(row["paragraphs"]):
        return False
    row["paragraphs"] = kept
    if "text" in row:
        row["text"] = "\n".join(kept)
    return True
