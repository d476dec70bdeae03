"""``zhclean run``: every record ends kept, rejected or failed; runs resume after kill -9
with the same output; the output does not depend on the worker count."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import corpus
import pytest

from zhclean.errors import UsageError, ZhcleanError
from zhclean.job import RunConfig, run
from zhclean.process import Options
from zhclean.stages import stage_settings


def outputs(out: Path) -> dict[str, bytes]:
    """Every record file of a run, by name (the manifest's timings aside)."""
    return {str(p.relative_to(out)): p.read_bytes()
            for p in sorted(out.rglob("*")) if p.is_file()
            and p.parent.name in ("kept", "rejected", "failed")}


def failures(out: Path) -> list[dict[str, str]]:
    return [json.loads(line) for p in sorted((out / "failed").glob("*.jsonl"))
            for line in p.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def damaged_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    corpus.build(root, size=40, huge_mb=50)
    return root


def test_nothing_is_lost_and_bad_input_is_reported(damaged_corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    manifest = run(RunConfig((str(damaged_corpus),), out, workers=2, format="jsonl",
                             shard_size=16, progress=False))
    assert manifest["read"] == manifest["kept"] + manifest["rejected"] + manifest["failed"]
    assert manifest["kept"] >= 40 * 5  # the good pages of every format
    errors = {row["id"]: row["error"] for row in failures(out)}
    assert any("invalid JSON" in e for e in errors.values())
    assert any("no text field" in e for e in errors.values())
    assert any("truncated WARC record" in e for e in errors.values())
    assert any(i.endswith("truncated.jsonl.gz#rest") for i in errors)
    assert any("invalid-utf8" in i for i in errors)
    kept = [json.loads(line) for p in (out / "kept").glob("*.jsonl")
            for line in p.read_text(encoding="utf-8").splitlines()]
    rejected = {json.loads(line)["id"]: json.loads(line) for p in (out / "rejected").glob("*")
                for line in p.read_text(encoding="utf-8").splitlines()}
    assert rejected["huge"]["reason"] == "repeated_ngrams"  # 50 MB of one sentence
    assert any(row["script"]["input"] == "hant" for row in kept)  # the Big5 page
    gbk = next(row for row in kept if row["id"].endswith("gbk.txt"))
    assert gbk["title"] == "第1号新闻标题在这里" and gbk["source"] == "某某社"
    assert manifest["reasons"]  # the binary junk and the empty file are rejected, with reasons


def test_output_does_not_depend_on_workers(tmp_path: Path) -> None:
    corpus.build(tmp_path / "in", size=30)
    runs = {}
    for workers in (1, 2):
        out = tmp_path / f"out{workers}"
        run(RunConfig((str(tmp_path / "in"),), out, workers=workers, shard_size=7,
                      progress=False))
        runs[workers] = outputs(out)
    assert runs[1] == runs[2] and runs[1]


def test_resume_after_kill_9_equals_an_uninterrupted_run(tmp_path: Path) -> None:
    corpus.build(tmp_path / "in", size=400)
    args = [sys.executable, "-m", "zhclean", "run", str(tmp_path / "in"), "--format", "jsonl",
            "--shard-size", "5", "--workers", "2", "--quiet"]
    clean = tmp_path / "clean"
    subprocess.run([*args, "-o", str(clean)], check=True, capture_output=True)
    out = tmp_path / "out"
    for attempt in range(3):  # killed twice, then allowed to finish
        command = [*args, "-o", str(out)] + (["--resume"] if attempt else [])
        proc = subprocess.Popen(command, start_new_session=True, stderr=subprocess.PIPE)
        if attempt < 2:
            target = 5 * (attempt + 1)
            deadline = time.monotonic() + 60
            while len(list((out / "done").glob("*.json"))) < target:
                assert proc.poll() is None and time.monotonic() < deadline, "run ended early"
                time.sleep(0.02)
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            assert not (out / "manifest.json").exists(), "the run finished before the kill"
        else:
            assert proc.wait() == 0, proc.stderr.read() if proc.stderr else ""
    assert outputs(out) == outputs(clean)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["read"] == json.loads((clean / "manifest.json").read_text())["read"]


def test_a_used_folder_needs_resume(tmp_path: Path) -> None:
    corpus.build(tmp_path / "in", size=3)
    config = RunConfig((str(tmp_path / "in"),), tmp_path / "out", workers=1, progress=False)
    run(config)
    with pytest.raises(UsageError, match="--resume"):
        run(config)
    with pytest.raises(ZhcleanError, match="input not found"):
        run(RunConfig(("nope",), tmp_path / "other", progress=False))


def test_datasets_map_adds_columns() -> None:
    from zhclean.process import datasets_map

    batch = {"id": ["a", "b"], "text": [corpus.article(3), "太短。"]}
    out = datasets_map(batch).to_pydict()
    assert out["zhclean_status"] == ["kept", "rejected"]
    assert out["zhclean_title"][0] == "第3号新闻标题在这里" and out["text"] == batch["text"]


def test_changes_are_kept_for_audit_and_replay(tmp_path: Path) -> None:
    from zhclean import apply_changes, repair
    from zhclean.changes import Change

    corpus.build(tmp_path / "in", size=3)
    farm = Path(__file__).resolve().parents[1] / "examples" / "farm_converted_glue.txt"
    (tmp_path / "in" / "pages" / "farm.txt").write_bytes(farm.read_bytes())
    out = tmp_path / "out"
    run(RunConfig((str(tmp_path / "in"),), out, workers=1, format="jsonl", progress=False,
                  options=Options(changes=True)))
    audit = {json.loads(line)["id"]: json.loads(line)["changes"]
             for p in (out / "changes").glob("*.jsonl")
             for line in p.read_text(encoding="utf-8").splitlines()}
    raw = farm.read_text(encoding="utf-8")
    changes = [Change(**c) for c in audit[str(tmp_path / "in" / "pages" / "farm.txt")]]
    assert changes and apply_changes(raw, changes) == repair(raw).text


@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_lines_a_site_repeats_are_removed_across_its_pages(tmp_path: Path, fmt: str) -> None:
    import pyarrow.parquet as pq
    from test_seed import run_cli

    prose = corpus.PROSE
    footer = "欢迎关注本网官方微信公众号，获取更多精彩资讯。"
    rows = [{"id": f"n{n}", "url": f"https://www.news.example.com/{n}.html",
             "text": "\n".join([f"第{n}号新闻标题", prose[n], prose[n + 8], footer])}
            for n in range(5)]
    rows.append({"id": "other", "url": "https://other.example.org/1.html",
                 "text": "\n".join(["别的网站的标题", prose[20], prose[21], footer])})
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "pages.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "out"
    done = run_cli("run", str(tmp_path / "in"), "-o", str(out), "--format", fmt,
                   "--workers", "1", "--quiet")
    assert done.returncode == 0, done.stderr.decode()
    if fmt == "jsonl":
        kept = {json.loads(line)["id"]: json.loads(line) for p in (out / "kept").glob("*")
                for line in p.read_text(encoding="utf-8").splitlines()}
    else:
        kept = {r["id"]: r for p in (out / "kept").glob("*") for r in pq.read_table(p).to_pylist()}
    for n in range(5):
        assert kept[f"n{n}"]["paragraphs"] == [prose[n], prose[n + 8]]
    assert footer in kept["other"]["paragraphs"]  # one page of its site: no evidence
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["site_chrome"]["records_changed"] == 5


def test_site_chrome_stage_resumes_to_the_same_output(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from zhclean import site_chrome

    footer = "欢迎关注本网官方微信公众号，获取更多精彩资讯。"
    rows = [{"id": f"n{n}", "url": f"site.example.cn/{n}",  # no scheme: the host still counts
             "text": "\n".join([f"第{n}号新闻标题", corpus.PROSE[n], corpus.PROSE[n + 8], footer])}
            for n in range(4)]
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "pages.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    common = {"workers": 1, "format": "jsonl", "shard_size": 2, "progress": False}
    whole = tmp_path / "whole"
    run(RunConfig((str(tmp_path / "in"),), whole,  # type: ignore[arg-type]
                  stages=stage_settings({}, frozenset({"dedup"})), **common))
    cut = tmp_path / "cut"
    run(RunConfig((str(tmp_path / "in"),), cut, stages=(), **common))  # type: ignore[arg-type]
    writes = []

    def dies_after_one(path: Path, rows: list[dict[str, object]]) -> None:
        if writes:
            raise KeyboardInterrupt  # the stage is killed after rewriting one shard
        writes.append(path)
        original(path, rows)

    original = site_chrome.rewrite_kept
    monkeypatch.setattr(site_chrome, "rewrite_kept", dies_after_one)
    with pytest.raises(KeyboardInterrupt):
        site_chrome.remove_site_chrome(cut)
    monkeypatch.setattr(site_chrome, "rewrite_kept", original)
    section = site_chrome.remove_site_chrome(cut)  # the resumed stage
    assert outputs(cut) == outputs(whole)
    assert section["records_changed"] == 4 and section["lines"] == 1


def test_lone_surrogates_in_ids_and_urls_are_written(tmp_path: Path) -> None:
    from zhclean.io.records import RawRecord
    from zhclean.process import process

    kind, row = process(RawRecord("a\ud800", corpus.article(1), "http://x.cn/\udc00"))
    assert kind == "kept" and row["id"] == "a\ufffd" and row["url"] == "http://x.cn/\ufffd"
