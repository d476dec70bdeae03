"""Debian's chromium driven by Playwright, for the browser tests of the local web app.

Playwright downloads no browser here (``playwright install`` cannot reach its hosts): the
tests launch ``/usr/bin/chromium``, which ``make test`` installs with apt-get. A missing
browser fails the test rather than skipping it, so a CI run cannot pass without the tests.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
# --no-sandbox: the tests run as root on CI, where chromium refuses to start sandboxed.
# The rest keep a test run offline and quiet: no GPU, no QUIC, no first-run pages, and none
# of the updates, sync or background requests that would reach past the loopback.
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextmanager
def chromium_page() -> Iterator[Page]:
    """A page of a chromium of its own, on a fresh profile removed when it closes."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} not found: the browser tests need Debian's chromium"
                    " ('make test' installs it, or run 'apt-get install chromium' as root)",
                    pytrace=False)
    # a persistent context is the one launch that takes the profile folder: no test sees
    # another's cookies, storage or cache
    with (tempfile.TemporaryDirectory(prefix="zhclean-chromium-",
                                      ignore_cleanup_errors=True) as profile,
          sync_playwright() as playwright):
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            # the persistent context opens on one blank page already
            yield context.pages[0] if context.pages else context.new_page()
        finally:
            context.close()


def save_screenshot(page: Page, name: str) -> Path:
    """The page as ``test-artifacts/screenshots/NAME.png`` under the repository root."""
    path = SCREENSHOTS / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=path)
    return path
