"""Inputs named by fsspec URLs read as a local folder does: the same records kept,
rejected and failed (named by their URL), the same files skipped, resumable. fsspec's
``memory://`` store lives in this process (one worker), ``file://`` URLs go through fsspec
too (two workers), and ``s3://`` is a real S3 server on the loopback (moto's). A missing
object, an unreadable prefix, a protocol nobody installed: a failed record or one clear
error, never a traceback."""

from __future__ import annotations

import io
import json
import logging
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import corpus
import pytest
from test_readers import _warc, no_hang
from test_run import outputs

from zhclean import cli
from zhclean.errors import InputError, UsageError
from zhclean.io.location import Remote
from zhclean.io.readers import Fields, FileSlice, plain_jsonl, read_input, read_slice, scan_inputs
from zhclean.io.records import Failure
from zhclean.job import RunConfig, run

fsspec = pytest.importorskip("fsspec")  # the test extra installs it: CI never skips these

COUNTS = ("read", "kept", "rejected", "failed", "reasons", "skipped")


def build(root: Path) -> Path:
    """The test corpus (JSONL plain, .gz and .zst, pages, Parquet, WARC, each damaged
    too), an uncompressed WARC, and what a folder holds that is not read."""
    corpus.build(root, size=12)
    (root / "plain.warc").write_bytes(_warc([("response", "text/html; charset=utf-8",
                                              corpus.html(n).encode()) for n in range(3)],
                                            compress=False))
    (root / ".git").mkdir()
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (root / "pages" / ".DS_Store").write_bytes(b"\0\0")
    (root / "pages" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    return root


def same_records(local: Path, remote: Path, folder: Path, url: str) -> None:
    """Both runs wrote the same records, byte for byte, once the local folder's name
    in ``input`` and in the ids is written as the URL."""
    mine = {name: data.decode().replace(str(folder), url)
            for name, data in outputs(local).items()}
    theirs = {name: data.decode() for name, data in outputs(remote).items()}
    assert mine == theirs and any(name.startswith("kept/") for name in mine)
    kept = [json.loads(line) for name, text in theirs.items() if name.startswith("kept/")
            for line in text.splitlines()]
    assert kept and all(row["input"].startswith(url + "/") for row in kept)


def counts(out: Path) -> dict[str, object]:
    found = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {key: found[key] for key in COUNTS}


@pytest.fixture
def bucket(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """The corpus in a local folder, and the same files at ``memory://bucket/in``."""
    folder = build(tmp_path / "in")
    memory = fsspec.filesystem("memory")
    if memory.exists("/bucket"):  # left by a test that failed
        memory.rm("/bucket", recursive=True)
    memory.put(str(folder), "/bucket/in", recursive=True)
    yield folder, "memory://bucket/in"
    memory.rm("/bucket", recursive=True)


# 1. A store's files give the records a local folder gives.

def test_a_memory_bucket_reads_as_the_same_local_folder(bucket: tuple[Path, str],
                                                        tmp_path: Path) -> None:
    folder, url = bucket
    args = ["--workers", "1", "--format", "jsonl", "--shard-size", "9", "--quiet"]
    assert cli.main(["run", str(folder), "-o", str(tmp_path / "local"), *args]) == 0
    assert cli.main(["run", url + "/", "-o", str(tmp_path / "remote"), *args]) == 0
    same_records(tmp_path / "local", tmp_path / "remote", folder, url)
    assert counts(tmp_path / "local") == counts(tmp_path / "remote")
    assert counts(tmp_path / "remote")["skipped"] == {
        "hidden": 2, "not an input file (.png)": 1}
    assert counts(tmp_path / "remote")["failed"] >= 4  # the damaged files, as locally
    # a resume spelled otherwise is the same job, its records named alike
    again = run(RunConfig(("MEMORY://bucket//in",), tmp_path / "remote", workers=1,
                          resume=True, format="jsonl", shard_size=9, progress=False))
    assert again["read"] == counts(tmp_path / "local")["read"]
    assert again["inputs"] == [str(p) for p in scan_inputs([url]).files]
    memory = fsspec.filesystem("memory")  # an object rewritten since: another job
    memory.pipe("/bucket/in/pages/p001.txt", memory.cat("/bucket/in/pages/p001.txt"))
    changed = re.escape(f"inputs changed since the run began: {url}/pages")
    with pytest.raises(UsageError, match=changed):
        run(RunConfig((url,), tmp_path / "remote", workers=1, resume=True, format="jsonl",
                      shard_size=9, progress=False))


def test_file_urls_with_two_workers_read_as_the_local_folder(tmp_path: Path) -> None:
    folder = build(tmp_path / "in")
    url = f"file://{folder}"
    for name, source in (("local", str(folder)), ("remote", url + "/")):
        run(RunConfig((source,), tmp_path / name, workers=2, format="jsonl", shard_size=9,
                      progress=False, stages=()))
    same_records(tmp_path / "local", tmp_path / "remote", folder, url)
    assert counts(tmp_path / "local") == counts(tmp_path / "remote")
    # the plain JSONL file is cut into ranges that the workers fetch themselves
    found = scan_inputs([url]).files
    assert [p.name for p in found if plain_jsonl(p)] == ["records.jsonl"]
    [plain] = [p for p in found if plain_jsonl(p)]
    assert isinstance(plain, Remote)
    lines = read_slice(FileSlice(str(plain), 0, plain.stat().size, 1, Fields()))
    assert lines[0].where == f"{url}/records.jsonl:1"


def test_links_and_fifos_under_a_file_url_are_failures_not_hangs(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "good.txt").write_text(corpus.article(1), encoding="utf-8")
    (folder / "link.txt").symlink_to(folder / "good.txt")
    (folder / "broken.txt").symlink_to(folder / "missing.txt")
    (folder / "loop.html").symlink_to(folder / "loop.html")
    (folder / "sub" / "up").symlink_to(folder, target_is_directory=True)
    os.mkfifo(folder / "pipe.txt")
    with no_hang():
        found = scan_inputs([f"file://{folder}"])
        errors = {p.name: [i.error for i in read_input(p) if isinstance(i, Failure)]
                  for p in found.files}
        manifest = run(RunConfig((f"file://{folder}",), tmp_path / "out", workers=1,
                                 format="jsonl", progress=False, stages=()))
    assert [(Path(s.path).name, s.reason) for s in found.skipped] == [
        ("up", "symbolic link to a folder (not followed)")]
    assert errors == {"broken.txt": [f"broken symbolic link (to {folder / 'missing.txt'})"],
                      "good.txt": [], "link.txt": [], "loop.html": ["symbolic link loop"],
                      "pipe.txt": ["not a regular file (other)"]}
    assert manifest["read"] == 5 and manifest["failed"] == 3 and manifest["kept"] == 2


def test_another_runs_output_in_a_bucket_is_skipped(bucket: tuple[Path, str]) -> None:
    _, url = bucket
    memory = fsspec.filesystem("memory")
    memory.pipe("/bucket/in/old-run/run.json", b"{}")
    memory.pipe("/bucket/in/old-run/done/000000.json", b"{}")
    memory.pipe("/bucket/in/old-run/kept/000000.jsonl", b'{"text": "not a page"}\n')
    skipped = {s.path: s.reason for s in scan_inputs([url]).skipped}
    assert skipped[f"{url}/old-run"] == "a zhclean output folder"
    assert not any(str(p).startswith(f"{url}/old-run") for p in scan_inputs([url]).files)


# 2. What cannot be read: a failed record, or one clear error.

def test_a_missing_object_or_prefix_named_is_an_input_error(bucket: tuple[Path, str],
                                                            tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]
                                                            ) -> None:
    _, url = bucket
    for missing in (f"{url}/nope.jsonl", "memory://nowhere/"):
        said = re.escape(f"input not found: {missing.rstrip('/')}") + "$"
        with pytest.raises(InputError, match=said):
            scan_inputs([missing])
    assert cli.main(["run", f"{url}/nope.jsonl", "-o", str(tmp_path / "out")]) == 2
    assert "zhclean: input not found: memory://bucket/in/nope.jsonl" in capsys.readouterr().err


def test_an_object_gone_after_the_listing_is_a_failed_record(bucket: tuple[Path, str]
                                                             ) -> None:
    _, url = bucket
    found = {p.name: p for p in scan_inputs([url]).files}
    memory = fsspec.filesystem("memory")
    for name in ("records.jsonl", "records.parquet", "crawl.warc.gz", "p001.txt"):
        memory.rm(str(found[name]).removeprefix("memory:/"))
        assert not plain_jsonl(found[name])
        [failure] = read_input(found[name])
        assert isinstance(failure, Failure), name
        assert failure.error.endswith(f"cannot read {found[name]}: file not found"), name
    with pytest.raises(InputError, match=r"records\.jsonl: file not found"):
        read_slice(FileSlice(str(found["records.jsonl"]), 0, 10, 1, Fields()))


class _Dropping(io.BytesIO):
    """A file whose connection drops after its first ``good`` bytes."""

    def __init__(self, data: bytes, good: int) -> None:
        super().__init__(data)
        self.good = good

    def read(self, size: int | None = -1) -> bytes:
        left = self.good - self.tell()
        if left <= 0:
            raise ConnectionResetError(104, "Connection reset by peer")
        return super().read(left if size is None or size < 0 else min(size, left))


def test_a_store_failing_mid_read_is_an_input_error_or_a_failed_record(
        bucket: tuple[Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _, url = bucket
    memory = fsspec.filesystem("memory")
    real_open = type(memory)._open

    def dropping(self: object, path: str, *args: object, **kwargs: object) -> object:
        handle = real_open(self, path, *args, **kwargs)
        if path.startswith("/bucket/in/records.jsonl"):
            return _Dropping(handle.read(), 20)
        return handle

    monkeypatch.setattr(type(memory), "_open", dropping)
    [gz] = scan_inputs([f"{url}/records.jsonl.gz"]).files
    [failure] = read_input(gz)
    assert isinstance(failure, Failure) and failure.error.endswith(
        f"cannot read {url}/records.jsonl.gz: Connection reset by peer"), failure
    # a plain JSONL file is cut into ranges by the driver: the run stops, naming the
    # file (not the output folder), and --resume goes on from the shards committed
    said = re.escape(f"cannot read {url}/records.jsonl: Connection reset by peer")
    with pytest.raises(InputError, match=said):
        run(RunConfig((url,), tmp_path / "out", workers=1, format="jsonl", progress=False,
                      stages=()))


def test_an_unreadable_prefix_is_a_failed_record_and_an_unreadable_top_an_error(
        bucket: tuple[Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder, url = bucket
    memory = fsspec.filesystem("memory")
    real_ls = type(memory).ls

    def ls(self: object, path: str, detail: bool = True, **kwargs: object) -> object:
        if path.rstrip("/") in ("/bucket/in/pages", "/bucket/secret"):
            raise PermissionError("Access Denied")
        return real_ls(self, path, detail=detail, **kwargs)

    monkeypatch.setattr(type(memory), "ls", ls)
    memory.pipe("/bucket/secret/a.txt", b"x")
    manifest = run(RunConfig((url,), tmp_path / "out", workers=1, format="jsonl",
                             progress=False, stages=()))
    failed = [json.loads(line) for p in (tmp_path / "out" / "failed").glob("*.jsonl")
              for line in p.read_text(encoding="utf-8").splitlines()]
    assert {"id": f"{url}/pages", "error": "cannot read folder: permission denied"
            " (Access Denied)"}.items() <= next(r for r in failed
                                                if r["id"] == f"{url}/pages").items()
    local = len(list((folder / "pages").iterdir())) - 2  # less .DS_Store and logo.png
    assert manifest["read"] == counts_of(folder) - local + 1
    with pytest.raises(InputError, match=r"cannot read folder memory://bucket/secret: "
                                         r"permission denied \(Access Denied\)"):
        scan_inputs(["memory://bucket/secret"])


def counts_of(folder: Path) -> int:
    """Records a local run reads from ``folder``."""
    return int(run(RunConfig((str(folder),), folder.parent / "count", workers=1,
                             format="jsonl", progress=False, stages=()))["read"])


def test_a_protocol_without_its_package_names_what_to_install(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fsspec.register_implementation("zhtest", "zhclean_no_such_module.FileSystem",
                                   errtxt="Install zhclean-no-such-module to access zhtest")
    with pytest.raises(UsageError, match="needs a package that is not installed: Install"
                                         " zhclean-no-such-module"):
        run(RunConfig(("zhtest://bucket/in",), tmp_path / "out", progress=False))
    with pytest.raises(UsageError, match=r"unknown protocol nosuch:// in nosuch://b/x"):
        scan_inputs(["nosuch://b/x"])
    monkeypatch.setitem(sys.modules, "fsspec.core", None)  # as if fsspec were missing
    with pytest.raises(UsageError, match=r"needs fsspec: pip install 'zhclean\[remote\]'"):
        scan_inputs(["memory://bucket/in"])


def test_a_remote_output_is_refused(tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.txt").write_text(corpus.article(1), encoding="utf-8")
    message = ("output must be a local or mounted folder (a shared file system on a"
               " cluster); remote outputs are not supported yet: s3://bucket/out")
    with pytest.raises(UsageError) as refused:
        run(RunConfig((str(tmp_path),), Path("s3://bucket/out")))
    assert str(refused.value) == message
    assert cli.main(["run", str(tmp_path), "-o", "s3://bucket/out"]) == 2
    assert message in capsys.readouterr().err
    assert not Path("s3:").exists()


def test_local_runs_do_not_import_fsspec(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(corpus.article(1), encoding="utf-8")
    script = ("import sys\nfrom pathlib import Path\nfrom zhclean.job import RunConfig, run\n"
              f"run(RunConfig(({str(tmp_path / 'in')!r},), Path({str(tmp_path / 'out')!r}),"
              " workers=1, progress=False))\n"
              "assert 'fsspec' not in sys.modules, 'a local run imported fsspec'\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr


# 3. A real S3 server on the loopback: moto's, started here.

@pytest.fixture(scope="module")
def s3(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A bucket ``crawl`` holding the corpus under ``in/``; yields the environment that
    points boto3, s3fs and zhclean's workers at it (dummy credentials)."""
    pytest.importorskip("s3fs")
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # a line per request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    env = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
           "AWS_DEFAULT_REGION": "us-east-1", "AWS_ENDPOINT_URL": f"http://{host}:{port}"}
    with pytest.MonkeyPatch.context() as patch:
        for key, value in env.items():
            patch.setenv(key, value)
        for key in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
            patch.delenv(key, raising=False)
        import boto3
        import s3fs

        s3fs.S3FileSystem.clear_instance_cache()  # none made for another endpoint
        client = boto3.client("s3")
        client.create_bucket(Bucket="crawl")
        folder = build(tmp_path_factory.mktemp("s3") / "in")
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                client.put_object(Bucket="crawl", Key=f"in/{path.relative_to(folder)}",
                                  Body=path.read_bytes())
        yield {**env, "folder": str(folder)}
        s3fs.S3FileSystem.clear_instance_cache()
    server.stop()


def zhclean(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "zhclean", "run", *args],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, **env})


def test_an_s3_prefix_reads_as_the_same_local_folder(s3: dict[str, str],
                                                     tmp_path: Path) -> None:
    folder = Path(s3["folder"])
    args = ["--workers", "2", "--format", "jsonl", "--shard-size", "9", "--quiet"]
    for name, source in (("local", str(folder)), ("remote", "s3://crawl/in/")):
        done = zhclean(s3, source, "-o", str(tmp_path / name), *args)
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    same_records(tmp_path / "local", tmp_path / "remote", folder, "s3://crawl/in")
    assert counts(tmp_path / "local") == counts(tmp_path / "remote")
    recorded = json.loads((tmp_path / "remote" / "run.json").read_text(encoding="utf-8"))
    size, etag = recorded["files"]["s3://crawl/in/records.jsonl"]
    assert size == (folder / "records.jsonl").stat().st_size and etag.strip('"')
    again = zhclean(s3, "s3://crawl//in", "-o", str(tmp_path / "remote"), "--resume", *args)
    assert again.returncode == 0, again.stderr  # the same objects: the same job


def test_a_missing_bucket_or_key_is_one_line(s3: dict[str, str], tmp_path: Path) -> None:
    for missing in ("s3://no-such-bucket/in/", "s3://crawl/in/nope.jsonl"):
        done = zhclean(s3, missing, "-o", str(tmp_path / "out"))
        assert done.returncode == 2, done.stderr
        assert done.stderr == f"zhclean: input not found: {missing.rstrip('/')}\n"


def test_ray_workers_read_an_s3_prefix_themselves(s3: dict[str, str], tmp_path: Path) -> None:
    pytest.importorskip("ray")
    folder = Path(s3["folder"])
    for name, source, engine in (("local", str(folder), "local"),
                                 ("remote", "s3://crawl/in", "ray")):
        run(RunConfig((source,), tmp_path / name, workers=2, format="jsonl", shard_size=9,
                      progress=False, stages=(), engine=engine))
    same_records(tmp_path / "local", tmp_path / "remote", folder, "s3://crawl/in")


def test_the_inspector_shows_a_record_read_from_a_store(bucket: tuple[Path, str],
                                                        tmp_path: Path) -> None:
    """The record page reads the raw page again from where the run read it: here a
    ``memory://`` object, found by the URL the record names as its ``input``."""
    from zhclean.inspect.server import Inspector

    _, url = bucket
    run(RunConfig((url,), tmp_path / "out", workers=1, format="jsonl", progress=False))
    inspector = Inspector(tmp_path / "out")
    shown = 0
    for key, source in inspector.db.execute(
            "SELECT key, input FROM records WHERE status = 'kept' LIMIT 5"):
        assert source.startswith(url + "/")
        status, page = inspector.respond(f"/record?key={key}")
        assert status == 200 and "The raw page is not found" not in page
        shown += "<h2>Raw page</h2>" in page
    assert shown == 5
