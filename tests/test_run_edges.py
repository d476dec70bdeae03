"""``zhclean run`` at its edges: a folder in use, resumes spelled differently, a full
disk, an output that cannot be a folder, Ctrl-C, nothing to read, many small files, and
what the user sees on a terminal. Each is a defect a tester found; none may end in a
traceback."""

from __future__ import annotations

import errno
import fcntl
import json
import os
import pty
import signal
import subprocess
import sys
import time
from pathlib import Path

import corpus
import pytest
from test_run import outputs

from zhclean import cli
from zhclean.errors import UsageError
from zhclean.io import writers
from zhclean.job import RunConfig, run


def zhclean(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "zhclean", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=300)


def no_traceback(done: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in done.stderr, done.stderr


def test_a_second_run_cannot_share_a_folder_in_use(tmp_path: Path) -> None:
    corpus.build(tmp_path / "in", size=3)
    config = RunConfig((str(tmp_path / "in"),), tmp_path / "out", workers=1, progress=False)
    run(config)
    with (tmp_path / "out" / ".lock").open("a") as held:  # another run holds the lock
        fcntl.flock(held, fcntl.LOCK_EX)
        with pytest.raises(UsageError, match="another zhclean run"):
            run(RunConfig(config.inputs, config.out, workers=1, resume=True, progress=False))
        partial = tmp_path / "out" / "kept" / ".000000.jsonl.tmp-999"
        partial.write_bytes(b"the running job's temporary file")
        done = zhclean("run", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--resume")
        assert done.returncode == 2 and "another zhclean run" in done.stderr
        assert partial.exists()  # the refused resume did not clean up the running job's files
        no_traceback(done)
    partial.unlink()
    run(RunConfig(config.inputs, config.out, workers=1, resume=True, progress=False))


def test_resume_accepts_the_same_paths_spelled_differently(tmp_path: Path) -> None:
    corpus.build(tmp_path / "in", size=3)
    first = zhclean("run", "in", "-o", "out", "--quiet", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    for spelling in ("in/", "./in", str(tmp_path / "in")):
        again = zhclean("run", spelling, "-o", str(tmp_path / "out") + "/", "--resume",
                        "--quiet", cwd=tmp_path)
        assert again.returncode == 0, again.stderr
    other = zhclean("run", "in", "-o", "out", "--resume", "--format", "jsonl", cwd=tmp_path)
    assert other.returncode == 2 and "format was 'parquet', now 'jsonl'" in other.stderr
    (tmp_path / "more").mkdir()
    (tmp_path / "more" / "x.txt").write_text(corpus.article(2), encoding="utf-8")
    added = zhclean("run", "in", "more", "-o", "out", "--resume", cwd=tmp_path)
    assert added.returncode == 2 and "new inputs" in added.stderr and "x.txt" in added.stderr


def test_an_output_inside_an_input_folder_is_not_read_back(tmp_path: Path) -> None:
    corpus.build(tmp_path / "in", size=3)
    out = tmp_path / "in" / "out"
    first = run(RunConfig((str(tmp_path / "in"),), out, workers=1, format="jsonl",
                          progress=False))
    again = run(RunConfig((str(tmp_path / "in"),), out, workers=1, format="jsonl",
                          resume=True, progress=False))
    assert again["read"] == first["read"]
    assert not any(str(out) in p for p in again["inputs"])


def test_a_full_disk_is_a_message_and_leaves_no_temporary_files(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus.build(tmp_path / "in", size=12)
    real_fsync, calls = os.fsync, []

    def full_after_a_few(fd: int) -> None:
        calls.append(fd)
        if len(calls) > 6:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(writers.os, "fsync", full_after_a_few)
    out = tmp_path / "out"
    code = cli.main(["run", str(tmp_path / "in"), "-o", str(out), "--workers", "1",
                     "--shard-size", "4", "--quiet", "--format", "jsonl"])
    assert code == 3
    message = capsys.readouterr().err
    assert "no space left" in message and "--resume" in message
    assert not list(out.rglob(".*.tmp-*"))
    monkeypatch.setattr(writers.os, "fsync", real_fsync)  # space is freed: resume finishes
    assert cli.main(["run", str(tmp_path / "in"), "-o", str(out), "--workers", "1",
                     "--shard-size", "4", "--quiet", "--format", "jsonl", "--resume"]) == 0
    clean = tmp_path / "clean"
    run(RunConfig((str(tmp_path / "in"),), clean, workers=1, shard_size=4, format="jsonl",
                  progress=False))
    assert outputs(out) == outputs(clean)


def test_an_output_that_cannot_be_a_folder(tmp_path: Path) -> None:
    corpus.build(tmp_path / "in", size=2)
    (tmp_path / "file").write_text("x")
    is_file = zhclean("run", str(tmp_path / "in"), "-o", str(tmp_path / "file"))
    assert is_file.returncode == 2 and "is a file" in is_file.stderr
    under_file = zhclean("run", str(tmp_path / "in"), "-o", str(tmp_path / "file" / "out"))
    assert under_file.returncode == 3 and "cannot write" in under_file.stderr
    for done in (is_file, under_file):
        no_traceback(done)
        assert len(done.stderr.strip().splitlines()) == 1


def test_ctrl_c_is_a_message_and_resume_finishes(tmp_path: Path) -> None:
    corpus.build(tmp_path / "in", size=300)
    args = [sys.executable, "-m", "zhclean", "run", str(tmp_path / "in"), "-o",
            str(tmp_path / "out"), "--format", "jsonl", "--shard-size", "5", "--workers", "2",
            "--quiet"]
    proc = subprocess.Popen(args, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while len(list((tmp_path / "out" / "done").glob("*.json"))) < 3:
        assert proc.poll() is None and time.monotonic() < deadline, "run ended early"
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "interrupted" in err and "--resume" in err
    assert "Traceback" not in err, err
    resumed = subprocess.run([*args, "--resume"], capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    # the timings cover both sessions, not only the resumed part
    assert manifest["timings"]["sessions"] == 2
    assert manifest["timings"]["shard_seconds"] > 0


def test_a_run_that_finds_nothing_says_so(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    nothing = zhclean("run", str(tmp_path / "empty"), "-o", str(tmp_path / "o1"))
    assert nothing.returncode == 2 and "no input files found" in nothing.stderr
    (tmp_path / "blank").mkdir()
    (tmp_path / "blank" / "none.jsonl").write_text("\n\n")
    no_record = zhclean("run", str(tmp_path / "blank"), "-o", str(tmp_path / "o2"))
    assert no_record.returncode == 1 and "held no record" in no_record.stderr


def test_small_files_share_shards(tmp_path: Path) -> None:
    """Shards are cut by size across inputs: 1,200 small files (pages, and JSONL files of
    two records each) make three shards, not 1,200."""
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(600):
        (folder / f"p{n:04d}.txt").write_text(corpus.article(n), encoding="utf-8")
        rows = [{"id": f"j{n}-{k}", "text": corpus.article(n + k)} for k in range(2)]
        (folder / f"j{n:04d}.jsonl").write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    manifest = run(RunConfig((str(folder),), tmp_path / "out", workers=2, format="jsonl",
                             progress=False, stages=()))
    assert manifest["read"] == 1800 and manifest["shards"] == 4  # 500 records a shard
    assert len(list((tmp_path / "out").rglob("*.jsonl"))) <= 3 * manifest["shards"]
    kept = [json.loads(line) for p in sorted((tmp_path / "out" / "kept").glob("*.jsonl"))
            for line in p.read_text(encoding="utf-8").splitlines()]
    assert {Path(r["input"]).name for r in kept} >= {"p0000.txt", "j0599.jsonl"}
    assert len({r["id"] for r in kept}) == manifest["kept"]


def test_the_terminal_shows_every_stage_and_the_summary_comes_first(tmp_path: Path) -> None:
    """On a terminal, the main stage, site chrome and dedup each show a bar; the main
    stage's summary is printed when it ends, before the corpus stages' lines."""
    corpus.build(tmp_path / "in", size=20)
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "zhclean", "run", str(tmp_path / "in"),
                             "-o", str(tmp_path / "out"), "--workers", "1"],
                            stderr=follower, stdout=subprocess.DEVNULL)
    os.close(follower)
    screen = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the run ended and closed its end
            break
        if not chunk:
            break
        screen += chunk
    assert proc.wait(timeout=300) == 0
    text = screen.decode("utf-8", "replace")
    for label in ("records:", "site chrome:", "refilter: filter", "dedup: sketch",
                  "dedup: verdicts"):
        assert label in text, label
    assert (text.index("read ") < text.index("repeated lines on")
            < text.index("dedup: sketch") < text.index(" duplicates -> "))


def test_site_chrome_lines_file_lists_the_lines(tmp_path: Path) -> None:
    footer = "欢迎关注本网官方微信公众号，获取更多精彩资讯。"
    rows = [{"id": f"n{n}", "url": f"https://news.example.com/{n}.html",
             "text": "\n".join([f"第{n}号新闻标题", corpus.PROSE[n], corpus.PROSE[n + 8], footer])}
            for n in range(4)]
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "pages.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    run(RunConfig((str(tmp_path / "in"),), tmp_path / "out", workers=1, progress=False))
    saved = json.loads((tmp_path / "out" / "site_chrome" / "lines.json").read_text("utf-8"))
    assert saved["lines"] == {"news.example.com": [footer]}


def test_help_shows_defaults_and_recipe_keys() -> None:
    from zhclean.job import RunConfig

    text = " ".join(zhclean("run", "--help").stdout.split())  # as wrapped for any width
    for key in ("[run] workers", "[run] shard_size", "[read] text_fields", "[page] script",
                "exit status"):
        assert key in text, key
    defaults = RunConfig((), Path("x"))
    assert f"(default: {defaults.shard_size})" in text
    assert f"(default: {defaults.format})" in text



def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def test_a_worker_killed_by_the_system_is_a_message_and_resume_finishes(tmp_path: Path) -> None:
    """The out-of-memory killer takes a worker: the run stops with a message that says
    what to do (exit 3), not a traceback, and --resume gives the uninterrupted output."""
    corpus.build(tmp_path / "in", size=300)
    args = [sys.executable, "-m", "zhclean", "run", str(tmp_path / "in"), "--format", "jsonl",
            "--shard-size", "5", "--workers", "2", "--quiet", "--no-dedup"]
    proc = subprocess.Popen([*args, "-o", str(tmp_path / "out")], stderr=subprocess.PIPE,
                            text=True)
    deadline = time.monotonic() + 120
    while len(list((tmp_path / "out" / "done").glob("*.json"))) < 3:
        assert proc.poll() is None and time.monotonic() < deadline, "run ended early"
        time.sleep(0.02)
    os.kill(_children(proc.pid)[0], signal.SIGKILL)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 3 and "worker process died" in err and "--resume" in err, err
    assert "Traceback" not in err, err
    assert subprocess.run([*args, "-o", str(tmp_path / "out"), "--resume"],
                          capture_output=True).returncode == 0
    assert subprocess.run([*args, "-o", str(tmp_path / "clean")],
                          capture_output=True).returncode == 0
    assert outputs(tmp_path / "out") == outputs(tmp_path / "clean")


def test_run_obeys_an_explicit_encoding(tmp_path: Path) -> None:
    """GB18030 bytes are detected as such; forced to Big5 they are read as Big5 (the
    user's word wins, bad bytes becoming U+FFFD); a name that is no encoding is refused
    once, not turned into a failed record per page."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "page.txt").write_bytes(corpus.article(3).encode("gb18030"))

    def outcome(out: str, *extra: str) -> dict[str, list[dict[str, object]]]:
        done = zhclean("run", str(tmp_path / "in"), "-o", str(tmp_path / out), "--format",
                       "jsonl", "--quiet", "--no-dedup", *extra)
        assert done.returncode == 0, done.stderr
        return {kind: [json.loads(line) for p in (tmp_path / out / kind).glob("*.jsonl")
                       for line in p.read_text("utf-8").splitlines()]
                for kind in ("kept", "rejected")}

    detected = outcome("detected")
    assert [r["encoding"] for r in detected["kept"]] == ["gb18030"]
    forced = outcome("forced", "--encoding", "big5")
    assert not any(r["encoding"] == "gb18030" for r in forced["kept"])
    assert all(r["encoding"] == "big5hkscs" and r["decode_errors"] for r in forced["kept"])
    assert len(forced["kept"]) + len(forced["rejected"]) == 1
    bad = zhclean("run", str(tmp_path / "in"), "-o", str(tmp_path / "o2"), "--encoding", "nope")
    assert bad.returncode == 2 and "unknown encoding" in bad.stderr
    no_traceback(bad)


def test_a_resume_spelled_differently_names_records_alike(tmp_path: Path) -> None:
    """A shard redone by a resume that spells the input otherwise (absolute, trailing /)
    names its records as the first run did: the output equals an uninterrupted run's."""
    corpus.build(tmp_path / "in", size=12)
    common = ["--format", "jsonl", "--shard-size", "3", "--quiet", "--workers", "1"]
    assert zhclean("run", "in", "-o", "clean", *common, cwd=tmp_path).returncode == 0
    assert zhclean("run", "in", "-o", "out", *common, cwd=tmp_path).returncode == 0
    for marker in sorted((tmp_path / "out" / "done").glob("*.json"))[2:5]:
        marker.unlink()  # as if killed before these shards committed
    (tmp_path / "out" / "manifest.json").unlink()
    again = zhclean("run", str(tmp_path / "in") + "/", "-o", str(tmp_path / "out"),
                    "--resume", *common, cwd=tmp_path / "in")
    assert again.returncode == 0, again.stderr
    assert outputs(tmp_path / "out") == outputs(tmp_path / "clean")


def test_a_resume_refuses_inputs_that_changed(tmp_path: Path) -> None:
    corpus.build(tmp_path / "in", size=3)
    assert zhclean("run", str(tmp_path / "in"), "-o", str(tmp_path / "out")).returncode == 0
    page = tmp_path / "in" / "pages" / "p000.txt"
    page.write_text(page.read_text(encoding="utf-8") + "\n补记一段。", encoding="utf-8")
    again = zhclean("run", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--resume")
    assert again.returncode == 2 and "inputs changed since the run began" in again.stderr
    assert "p000.txt" in again.stderr


def test_another_runs_output_inside_an_input_is_not_read(tmp_path: Path) -> None:
    corpus.build(tmp_path / "in", size=3)
    first = run(RunConfig((str(tmp_path / "in"),), tmp_path / "in" / "out1", workers=1,
                          progress=False))
    second = run(RunConfig((str(tmp_path / "in"),), tmp_path / "in" / "out2", workers=1,
                           progress=False))
    assert second["read"] == first["read"]
    assert second["skipped"] == {"a zhclean output folder": 1}
    resumed = run(RunConfig((str(tmp_path / "in"),), tmp_path / "in" / "out2", workers=1,
                            progress=False, resume=True))
    assert resumed["skipped"] == second["skipped"]  # its own .lock is not counted


def test_a_stray_byte_in_a_json_line_is_counted_not_fatal(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    text = corpus.article(2)
    line = json.dumps({"id": "a", "text": text}, ensure_ascii=False).encode()
    cut = line.index("。".encode()) + 3
    (tmp_path / "in" / "a.jsonl").write_bytes(line[:cut] + b"\xff" + line[cut:] + b"\n")
    manifest = run(RunConfig((str(tmp_path / "in"),), tmp_path / "out", workers=1,
                             format="jsonl", progress=False))
    assert manifest["kept"] == 1
    (row,) = [json.loads(x) for x in
              next((tmp_path / "out" / "kept").glob("*.jsonl")).read_text("utf-8").splitlines()]
    assert row["id"] == "a" and row["decode_errors"] == 1 and "\ufffd" in row["text"]


def test_zhclean_dedup_takes_the_lock_and_a_full_temp_disk_is_the_output(
        tmp_path: Path) -> None:
    from zhclean.errors import OutputError
    from zhclean.io.outfolder import os_error

    corpus.build(tmp_path / "in", size=3)
    run(RunConfig((str(tmp_path / "in"),), tmp_path / "out", workers=1, progress=False))
    with (tmp_path / "out" / ".lock").open("a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        busy = zhclean("dedup", str(tmp_path / "out"))
    assert busy.returncode == 2 and "another zhclean run" in busy.stderr
    assert zhclean("dedup", str(tmp_path / "out")).returncode == 0
    # a full disk where the dedup stage keeps its signatures (the temporary folder, which
    # may lie inside an input folder) is the output's problem, not an input's
    full = OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "in" / "tmp"))
    assert isinstance(os_error(full, tmp_path / "out", [str(tmp_path / "in")]), OutputError)


def test_ctrl_c_anywhere_is_one_line(monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    def interrupted(*_: object) -> bytes:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_read_bytes", interrupted)  # Ctrl-C while reading stdin
    assert cli.main(["page", "-"]) == 130
    assert capsys.readouterr().err == "zhclean: interrupted\n"
