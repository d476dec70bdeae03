"""The Ray engine against the local engine: one local Ray of two CPUs, started here, runs
the same corpus; the outputs are the same files, byte for byte, and a worker killed
mid-run or a driver killed and resumed changes nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import corpus
import pytest
from test_run import outputs

from zhclean.job import RunConfig, run

ray = pytest.importorskip("ray")  # the test extra installs it: CI never skips this


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False,
             configure_logging=False)
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("ray-corpus")
    corpus.build(root / "in", size=60)
    return root / "in"


def everything(out: Path) -> dict[str, bytes]:
    """The record files, and what the corpus stages wrote."""
    found = outputs(out)
    for name in ("dedup/clusters.jsonl", "site_chrome/lines.json"):
        found[name] = (out / name).read_bytes()
    return found


@pytest.fixture(scope="module")
def local_output(inputs: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("local") / "out"
    run(RunConfig((str(inputs),), out, workers=2, format="jsonl", shard_size=8,
                  progress=False))
    return everything(out)


def test_both_engines_write_the_same_output(local_ray: None, inputs: Path, tmp_path: Path,
                                            local_output: dict[str, bytes]) -> None:
    out = tmp_path / "out"
    manifest = run(RunConfig((str(inputs),), out, workers=2, format="jsonl", shard_size=8,
                             progress=False, engine="ray"))
    assert manifest["failed"] > 0 and manifest["rejected"] > 0  # the corpus has both
    assert everything(out) == local_output


def test_a_ray_worker_killed_mid_run_is_retried(local_ray: None, inputs: Path,
                                               tmp_path: Path,
                                               local_output: dict[str, bytes]) -> None:
    """A worker process dies while shards are in flight: Ray runs its task again, and a
    shard committed twice is the same shard, so the output is still the local one."""
    out = tmp_path / "out"
    killed: list[int] = []
    finished = threading.Event()

    def kill_a_worker() -> None:
        """Once a shard is committed, the first worker seen running another one (a
        worker between tasks is ``ray::IDLE``, and killing it would prove nothing)."""
        while not list((out / "done").glob("*.json")) and not finished.is_set():
            time.sleep(0.01)
        while not finished.is_set():
            busy = _ray_workers()
            if busy:
                os.kill(busy[0], signal.SIGKILL)
                killed.append(busy[0])
                return
            time.sleep(0.005)

    killer = threading.Thread(target=kill_a_worker)
    killer.start()
    try:
        run(RunConfig((str(inputs),), out, workers=2, format="jsonl", shard_size=8,
                      progress=False, engine="ray"))
    finally:
        finished.set()
        killer.join()
    assert killed, "no Ray worker was found to kill"
    assert everything(out) == local_output


def test_resume_after_the_driver_is_killed(inputs: Path, tmp_path: Path,
                                           local_output: dict[str, bytes]) -> None:
    """``kill -9`` of the driver (and the local Ray it started) mid-run, then
    ``--resume`` on the Ray engine: the output equals an uninterrupted run's."""
    out = tmp_path / "out"
    args = [sys.executable, "-m", "zhclean", "run", str(inputs), "-o", str(out),
            "--engine", "ray", "--workers", "2", "--format", "jsonl", "--shard-size", "8",
            "--quiet"]
    driver = subprocess.Popen(args, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 120
    while len(list((out / "done").glob("*.json"))) < 2:
        assert driver.poll() is None and time.monotonic() < deadline, "run ended early"
        time.sleep(0.02)
    os.killpg(driver.pid, signal.SIGKILL)
    driver.wait(timeout=30)
    resumed = subprocess.run([*args, "--resume"], capture_output=True, text=True,
                             timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    assert everything(out) == local_output


def _ray_workers() -> list[int]:
    """The pids of the Ray workers running a shard (Ray names them ``ray::run_shard``)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            command = (entry / "cmdline").read_bytes() if entry.name.isdigit() else b""
        except OSError:
            continue
        if command.startswith(b"ray::run_shard"):
            found.append(int(entry.name))
    return found
