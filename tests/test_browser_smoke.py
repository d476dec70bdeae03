"""The browser harness itself: chromium loads a page served here, runs its script on a click,
takes a screenshot, and obeys a page's Content-Security-Policy (what the tests of the local web
app will check of its pages)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from browser import save_screenshot
from playwright.sync_api import Page, expect

PNG = b"\x89PNG\r\n\x1a\n"

CLICK = """<!doctype html>
<html><head><meta charset="utf-8"><title>smoke</title></head><body>
<p id="status">not clicked</p>
<button id="go">click me</button>
<script>
document.getElementById("go").addEventListener("click", () => {
  document.getElementById("status").textContent = "clicked";
});
</script>
</body></html>
"""

INLINE = """<!doctype html>
<html><head><meta charset="utf-8"><title>csp</title></head><body>
<p id="status">script blocked</p>
<script>document.getElementById("status").textContent = "script ran";</script>
</body></html>
"""
CSP = "default-src 'none'; script-src 'none'"

# Registered through the DevTools protocol, which a page's CSP does not govern: it records the
# directives that the browser reports as violated, so a blocked script is seen, not inferred.
VIOLATIONS = """
window.violations = [];
document.addEventListener("securitypolicyviolation",
                          (e) => window.violations.push(e.effectiveDirective));
"""


@contextmanager
def serving(pages: dict[str, tuple[str, dict[str, str]]]) -> Iterator[str]:
    """The base URL of a server on the loopback that answers each path with its page and
    headers, in a thread of its own; port 0, so runs side by side never collide."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path not in pages:
                self.send_error(404)
                return
            html, headers = pages[self.path]
            body = html.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass  # the requests would only clutter pytest's captured output

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_click_runs_the_script_and_the_page_is_screenshot(browser_page: Page) -> None:
    with serving({"/": (CLICK, {})}) as url:
        browser_page.goto(f"{url}/")
        status = browser_page.locator("#status")
        expect(status).to_have_text("not clicked")
        browser_page.click("#go")
        expect(status).to_have_text("clicked")
        shot = save_screenshot(browser_page, "smoke-click")
    assert shot.is_file()
    assert shot.read_bytes().startswith(PNG)


def test_content_security_policy_blocks_an_inline_script(browser_page: Page) -> None:
    browser_page.add_init_script(VIOLATIONS)
    status = browser_page.locator("#status")
    with serving({"/plain": (INLINE, {}),
                  "/csp": (INLINE, {"Content-Security-Policy": CSP})}) as url:
        # the same page without the header: the script runs, so the block below is the CSP's
        browser_page.goto(f"{url}/plain")
        expect(status).to_have_text("script ran")
        assert browser_page.evaluate("window.violations") == []

        browser_page.goto(f"{url}/csp")
        expect(status).to_have_text("script blocked")
        assert browser_page.evaluate("window.violations") == ["script-src-elem"]
