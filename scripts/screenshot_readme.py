"""The README's picture of the inspector: the project's own examples run through
``zhclean run``, the inspector started on the output, and the record page of the
example content-farm page (glue removed, characters restored, chrome dropped) taken
by Debian's chromium through Playwright.

``python scripts/screenshot_readme.py [docs/inspect-record.png]`` (needs the test extra
and ``make chromium``)
"""

from __future__ import annotations

import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import quote

from zhclean.inspect import index as ix
from zhclean.inspect.server import make_server
from zhclean.job import RunConfig, run

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from browser import chromium_page  # noqa: E402  (the browser the tests drive)

TITLE = "绿源科技发布新一代储能系统"  # examples/farm_converted_glue.txt, restored


def main() -> None:
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "inspect-record.png"
    with tempfile.TemporaryDirectory(prefix="zhclean-shot-") as tmp:
        out = Path(tmp) / "out"
        run(RunConfig((str(ROOT / "examples"),), out, workers=1, progress=False))
        db = ix.connect(ix.ensure_index(out))
        (key,) = db.execute("SELECT key FROM records WHERE title = ?", (TITLE,)).fetchone()
        server = make_server(out, port=0)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        host, port = server.server_address[:2]
        with chromium_page() as page:
            page.set_viewport_size({"width": 1280, "height": 1250})  # copies, blocks, repairs
            page.goto(f"http://{host!s}:{port}/record?key={quote(key)}")
            target.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=target)
        server.shutdown()
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
