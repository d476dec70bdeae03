"""``zhclean run`` on a generated corpus: MB/s and docs/s with 1 and 2 workers, and the
peak memory of the whole process tree, at two corpus sizes (memory must stay flat); then
the dedup stage (``zhclean dedup``) on the output, with its time and peak memory.

The corpus (JSONL files in a temporary folder) mixes the 28 real HTML pages of
``../shared/bench/html-zh``, damaged text pages (Simplified gold text sent through OpenCC
s2t with glue, symbols and NBSP indents) and clean Simplified pages, in equal shares.

``python benchmarks/bench_run.py [--mb 200]``
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ZHCLEAN = [sys.executable, "-m", "zhclean"]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_repair import clean_documents, damage  # noqa: E402
from conftest import gold_pages, shared_dir  # noqa: E402


def build(folder: Path, mb: float) -> tuple[int, int]:
    """JSONL files of about ``mb`` MB; returns (records, bytes)."""
    html_root = shared_dir() / "bench" / "html-zh"
    html = [(html_root / p["page"]).read_bytes().decode("utf-8", "replace") for p in gold_pages()]
    clean = clean_documents()
    damaged = [damage(d) for d in clean]
    kinds = [html, damaged, clean]
    target, size, records, part = mb * 1e6, 0, 0, 0
    handle = (folder / "part-00000.jsonl").open("w", encoding="utf-8")
    while size < target:
        for kind in kinds:
            for text in kind:
                line = json.dumps({"id": f"r{records}", "text": text}, ensure_ascii=False) + "\n"
                handle.write(line)
                size += len(line.encode())
                records += 1
                if records % 2000 == 0:
                    handle.close()
                    part += 1
                    handle = (folder / f"part-{part:05d}.jsonl").open("w", encoding="utf-8")
    handle.close()
    return records, size


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


def measure(command: list[str]) -> tuple[float, int]:
    """Seconds and peak tree memory of one zhclean command."""
    start = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.Popen(command, stderr=subprocess.DEVNULL)
    peak = 0

    def sample() -> None:
        nonlocal peak
        while proc.poll() is None:
            peak = max(peak, _tree_rss(proc.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample)
    sampler.start()
    proc.wait()
    sampler.join()
    if proc.returncode:
        raise SystemExit(f"zhclean run failed with {proc.returncode}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    seconds = time.perf_counter() - start
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    print(f"{'':10} cpu {cpu:.1f} s over {seconds:.1f} s wall: {cpu / seconds:.2f} cores busy")
    return seconds, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=float, default=200.0, help="the larger corpus, in MB")
    args = parser.parse_args()
    print(f"{'corpus':>10} {'docs':>8} {'workers':>7} {'seconds':>8} {'MB/s':>6} {'docs/s':>7}"
          f" {'peak MB':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        speeds = {}
        for mb in (args.mb / 2, args.mb):
            inputs = Path(tmp) / f"in-{mb:g}"
            inputs.mkdir()
            records, size = build(inputs, mb)
            for workers in (1, 2):
                out = Path(tmp) / f"out-{mb:g}-{workers}"
                seconds, peak = measure([*ZHCLEAN, "run", str(inputs), "-o", str(out),
                                         "--workers", str(workers), "--quiet", "--no-dedup"])
                speeds[mb, workers] = size / seconds
                print(f"{size / 1e6:8.0f}MB {records:8d} {workers:7d} {seconds:8.1f}"
                      f" {size / 1e6 / seconds:6.1f} {records / seconds:7.0f} {peak / 1e6:8.0f}")
            seconds, peak = measure([*ZHCLEAN, "dedup", str(out)])
            print(f"{size / 1e6:8.0f}MB {records:8d}   dedup {seconds:8.1f}"
                  f" {size / 1e6 / seconds:6.1f} {records / seconds:7.0f} {peak / 1e6:8.0f}")
        for mb in (args.mb / 2, args.mb):
            print(f"speed-up 1 → 2 workers at {mb:g} MB: {speeds[mb, 2] / speeds[mb, 1]:.2f}x")
        print(f"cores here: {os.cpu_count()}")


if __name__ == "__main__":
    main()
