"""``zhclean run`` on an HTML-heavy and a text-heavy corpus, measured separately, beside a
peer on each; then the dedup stage (``zhclean dedup``) on each output.

Corpora (see ``_corpora.py``): *html* is the real pages of ``../shared/bench`` (html-zh,
news-zh-2, forum-zh), mostly markup by bytes; *text* is the dev set's damaged and clean
text pages plus ``bench_repair``'s damaged and clean documents. Each is ``--mb`` MB of
UTF-8 text in JSONL files, run with 1 and 2 workers (and with 2 at half the size: peak
memory must stay flat as the corpus grows).

Per run: MB, records, wall seconds, CPU-seconds per MB (user + sys of the whole process
tree, from ``getrusage(RUSAGE_CHILDREN)`` around the subprocess), MB/s and docs/s on the
wall clock, and the peak resident memory of the tree (the sum of its processes' RSS,
sampled from /proc every 0.2 s; forked workers' shared pages count once per process).
``busy`` is CPU over wall time and ``load`` the load average after the run: a shared
machine shows as ``busy`` below the workers and ``load`` above the cores; ``--repeat N``
keeps the fastest of N runs. The fixed cost of one run (start-up, tables, a one-record
corpus) is printed first.

Peers, in this process on one core, as CPU-seconds per MB of the same documents: OpenCC
t2s over *text* (pure conversion, the least any cleaner does) and ``trafilatura.extract``
over *html* (extraction). The machine may be shared: read CPU-seconds and ratios.

``--engines``: instead, the *html* corpus through the local engine (2 workers) and the
Ray engine on a local Ray of 1 and 2 CPUs, in the same run, every stage included (site
chrome, refilter and dedup run on the engine too): wall seconds, MB/s, the
speed-up from 1 to 2 CPUs, and Ray's cost over the local engine (its start and its
tasks); CPU-seconds are the driver's and its reaped children's only.

``python benchmarks/bench_run.py [--mb 50] [--repeat 1] [--engines]`` (peers from
``pip install -e .[bench]``)
"""

from __future__ import annotations

import argparse
import logging
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _corpora import Corpus, html_sources, text_sources, write_corpus

ZHCLEAN = [sys.executable, "-m", "zhclean"]


@dataclass(frozen=True, slots=True)
class Usage:
    """What one command cost: wall seconds, CPU-seconds of its tree, peak tree RSS."""

    wall: float
    cpu: float
    peak: int


