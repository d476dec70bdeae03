"""Readers skip nothing silently, never hang and never raise on bad input: truncated
compressed files, broken links, FIFOs, unknown file types, JSON arrays, binary WARC
payloads. Every input is built here, in ``tmp_path``."""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import os
import signal
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
import zstandard

from zhclean.errors import InputError
from zhclean.io.readers import (
    Fields,
    Item,
    JsonLine,
    parse_line,
    plain_jsonl,
    read_input,
    scan_inputs,
)
from zhclean.io.records import Failure, RawRecord, not_text
from zhclean.job import RunConfig, run
from zhclean.process import process

TEXT = ("今天上午，市政府召开新闻发布会，介绍了今年的经济运行情况，各项指标稳中有进，"
        "就业形势总体稳定，居民收入继续增长。")
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200)


def jsonl(count: int) -> bytes:
    return "".join(json.dumps({"id": f"r{n}", "text": f"第{n}条。{TEXT}"}, ensure_ascii=False)
                   + "\n" for n in range(count)).encode()


def records(items: list[Item]) -> list[RawRecord]:
    """The records an input gave (JSONL lines parsed as a worker would)."""
    parsed = [parse_line(item) if isinstance(item, JsonLine) else item for item in items]
    return [item for item in parsed if isinstance(item, RawRecord)]


def failures(items: list[Item]) -> list[str]:
    return [item.error for item in items if isinstance(item, Failure)]


@contextlib.contextmanager
def no_hang(seconds: int = 10) -> Iterator[None]:
    """Fail instead of hanging (a FIFO opened for reading blocks until a writer comes)."""
    def timeout(*_: object) -> None:
        raise TimeoutError("the reader blocked")

    previous = signal.signal(signal.SIGALRM, timeout)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# 1. Truncated compressed files are reported as truncated; the records before are read.

