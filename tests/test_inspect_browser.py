"""The inspector end to end in real headless chromium (Debian's, driven by Playwright):
the overview, a Chinese search, a record with its glue removals and dropped blocks, a
cluster link; and a hostile page that runs nothing and loads nothing. Screenshots go to
``test-artifacts/screenshots/``."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote, urlsplit

from browser import save_screenshot
from playwright.sync_api import Page, expect
from test_inspect import GLUED_TITLE, HOSTILE_TITLE, key_of, output, server

from zhclean.inspect.report import write_report

__all__ = ["output", "server"]  # the fixtures, shared with the HTTP tests


def test_overview_search_record_and_cluster(browser_page: Page, server: str) -> None:
    page = browser_page
    page.goto(f"{server}/")
    expect(page.locator("h1").first).to_be_visible()
    expect(page.locator("body")).to_contain_text("kept")
    save_screenshot(page, "inspect-overview")

    page.click("nav >> text=records")
    page.fill("input[name=q]", "新一代储能")
    page.click("button[type=submit]")
    expect(page.locator("table.records")).to_contain_text(GLUED_TITLE)
    assert "q=" in page.url
    save_screenshot(page, "inspect-search")

    page.locator("table.records a", has_text=GLUED_TITLE).first.click()
    expect(page.locator("h1")).to_have_text(GLUED_TITLE)
    glue = page.locator("del.pinyin_glue").first
    expect(glue).to_be_visible()
    assert glue.inner_text().startswith("(")  # a reading like (yè), struck out
    nav = page.locator("li.block.dropped[data-label=nav]").first
    expect(nav).to_be_visible()
    expect(nav.locator(".label")).to_have_text("nav")
    expect(page.locator("ins.script").first).to_be_visible()  # a restored character
    save_screenshot(page, "inspect-record")

    here = page.url
    cluster = page.locator("section.cluster")
    expect(cluster.locator("li strong")).to_have_text(GLUED_TITLE)  # itself, unlinked
    cluster.locator("a.copy, a.canonical").first.click()  # another member of its cluster
    page.wait_for_url(lambda url: url != here)
    expect(page.locator("h1")).to_have_text(GLUED_TITLE)  # a reprint of the same release
    expect(page.locator("section.cluster li.canonical")).to_have_count(1)
    assert page.locator("section.cluster a").count() >= 1  # and links back
    save_screenshot(page, "inspect-cluster")


def test_a_hostile_page_runs_nothing_and_loads_nothing(browser_page: Page, server: str,
                                                       output: Path) -> None:
    page = browser_page
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{server}/record?key={quote(key_of(output, HOSTILE_TITLE))}")
    expect(page.locator("h1")).to_have_text(HOSTILE_TITLE)
    expect(page.locator("body")).to_contain_text("<script>window.pwned")  # as text
    assert page.evaluate("typeof window.pwned") == "undefined"
    assert page.locator("iframe, script, img, a[href^='javascript:']").count() == 0
    page.goto(f"{server}/records?q={quote('安全测试')}")
    assert page.evaluate("typeof window.pwned") == "undefined"
    base = urlsplit(server)
    assert requested and all(urlsplit(url).netloc == base.netloc for url in requested)
    save_screenshot(page, "inspect-hostile")


def test_the_report_opens_from_its_file_and_loads_nothing(browser_page: Page, output: Path,
                                                          tmp_path: Path) -> None:
    page = browser_page
    target = write_report(output, tmp_path / "report.html")
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(target.as_uri())
    expect(page.locator(".card")).to_have_count(6)
    expect(page.locator(".chart").first).to_be_visible()
    expect(page.locator("body")).to_contain_text("hant-converted → hans")
    assert requested == [target.as_uri()]  # the file itself, and nothing else
    save_screenshot(page, "report")