def _tree_rss(root: int) -> int:
    """Resident memory (bytes) of a process and all its descendants, from /proc."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            status = (entry / "status").read_text()
        except OSError:
            continue
        parents[int(entry.name)] = int(stat[1])
        line = next((x for x in status.splitlines() if x.startswith("VmRSS:")), "VmRSS: 0 kB")
        rss[int(entry.name)] = int(line.split()[1]) * 1024
    members, frontier = {root}, [root]
    while frontier:
        current = frontier.pop()
        children = [pid for pid, parent in parents.items() if parent == current]
        members.update(children)
        frontier += children
    return sum(rss.get(pid, 0) for pid in members)


def measure(command: list[str]) -> Usage:
    """Run one zhclean command; its children's CPU time includes the pool workers,
    because each process reaps its own children before it is reaped."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(command, stderr=subprocess.PIPE)
    peak = 0

    def sample() -> None:
        nonlocal peak
        while proc.poll() is None:
            peak = max(peak, _tree_rss(proc.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample)
    sampler.start()
    _, stderr = proc.communicate()
    sampler.join()
    wall = time.perf_counter() - start
    if proc.returncode:
        raise SystemExit(f"{' '.join(command[2:4])} failed with {proc.returncode}:\n"
                         f"{stderr.decode(errors='replace')[-2000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Usage(wall, cpu, peak)


def run(corpus: Corpus, out: Path, workers: int, repeat: int = 1, engine: str = "local",
        dedup: bool = False) -> Usage:
    """The fastest of ``repeat`` runs (on a shared machine the others were interrupted);
    the output of each goes to ``out/N``."""
    return min((measure([*ZHCLEAN, "run", str(corpus.folder), "-o", str(out / str(n)),
                         "--workers", str(workers), "--quiet", "--engine", engine,
                         *([] if dedup else ["--no-dedup"])])
                for n in range(repeat)), key=lambda usage: usage.wall)


def bench_engines(folder: Path, mb_wanted: float, repeat: int) -> None:
    """The local engine beside the Ray engine on the same corpus, in the same run."""
    corpus = write_corpus("html", html_sources(), folder / "in-html", mb_wanted)
    mb = corpus.text_bytes / 1e6
    print(f"{'engine':11} {'MB':>6} {'records':>7} {'workers':>7} {'wall s':>7}"
          f" {'CPU-s/MB':>8} {'MB/s':>6} {'docs/s':>7} {'peak MB':>7} {'busy':>5} {'load':>5}")
    used = {}
    for engine, workers in (("local", 2), ("ray", 1), ("ray", 2)):
        used[engine, workers] = run(corpus, folder / f"out-{engine}-{workers}", workers,
                                    repeat, engine, dedup=True)
        print(row(engine, corpus, str(workers), used[engine, workers], mb))
    local, ray1, ray2 = used["local", 2], used["ray", 1], used["ray", 2]
    print(f"ray 1 → 2 CPUs {ray1.wall / ray2.wall:.2f}x; ray on 2 CPUs takes"
          f" {ray2.wall / local.wall:.2f}x the local engine's wall time"
          f" ({ray2.wall - local.wall:+.1f} s)")


def peer_cpu_per_mb(convert: Callable[[str], object], docs: list[str]) -> float:
    """CPU-seconds per MB of one in-process tool over the documents, after a warm-up."""
    convert(docs[0])
    start = time.process_time()
    for doc in docs:
        convert(doc)
    return (time.process_time() - start) / (sum(len(d.encode()) for d in docs) / 1e6)


def peers() -> dict[str, tuple[str, Callable[[str], object]]]:
    import opencc
    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.ERROR)  # its per-page warnings
    return {"text": ("OpenCC t2s", opencc.OpenCC("t2s").convert),
            "html": ("trafilatura", trafilatura.extract)}


def row(label: str, corpus: Corpus, workers: str, usage: Usage, mb: float) -> str:
    """One line of the table; ``busy`` is CPU over wall time (cores kept busy), and the
    load average after the run says how much of the machine others were using."""
    records = len(corpus.docs)
    return (f"{label:11} {mb:6.1f} {records:7d} {workers:>7} {usage.wall:7.1f}"
            f" {usage.cpu / mb:8.3f} {mb / usage.wall:6.2f} {records / usage.wall:7.0f}"
            f" {usage.peak / 1e6:7.0f} {usage.cpu / usage.wall:5.2f} {os.getloadavg()[0]:5.1f}")


def bench_corpus(name: str, sources: dict[str, list[str]], folder: Path, mb_wanted: float,
                 repeat: int, peer: tuple[str, Callable[[str], object]]) -> str:
    """Print one corpus's rows; return its line of the summary table."""
    corpus = write_corpus(name, sources, folder / f"in-{name}", mb_wanted)
    half = write_corpus(name, sources, folder / f"in-{name}-half", mb_wanted / 2)
    mb = corpus.text_bytes / 1e6
    usage = {w: run(corpus, folder / f"out-{name}-{w}", w, repeat) for w in (1, 2)}
    for workers, used in usage.items():
        print(row(name, corpus, str(workers), used, mb))
    small = run(half, folder / f"out-{name}-half", 2, repeat)
    print(row(f"{name} (half)", half, "2", small, half.text_bytes / 1e6))
    dedup = measure([*ZHCLEAN, "dedup", str(folder / f"out-{name}-2" / "0")])
    print(row(name, corpus, "dedup", dedup, mb))
    tool, convert = peer
    theirs = peer_cpu_per_mb(convert, corpus.docs)
    ours = usage[1].cpu / mb
    shares = ", ".join(f"{source} {sum(len(d.encode()) for d in docs) / 1e6:.2f}"
                       for source, docs in sources.items())
    print(f"{'':11} one copy in MB: {shares}; JSONL {corpus.file_bytes / 1e6:.1f} MB")
    print(f"{'':11} 1 → 2 workers {usage[1].wall / usage[2].wall:.2f}x; {tool}"
          f" {theirs:.3f} CPU-s/MB in-process; zhclean (1 worker) / {tool}:"
          f" {ours / theirs:.1f}x CPU per MB\n")
    return (f"| {name} | {mb:.0f} | {ours:.3f} | {mb / usage[1].wall:.1f}"
            f" | {mb / usage[2].wall:.1f} | {usage[1].peak / 1e6:.0f} / {usage[2].peak / 1e6:.0f}"
            f" | {theirs:.3f} ({tool}) |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=float, default=50.0, help="each corpus, MB of text")
    parser.add_argument("--repeat", type=int, default=1, help="runs each, the fastest kept")
    parser.add_argument("--engines", action="store_true",
                        help="the local engine beside the Ray engine, on the html corpus")
    args = parser.parse_args()
    if args.engines:
        with tempfile.TemporaryDirectory() as tmp:
            bench_engines(Path(tmp), args.mb, args.repeat)
        return
    tools = peers()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        tiny = write_corpus("startup", {"one": ["<p>启动。</p>"]}, folder / "in-startup", 0)
        fixed = run(tiny, folder / "out-startup", 1)
        print(f"fixed cost of one run (1 record, 1 worker): {fixed.cpu:.2f} CPU-s,"
              f" {fixed.wall:.2f} s wall, peak {fixed.peak / 1e6:.0f} MB; cores here:"
              f" {os.cpu_count()}, load {os.getloadavg()[0]:.1f}\n")
        print(f"{'corpus':11} {'MB':>6} {'records':>7} {'workers':>7} {'wall s':>7}"
              f" {'CPU-s/MB':>8} {'MB/s':>6} {'docs/s':>7} {'peak MB':>7} {'busy':>5} {'load':>5}")
        summary = [bench_corpus(name, sources, folder, args.mb, args.repeat, tools[name])
                   for name, sources in (("html", html_sources()), ("text", text_sources()))]
    print("| corpus | MB | CPU-s per MB (1 worker) | MB/s 1 worker | MB/s 2 workers"
          " | peak MB (1 / 2 workers) | peer CPU-s per MB |\n|---|---|---|---|---|---|---|")
    print("\n".join(summary))


if __name__ == "__main__":
    main()
