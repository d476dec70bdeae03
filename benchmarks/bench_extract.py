"""Main-content extraction on every development set beside the peers, in the same run.

For each set of ``../shared/bench`` (html-zh, news-zh-2, forum-zh) and ``dev/body_gold``,
and each input form (HTML; flattened to text by resiliparse and by a tag strip), prints
per tool the mean and lowest character-bigram F1 against people's gold text, the pages
below 0.5, and the median and p99 milliseconds per page. On text, zhclean's block model
was fitted on these very pages, so beside its figure stands its cross-validated one
(each page scored by a model that never saw its site), as the gate pins it. HTML
extractors run on HTML only; on flattened text the peer is "keep every line" (what a
corpus without zhclean holds). magic-html needs Python >= 3.12: it runs in its own environment
(``.venv-magic-html``, made on first use from a ``python3.12`` on the PATH or in pyenv),
through ``benchmarks/peers/magic_html_runner.py``; without one, the run says why.

``python benchmarks/bench_extract.py`` (peers from ``pip install -e .[bench]``)
"""

from __future__ import annotations

import glob
import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import baseline
import evaluation as ev

from zhclean import decode, page

ROOT = Path(__file__).resolve().parents[1]

Extract = Callable[[bytes | str], str]


def _text(data: bytes | str) -> str:
    return data if isinstance(data, str) else decode(data)


def html_peers() -> dict[str, Extract]:
    import lxml.html
    import trafilatura
    from readability import Document
    from resiliparse.extract.html2text import extract_plain_text

    def readability(data: bytes | str) -> str:
        summary = Document(_text(data)).summary(html_partial=True)
        return str(lxml.html.fromstring(summary).text_content())

    from gne import GeneralNewsExtractor

    gne = GeneralNewsExtractor()

    def gne_text(data: bytes | str) -> str:
        try:
            return str(gne.extract(_text(data)).get("content") or "")
        except Exception:  # GNE raises on some pages: an empty result, as a user gets
            return ""

    return {
        "trafilatura (default)": lambda d: trafilatura.extract(_text(d)) or "",
        "trafilatura (precision)": lambda d: trafilatura.extract(_text(d),
                                                                 favor_precision=True) or "",
        "readability-lxml": readability,
        "resiliparse (main content)": lambda d: str(extract_plain_text(_text(d),
                                                                       main_content=True)),
        "GNE": gne_text,
    }


def magic_html_python() -> Path | str:
    """The Python of magic-html's own environment, made on first use; or why not."""
    venv = ROOT / ".venv-magic-html"
    python = venv / "bin" / "python"
    if python.exists():
        return python
    candidates = [*sorted(glob.glob(str(Path.home() / ".pyenv/versions/3.1[2-9]*/bin/python"))),
                  shutil.which("python3.12"), shutil.which("python3.13")]
    base = next((c for c in candidates if c and subprocess.run(  # a pyenv shim may not run
        [c, "-c", "import sys; assert sys.version_info >= (3, 12)"],
        capture_output=True).returncode == 0), None)
    if base is None:
        return "no Python >= 3.12 on this machine (magic-html needs it)"
    subprocess.run([base, "-m", "venv", str(venv)], check=True)
    done = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "magic-html"],
                          capture_output=True, text=True)
    if done.returncode:
        shutil.rmtree(venv)
        return f"pip install magic-html failed: {done.stderr.strip()[-200:]}"
    return python


def magic_html(name: str) -> ev.Scores | str:
    """magic-html's scores on one set (HTML), run in its own environment."""
    python = magic_html_python()
    if isinstance(python, str):
        return python
    pages = [(p, _text(p.data)) for p in ev.html_pages(name)]
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", encoding="utf-8") as handle:
        for page_, html in pages:
            handle.write(json.dumps({"id": page_.id, "html": html}, ensure_ascii=False) + "\n")
        handle.flush()
        done = subprocess.run([str(python), str(ROOT / "benchmarks" / "peers" /
                                                "magic_html_runner.py"), handle.name],
                              capture_output=True, text=True)
    if done.returncode:
        return f"magic-html failed: {done.stderr.strip()[-200:]}"
    rows = {r["id"]: r for r in map(json.loads, done.stdout.splitlines())}
    return ev.Scores({p.id: ev.f1(rows[p.id]["text"], p.content) for p, _ in pages},
                     [rows[p.id]["ms"] for p, _ in pages])


def main() -> None:
    page(b"<p>warm up</p>")
    peers = html_peers()
    print(f"{'set':10} {'form':12} {'tool':27} {'mean F1':>8} {'lowest':>7} {'<0.5':>5}"
          f" {'median ms':>10} {'p99 ms':>7}")
    for name in (*ev.HTML_SETS, "body_gold"):
        for form in ev.FORMS if name != "body_gold" else ("text",):
            tools: dict[str, Extract] = {"zhclean page": lambda d: page(d).text}
            tools |= peers if form == "html" else {"every line kept": _text}
            results = {tool: ev.evaluate(extract, name, "html" if form == "text" else form)
                       for tool, extract in tools.items()}
            if form == "html":
                results["magic-html"] = magic_html(name)
            for tool, scores in results.items():
                if isinstance(scores, str):
                    print(f"{name:10} {form:12} {tool:27} not run: {scores}")
                    continue
                below = sum(v < 0.5 for v in scores.f1.values())
                print(f"{name:10} {form:12} {tool:27} {scores.mean:8.3f} {scores.lowest:7.3f}"
                      f" {below:5d} {scores.median_ms:10.1f} {scores.ms_quantile(0.99):7.1f}")
            if form != "html":  # zhclean's figure above includes a model fitted on these pages
                key = f"block_model_cv:{name}:{'text' if form == 'text' else form}"
                print(f"{name:10} {form:12} {'zhclean, cross-validated':27}"
                      f" {baseline.pin(key + ':f1_mean'):8.3f} {baseline.pin(key + ':f1_min'):7.3f}"
                      f" {baseline.pin(key + ':pages_below_0.5'):5.0f}   (pinned by the gate)")


if __name__ == "__main__":
    main()