def test_a_truncated_single_frame_zst_is_a_failure(tmp_path: Path) -> None:
    data = zstandard.ZstdCompressor().compress(jsonl(200))  # one frame, one block
    path = tmp_path / "dump.jsonl.zst"
    path.write_bytes(data[: len(data) // 2])
    items = list(read_input(path))
    assert len(failures(items)) == 1 and "truncated zstd" in failures(items)[0]
    assert failures(items) == [e for e in failures(items) if "invalid JSON" not in e]


@pytest.mark.parametrize("flush", ["frame", "block"])
def test_a_truncated_streamed_zst_keeps_the_lines_before_the_cut(tmp_path: Path,
                                                                 flush: str) -> None:
    whole = jsonl(400)
    out = io.BytesIO()
    mode = zstandard.FLUSH_FRAME if flush == "frame" else zstandard.FLUSH_BLOCK
    with zstandard.ZstdCompressor().stream_writer(out, closefd=False) as writer:
        for start in range(0, len(whole), 4000):
            writer.write(whole[start:start + 4000])
            writer.flush(mode)
    data = out.getvalue()
    path = tmp_path / "stream.jsonl.zst"
    path.write_bytes(data[: len(data) * 2 // 3])
    items = list(read_input(path))
    errors = failures(items)
    assert len(errors) == 1 and errors[0].startswith("truncated zstd file")
    got = records(items)
    assert 100 < len(got) < 400
    assert [r.id for r in got] == [f"r{n}" for n in range(len(got))]  # none lost, no half line


def test_a_whole_zst_and_gz_read_everything(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl.zst").write_bytes(zstandard.ZstdCompressor().compress(jsonl(50)))
    (tmp_path / "a.jsonl.gz").write_bytes(gzip.compress(jsonl(50)) + b"\0\0\0\0")  # padded
    for name in ("a.jsonl.zst", "a.jsonl.gz"):
        items = list(read_input(tmp_path / name))
        assert not failures(items) and len(records(items)) == 50


def test_a_truncated_gz_says_truncated_after_the_lines_it_read(tmp_path: Path) -> None:
    data = gzip.compress(jsonl(300))
    path = tmp_path / "dump.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    items = list(read_input(path))
    errors = failures(items)
    assert len(errors) == 1 and errors[0].startswith("truncated gzip file")
    assert [i.id for i in items if isinstance(i, Failure)] == [f"{path}#rest"]
    got = records(items)
    assert len(got) > 50 and [r.id for r in got] == [f"r{n}" for n in range(len(got))]


def _warc(payloads: list[tuple[str, str, bytes]], compress: bool) -> bytes:
    """A WARC of (record type, content type, payload)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=compress)
    for n, (kind, content_type, payload) in enumerate(payloads):
        url = f"http://example.com/{n}"
        if kind == "response":
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)],
                                       protocol="HTTP/1.1")
            record = writer.create_warc_record(url, "response", payload=io.BytesIO(payload),
                                               http_headers=headers)
        else:
            record = writer.create_warc_record(url, kind, payload=io.BytesIO(payload),
                                               warc_content_type=content_type)
        writer.write_record(record)
    return out.getvalue()


@pytest.mark.parametrize("compress", [True, False])
def test_a_warc_cut_anywhere_is_reported_as_truncated(tmp_path: Path, compress: bool) -> None:
    pages = [("response", "text/html; charset=utf-8", f"<p>{n}{TEXT}</p>".encode())
             for n in range(4)]
    data = _warc(pages, compress)
    whole = tmp_path / ("whole.warc.gz" if compress else "whole.warc")
    whole.write_bytes(data)
    from fastwarc.warc import ArchiveIterator

    with whole.open("rb") as stream:  # a cut where a record starts leaves a valid archive
        starts = [record.stream_pos for record in ArchiveIterator(stream)] + [len(data)]
    path = tmp_path / whole.name.replace("whole", "cut")
    for cut in range(1, len(data), 7):
        path.write_bytes(data[:cut])
        items = list(read_input(path))
        complete = sum(1 for end in starts[1:] if end <= cut)
        got = [r.data for r in records(items)]
        # the last record may be whole when only its gzip trailer is cut off
        assert complete <= len(got) <= complete + 1, cut
        assert got == [payload for _, _, payload in pages[:len(got)]], cut
        if not any(start - 4 <= cut <= start for start in starts):  # (or in its \r\n\r\n end)
            errors = failures(items)
            assert len(errors) == 1 and "truncated" in errors[0], (cut, errors)


def test_a_truncated_page_gz_is_a_failure_and_a_whole_one_is_decompressed(
        tmp_path: Path) -> None:
    html = f"<html><body><p>{TEXT}</p></body></html>".encode()
    for name in ("page.html.gz", "page.htm.gz", "page.txt.gz"):
        (tmp_path / name).write_bytes(gzip.compress(html))
        [record] = read_input(tmp_path / name)
        assert isinstance(record, RawRecord) and record.data == html
    data = gzip.compress(html)
    (tmp_path / "cut.html.gz").write_bytes(data[:-6])
    [failure] = read_input(tmp_path / "cut.html.gz")
    assert isinstance(failure, Failure) and failure.error.startswith("truncated gzip")
    assert [p.name for p in scan_inputs([str(tmp_path)]).files] == [
        "cut.html.gz", "page.htm.gz", "page.html.gz", "page.txt.gz"]


def test_a_truncated_run_is_counted_as_failed(tmp_path: Path) -> None:
    data = zstandard.ZstdCompressor().compress(jsonl(100))
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "dump.jsonl.zst").write_bytes(data[: len(data) // 2])
    manifest = run(RunConfig((str(tmp_path / "in"),), tmp_path / "out", workers=1,
                             format="jsonl", progress=False, stages=()))
    assert manifest["failed"] == 1 and manifest["read"] == 1


# 2. Broken links, loops, FIFOs, sockets: failed records, never a traceback or a hang.

def test_broken_links_loops_fifos_and_sockets_in_a_folder_are_failures(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "good.txt").write_text(TEXT, encoding="utf-8")
    (folder / "broken.txt").symlink_to(folder / "missing.txt")
    (folder / "loop.html").symlink_to(folder / "loop.html")
    (folder / "sub" / "up").symlink_to(folder, target_is_directory=True)  # a folder loop
    os.mkfifo(folder / "pipe.txt")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(folder / "sock.jsonl"))
    try:
        with no_hang():
            found = scan_inputs([str(folder)])
            names = sorted(p.name for p in found.files)
            assert names == ["broken.txt", "good.txt", "loop.html", "pipe.txt", "sock.jsonl"]
            assert [(Path(s.path).name, s.reason) for s in found.skipped] == [
                ("up", "symbolic link to a folder (not followed)")]
            errors = {p.name: failures(list(read_input(p))) for p in found.files}
            assert not any(plain_jsonl(p) for p in found.files)
            manifest = run(RunConfig((str(folder),), tmp_path / "out", workers=1,
                                     format="jsonl", progress=False, stages=()))
    finally:
        sock.close()
    assert errors["good.txt"] == []
    assert errors["broken.txt"] == [f"broken symbolic link (to {folder / 'missing.txt'})"]
    assert errors["loop.html"] == ["symbolic link loop"]
    assert errors["pipe.txt"] == ["not a regular file (FIFO)"]
    assert errors["sock.jsonl"] == ["not a regular file (socket)"]
    assert manifest["read"] == 5 and manifest["failed"] == 4


def test_inputs_named_directly_that_cannot_be_read_are_misuse(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.jsonl")
    (tmp_path / "broken.txt").symlink_to(tmp_path / "nowhere")
    with no_hang():
        with pytest.raises(InputError, match="input not found"):
            scan_inputs([str(tmp_path / "missing.txt")])
        with pytest.raises(InputError, match=r"not a regular file \(FIFO\)"):
            scan_inputs([str(tmp_path / "pipe.jsonl")])
        with pytest.raises(InputError, match="broken symbolic link"):
            scan_inputs([str(tmp_path / "broken.txt")])


def test_an_unreadable_jsonl_is_a_failure(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "secret.jsonl"
    path.write_bytes(jsonl(3))
    real_open = Path.open

    def denied(self: Path, *args: object, **kwargs: object) -> object:
        if self == path:  # chmod 000 does not stop root, who runs the tests
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", denied)
    assert not plain_jsonl(path)  # else the engine would open it and raise
    [failure] = read_input(path)
    assert isinstance(failure, Failure) and "Permission denied" in failure.error


def test_an_unreadable_subfolder_is_a_failure(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "locked").mkdir()
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    real_scandir = os.scandir

    def scandir(path: object) -> object:
        if Path(str(path)) == tmp_path / "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[call-overload]

    monkeypatch.setattr(os, "scandir", scandir)
    found = scan_inputs([str(tmp_path)])
    assert [p.name for p in found.files] == ["a.txt", "locked"]
    assert failures(list(read_input(tmp_path / "locked"))) == [
        "cannot read folder: Permission denied"]
    with pytest.raises(InputError, match="cannot read folder"):
        scan_inputs([str(tmp_path / "locked")])


# 3. Nothing in a folder is skipped silently.

def test_server_pages_and_extensionless_files_are_read(tmp_path: Path) -> None:
    html = f"<html><body><p>{TEXT}</p></body></html>".encode()
    names = ["a.shtml", "b.php", "c.asp", "d.aspx", "e.jsp", "index.php?id=3", "README",
             "article_12"]
    for name in names:
        (tmp_path / name).write_bytes(html)
    (tmp_path / "blob").write_bytes(b"\x00\x01\x02\x03" * 100)
    (tmp_path / "logo.png").write_bytes(PNG)
    (tmp_path / "site.css").write_text("body{}", encoding="utf-8")
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    found = scan_inputs([str(tmp_path)])
    assert sorted(p.name for p in found.files) == sorted([*names, "blob"])
    assert found.skipped_counts() == {"hidden": 1, "not an input file (.css)": 1,
                                      "not an input file (.png)": 1}
    for path in found.files:
        items = list(read_input(path))
        if path.name == "blob":
            assert failures(items) and failures(items)[0].startswith("unknown file type")
        else:
            assert records(items)[0].data == html


# 5. JSON arrays and single objects.

def test_a_json_array_is_records_and_not_cut_into_lines(tmp_path: Path) -> None:
    rows = [{"id": f"a{n}", "text": TEXT} for n in range(5)]
    pretty = tmp_path / "pretty.json"
    pretty.write_text(json.dumps(rows, ensure_ascii=False, indent=2), encoding="utf-8")
    compact = tmp_path / "compact.json.gz"
    compact.write_bytes(gzip.compress(json.dumps(rows).encode()))
    for path in (pretty, compact):
        items = list(read_input(path))
        assert not failures(items) and [r.id for r in records(items)] == [r["id"] for r in rows]
    assert not plain_jsonl(pretty)  # the engine must not cut it into byte ranges


def test_a_json_object_is_one_record_and_json_lines_stay_lines(tmp_path: Path) -> None:
    single = tmp_path / "one.json"
    single.write_text(json.dumps({"text": TEXT, "url": "http://x.cn/1"}, indent=2,
                                 ensure_ascii=False), encoding="utf-8")
    [record] = read_input(single)
    assert isinstance(record, RawRecord) and record.url == "http://x.cn/1"
    assert not plain_jsonl(single)
    lines = tmp_path / "lines.json"
    lines.write_bytes(jsonl(3))
    assert plain_jsonl(lines) and len(records(list(read_input(lines)))) == 3


def test_a_bad_or_cut_json_array_keeps_the_records_before(tmp_path: Path) -> None:
    text = json.dumps([{"id": f"a{n}", "text": TEXT} for n in range(4)], ensure_ascii=False)
    cut = tmp_path / "cut.json"
    cut.write_text(text[: text.index('{"id": "a2"') + 9], encoding="utf-8")
    items = list(read_input(cut))
    assert len(records(items)) == 2 and failures(items) == [
        "truncated JSON: the file ends inside a value, after 2 records"]
    bad = tmp_path / "bad.json"
    bad.write_text('[{"text": "a"}, {"text": oops}]', encoding="utf-8")
    items = list(read_input(bad))
    assert len(records(items)) == 1 and failures(items)[0].startswith("invalid JSON")
    cut_gz = tmp_path / "cut.json.gz"
    data = gzip.compress(text.encode())
    cut_gz.write_bytes(data[:-10])
    assert failures(list(read_input(cut_gz)))[0].startswith("truncated gzip file")


# 6. Binary payloads are rejected as not_text, naming the type.

def test_binary_warc_payloads_are_rejected_as_not_text(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(_warc([
        ("response", "text/html; charset=utf-8", f"<p>{TEXT}</p>".encode()),
        ("response", "image/png", PNG),
        ("resource", "application/pdf", b"%PDF-1.7\n..."),
        ("response", "application/octet-stream", f"<html><p>{TEXT}</p>".encode()),
        ("response", "text/html", PNG),  # an image served as HTML
    ], compress=True))
    items = list(read_input(path))
    got = records(items)
    assert [r.content_type for r in got] == ["text/html; charset=utf-8", "image/png",
                                             "application/pdf", "application/octet-stream",
                                             "text/html"]
    outcomes = [process(r) for r in got]
    assert [kind for kind, _ in outcomes] == ["kept", "rejected", "rejected", "kept",
                                              "rejected"]
    assert [row.get("reason") for _, row in outcomes] == [None, "not_text", "not_text",
                                                          None, "not_text"]
    assert outcomes[1][1]["detail"] == "content type image/png"
    assert outcomes[2][1]["detail"] == "content type application/pdf"
    assert outcomes[4][1]["detail"] == "PNG image data (declared text/html)"


@pytest.mark.parametrize(("head", "name"), [
    (PNG, "PNG image"), (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG image"),
    (b"GIF89a\x01\x00", "GIF image"), (b"%PDF-1.4\n", "PDF document"),
    (b"PK\x03\x04\x14\x00", "ZIP archive")])
def test_binary_signatures_are_not_text_without_a_type(head: bytes, name: str) -> None:
    assert not_text(RawRecord("r", head + bytes(50))) == f"{name} data"
    kind, row = process(RawRecord("r", head + bytes(50)))
    assert (kind, row["reason"]) == ("rejected", "not_text")


@pytest.mark.parametrize("content_type", [None, "", "text/plain", "text/html; charset=gbk",
                                          "application/xhtml+xml", "application/xml",
                                          "application/json", "application/rss+xml"])
def test_text_types_are_text(content_type: str | None) -> None:
    record = RawRecord("r", f"<p>{TEXT}</p>".encode(), content_type=content_type)
    assert not_text(record) is None and process(record)[0] == "kept"


# The empty file is still an input (the engine accounts it).

def test_empty_inputs_read_as_no_records_without_failing(tmp_path: Path) -> None:
    for name, data in (("e.jsonl", b""), ("e.jsonl.gz", b""), ("e.jsonl.zst", b""),
                       ("e.json", b""), ("e.warc.gz", b"")):
        (tmp_path / name).write_bytes(data)
        assert list(read_input(tmp_path / name, Fields())) == [], name
    assert plain_jsonl(tmp_path / "e.jsonl") and plain_jsonl(tmp_path / "e.json")
    assert len(scan_inputs([str(tmp_path)]).files) == 5


# When the page was fetched: a relative time it prints (3天前) is counted back from it.
def test_a_warc_records_when_each_page_was_fetched(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(_warc([("response", "text/html; charset=utf-8",
                             f"<p>{TEXT}</p>".encode())], compress=True))
    (record,) = records(list(read_input(path)))
    assert record.fetched and record.fetched[:2] in ("19", "20") and "T" in record.fetched


def test_a_jsonl_fetch_time_reaches_the_article(tmp_path: Path) -> None:
    row = {"id": "r1", "text": f"市政府召开发布会\n某某报 3天前\n{TEXT}\n{TEXT}",
           "fetch_time": "2024-05-20T08:00:00Z"}
    (record,) = records([JsonLine("f:1", json.dumps(row, ensure_ascii=False).encode(),
                                  Fields())])
    assert record.fetched == "2024-05-20T08:00:00Z"
    outcome, article = process(record)
    assert outcome == "kept" and article["published"] == "2024-05-17"
    outcome, article = process(RawRecord("r2", row["text"]))
    assert article["published"] is None  # no fetch time: 3天前 dates nothing
