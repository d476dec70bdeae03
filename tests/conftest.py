"""Shared fixtures: where the third-party material lives, the project's own data, a browser page."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"


def shared_dir() -> Path:
    """``../shared`` beside the repository, or ``$ZHCLEAN_SHARED``.

    It is part of every checkout and CI run: a missing folder is an error, not a skip.
    """
    path = Path(os.environ.get("ZHCLEAN_SHARED", ROOT.parent / "shared"))
    if not path.is_dir():
        raise FileNotFoundError(f"third-party test material not found at {path};"
                                " set ZHCLEAN_SHARED to its folder")
    return path


def paragraphs(name: str) -> list[str]:
    """The non-comment lines of one of the project's data files."""
    text = (DATA / name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line and not line.startswith("#")]


def gold_pages() -> list[dict[str, str]]:
    path = shared_dir() / "bench" / "html-zh" / "gold.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="session")
def shared() -> Path:
    return shared_dir()


@pytest.fixture
def browser_page() -> Iterator[Page]:
    """A page of Debian's chromium on a fresh profile; fails where chromium is missing."""
    # imported here: only the browser tests pay for loading Playwright
    from browser import chromium_page

    with chromium_page() as page:
        yield page
