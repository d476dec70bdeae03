"""The inspector on a large output: the index built in one pass, then pages over HTTP.

Each benchmark corpus (``_corpora.py``, ``--mb`` MB of UTF-8 text, 200 by default):
*html*, the real pages of ``../shared/bench`` (few records, large pages), and *text*,
the dev set's damaged and clean text pages (many records) is run once through
``zhclean run`` (every stage, Parquet), then: the index build in a process of its own
(wall and CPU seconds, its peak memory, the index's size beside the output's), the
overview's first load, and ``--queries`` searches through the inspector's HTTP server
on the loopback, as a browser would ask them: Chinese phrases of 3 to 8 characters cut
from kept texts (each finds at least its own record), two-character words (titles and
first lines), filters alone (site, damage, status, a later page) and a phrase with a
filter, each page's latency from request to last byte. Targets: index < 60 s, search
p95 < 200 ms. ``--out DIR`` reuses a run's output instead of making one.

``python benchmarks/bench_inspect.py [--mb 200] [--corpus html text] [--queries 300]
[--out DIR]``
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _corpora import html_sources, text_sources, write_corpus

from zhclean.inspect import index as ix
from zhclean.inspect.server import make_server

SOURCES = {"html": html_sources, "text": text_sources}
# The index built as ``zhclean inspect`` builds it, in a fresh process: its peak memory is
# the build's own, not this script's (which held the corpus it wrote).
BUILD = """
import json, resource, sys, time
from pathlib import Path
from zhclean.inspect import index
started = time.perf_counter()
index.ensure_index(Path(sys.argv[1]))
usage = resource.getrusage(resource.RUSAGE_SELF)
# VmHWM, not ru_maxrss: Linux carries the parent's peak across fork and exec
peak = next(int(line.split()[1]) for line in open("/proc/self/status")
            if line.startswith("VmHWM:"))
print(json.dumps({"wall": time.perf_counter() - started, "rss_mb": peak / 1024,
                  "cpu": usage.ru_utime + usage.ru_stime}))
"""


def make_output(folder: Path, name: str, mb: float) -> Path:
    corpus = write_corpus(name, SOURCES[name](), folder / "in", mb)
    out = folder / "out"
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "zhclean", "run", str(corpus.folder), "-o",
                    str(out), "--workers", "2", "--quiet"], check=True)
    print(f"run ({name}): {corpus.text_bytes / 1e6:.0f} MB of pages in"
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
    total = db.execute("SELECT count(*) FROM records").fetchone()[0]
    pages = max(1, -(-total // ix.PER_PAGE))  # the list's last page, unfiltered
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
            filters = [{"damage": "glue"}, {"status": "rejected"},
                       {"page": str(rng.randint(1, pages))}]
            filters += [{"site": rng.choice(sites)}] if sites else []  # text pages: none
            found.append(("filter", rng.choice(filters)))
        else:
            found.append(("phrase + filter", {"q": phrase, "site": site or ""}))
    return found


def latencies(base: tuple[str, int], asked: list[tuple[str, dict[str, str]]],
              path: str = "/records") -> dict[str, list[float]]:
    timings: dict[str, list[float]] = {}
    connection = http.client.HTTPConnection(*base, timeout=60)
    for kind, params in asked:
        shown = urlencode({k: v for k, v in params.items() if v}, quote_via=quote)
        target = f"{path}?{shown}" if shown else path
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


def measure(out: Path, count: int) -> None:
    ix.index_path(out).unlink(missing_ok=True)
    built = subprocess.run([sys.executable, "-c", BUILD, str(out)], check=True,
                           capture_output=True, text=True)
    build = json.loads(built.stdout.strip().splitlines()[-1])
    path = ix.index_path(out)
    output_bytes = sum(p.stat().st_size for kind in ("kept", "rejected", "failed")
                       for p in (out / kind).glob("*"))
    records = ix.connect(path).execute("SELECT count(*) FROM records").fetchone()[0]
    print(f"index: {records:,} records in {build['wall']:.1f} s ({build['cpu']:.1f} CPU-s),"
          f" peak RSS {build['rss_mb']:.0f} MB; {path.stat().st_size / 1e6:.0f} MB beside"
          f" {output_bytes / 1e6:.0f} MB of records (target: < 60 s)")
    server = make_server(out, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    base = (str(host), int(port))
    overview = latencies(base, [("overview", {})], path="/")["overview"][0]
    print(f"overview: first load {1000 * overview:.0f} ms (counted once, then kept)")
    timings = latencies(base, queries(path, count))
    server.shutdown()
    server.server_close()
    every = [t for values in timings.values() for t in values]
    print(f"{'searches':16} {'n':>4} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}")
    for kind, values in [*timings.items(), ("all", every)]:
        print(f"{kind:16} {len(values):4d} {1000 * statistics.median(values):7.1f}"
              f" {1000 * percentile(values, 0.95):7.1f} {1000 * max(values):7.1f}")
    print("target: search p95 < 200 ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=200)
    parser.add_argument("--corpus", nargs="+", choices=sorted(SOURCES),
                        default=["html", "text"])
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--out", type=Path, help="a run's output folder to reuse")
    args = parser.parse_args()
    if args.out:
        measure(args.out, args.queries)
        return
    for name in args.corpus:
        with tempfile.TemporaryDirectory(prefix="zhclean-bench-inspect-") as tmp:
            measure(make_output(Path(tmp), name, args.mb), args.queries)
            print()


if __name__ == "__main__":
    main()
