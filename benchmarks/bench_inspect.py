"""The inspector on a large output: the index built in one pass, then searches over HTTP.

The *html* benchmark corpus (``_corpora.py``: the real pages of ``../shared/bench``,
``--mb`` MB of text, 200 by default) is run once through ``zhclean run`` (every stage,
Parquet), then: the index build (wall and CPU seconds, peak memory of this process, the
index's size beside the output's), and ``--queries`` searches through the inspector's
HTTP server on the loopback, as a browser would ask them: Chinese phrases of 3 to 8
characters cut from kept texts (each finds at least its own record), two-character
words (titles and first lines), filters alone (site, damage, status) and a phrase with a
filter, each page's latency from request to last byte. Targets: index < 60 s, search
p95 < 200 ms. ``--out DIR`` reuses a run's output instead of making one.

``python benchmarks/bench_inspect.py [--mb 200] [--queries 300] [--out DIR]``
"""

from __future__ import annotations

import argparse
import http.client
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _corpora import html_sources, write_corpus

from zhclean.inspect import index as ix
from zhclean.inspect.server import make_server


def make_output(folder: Path, mb: float) -> Path:
    corpus = write_corpus("html", html_sources(), folder / "in", mb)
    out = folder / "out"
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "zhclean", "run", str(corpus.folder), "-o",
                    str(out), "--workers", "2", "--quiet"], check=True)
    print(f"run: {corpus.text_bytes / 1e6:.0f} MB of pages in"
          f" {time.perf_counter() - started:.0f} s")
    return out


def queries(db_path: Path, count: int, seed: int = 7) -> list[tuple[str, dict[str, str]]]:
    """Searches of each kind, in a fixed random order."""
    db = ix.connect(db_path)
    rng = random.Random(seed)
    kept = db.execute("SELECT preview, site FROM records WHERE status = 'kept'"
                      " AND length(preview) > 40").fetchall()
    sites = [s for (s,) in db.execute("SELECT DISTINCT site FROM records WHERE site IS"
                                      " NOT NULL").fetchall()]
    found: list[tuple[str, dict[str, str]]] = []
    for n in range(count):
        preview, site = kept[rng.randrange(len(kept))]
        start = rng.randrange(0, len(preview) - 10)
        phrase = preview[start:start + rng.randint(3, 8)].strip() or preview[:4]
        kind = n % 6
        if kind in (0, 1, 2):
            found.append(("phrase", {"q": phrase}))
        elif kind == 3:
            found.append(("two characters", {"q": phrase[:2]}))
        elif kind == 4:
            found.append(("filter", rng.choice([{"site": rng.choice(sites)},
                                                {"damage": "glue"}, {"status": "rejected"},
                                                {"page": str(rng.randint(2, 40))}])))
        else:
            found.append(("phrase + filter", {"q": phrase, "site": site or ""}))
    return found


def latencies(base: tuple[str, int], asked: list[tuple[str, dict[str, str]]]
              ) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = {}
    connection = http.client.HTTPConnection(*base, timeout=60)
    for kind, params in asked:
        target = "/records?" + urlencode({k: v for k, v in params.items() if v},
                                         quote_via=quote)
        started = time.perf_counter()
        connection.request("GET", target)
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            raise RuntimeError(f"{target}: {response.status}")
        timings.setdefault(kind, []).append(time.perf_counter() - started)
        connection.close()  # the server speaks HTTP/1.0: one request a connection
        connection = http.client.HTTPConnection(*base, timeout=60)
    return timings


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=200)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--out", type=Path, help="a run's output folder to reuse")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="zhclean-bench-inspect-") as tmp:
        out = args.out or make_output(Path(tmp), args.mb)
        ix.index_path(out).unlink(missing_ok=True)
        before = resource.getrusage(resource.RUSAGE_SELF)
        started = time.perf_counter()
        path = ix.ensure_index(out)
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_SELF)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        output_bytes = sum(p.stat().st_size for kind in ("kept", "rejected", "failed")
                           for p in (out / kind).glob("*"))
        records = ix.connect(path).execute("SELECT count(*) FROM records").fetchone()[0]
        print(f"index: {records:,} records in {wall:.1f} s ({cpu:.1f} CPU-s), peak RSS"
              f" {after.ru_maxrss / 1024:.0f} MB; {path.stat().st_size / 1e6:.0f} MB beside"
              f" {output_bytes / 1e6:.0f} MB of records (target: < 60 s)")
        server = make_server(out, port=0)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        host, port = server.server_address[:2]
        asked = queries(path, args.queries)
        timings = latencies((str(host), int(port)), asked)
        server.shutdown()
        every = [t for values in timings.values() for t in values]
        print(f"{'searches':16} {'n':>4} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}")
        for kind, values in [*timings.items(), ("all", every)]:
            print(f"{kind:16} {len(values):4d} {1000 * statistics.median(values):7.1f}"
                  f" {1000 * percentile(values, 0.95):7.1f} {1000 * max(values):7.1f}")
        print("target: search p95 < 200 ms")


if __name__ == "__main__":
    main()
