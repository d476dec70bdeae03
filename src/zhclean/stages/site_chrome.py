"""The site chrome stage: lines a site repeats across its pages, removed (the work is
``site_chrome.py``'s)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from ..errors import UsageError

__all__ = ["MIN_PAGES", "MIN_SHARE", "SiteChrome", "SiteChromeSettings"]

MIN_PAGES = 3
MIN_SHARE = 0.2


@dataclass(frozen=True, slots=True)
class SiteChromeSettings:
    min_pages: int = MIN_PAGES  # pages of a site a line must be on
    min_share: float = MIN_SHARE  # and the share of the site's pages

    def check(self) -> None:
        if self.min_pages < 2 or not 0 < self.min_share <= 1:
            raise UsageError("[site_chrome] min_pages must be at least 2 and min_share"
                             " above 0 and at most 1")


class SiteChrome:
    name = "site_chrome"
    help = "drop lines a site repeats across its pages"
    settings = SiteChromeSettings
    columns: Mapping[str, pa.DataType] = {}  # it changes texts, adds no column

    def run(self, out: Path, settings: SiteChromeSettings, engine: Any, progress: bool
            ) -> dict[str, Any]:
        from ..site_chrome import remove_site_chrome

        return remove_site_chrome(out, settings.min_pages, settings.min_share, engine,
                                  progress)

    def summary(self, section: dict[str, Any], out: Path) -> str:
        return (f"site chrome: {section['lines']} repeated lines on {section['sites']} sites,"
                f" removed from {section['records_changed']} records"
                f" -> {out}/site_chrome/lines.json")
