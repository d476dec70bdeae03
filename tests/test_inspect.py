"""The inspector: its index (Chinese searched by substring), its pages, and what it never
does with a crawled page (run its scripts, load its frames, read a file a parameter
names). The HTTP tests talk to a real server on the loopback; the browser tests drive
Debian's chromium through Playwright (``tests/browser.py``) and save screenshots."""

from __future__ import annotations

import gzip
import http.client
import json
import shutil
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from zhclean.inspect import index as ix
from zhclean.inspect.raw import clean_again, find_raw
from zhclean.inspect.server import CSP, Inspector, make_server
from zhclean.io.readers import Fields
from zhclean.job import RunConfig, run

ROOT = Path(__file__).resolve().parents[1]
# A page written to attack whoever reads it: each line would run a script or load
# something if the inspector showed it as HTML. The text is prose, so it is kept.
HOSTILE = "\n".join([
    "安全测试页面的标题在这里",
    "今天上午，市政府召开新闻发布会，介绍了今年的经济运行情况，各项指标稳中有进。",
    "<script>window.pwned = 'script'</script>就业形势总体稳定，居民收入继续增长，消费市场回暖。",
    "<img src=x onerror=\"window.pwned = 'onerror'\">全市规模以上工业增加值同比增长百分之六。",
    "<a href=\"javascript:window.pwned = 'link'\">点此查看</a>固定资产投资保持平稳增长势头。",
    "<iframe src=\"http://127.0.0.1:9/evil\"></iframe>发布会上，有关负责人回答了记者提问。",
])
GLUED_TITLE = "绿源科技发布新一代储能系统"  # the example farm page's title, once restored
HOSTILE_TITLE = HOSTILE.split("\n", 1)[0]


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A run over the project's examples and the hostile page."""
    root = tmp_path_factory.mktemp("inspect")
    shutil.copytree(ROOT / "examples", root / "in")
    (root / "in" / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    run(RunConfig((str(root / "in"),), root / "out", workers=1, progress=False))
    return root / "out"


@pytest.fixture(scope="module")
def server(output: Path) -> Iterator[str]:
    """The inspector on a free port of 127.0.0.1; yields its base URL."""
    httpd = make_server(output, port=0)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    host, port = httpd.server_address[:2]
    yield f"http://{host!s}:{port}"
    httpd.shutdown()
    httpd.server_close()


def get(base: str, target: str, method: str = "GET") -> tuple[int, dict[str, str], str]:
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    connection.request(method, target)
    response = connection.getresponse()
    body = response.read().decode("utf-8")
    connection.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, body


def key_of(output: Path, title: str) -> str:
    db = ix.connect(ix.ensure_index(output))
    (key,) = db.execute("SELECT key FROM records WHERE title = ?", (title,)).fetchone()
    return str(key)


# -- the index

def test_a_chinese_phrase_finds_its_records_without_segmentation(output: Path) -> None:
    db = ix.connect(ix.ensure_index(output))
    everything = ix.search(db, ix.Query())
    assert everything.total == db.execute("SELECT count(*) FROM records").fetchone()[0]
    kept = ix.search(db, ix.Query(status="kept"))
    manifest = json.loads((output / "manifest.json").read_text(encoding="utf-8"))
    assert kept.total == manifest["kept"]
    found = ix.search(db, ix.Query(q="新一代储能"))  # inside a word: no segmenter finds it
    assert found.total >= 1 and all("储能" in (r["title"] or "") + r["preview"]
                                    for r in found.rows)
    assert GLUED_TITLE in {r["title"] for r in found.rows}
    assert ix.search(db, ix.Query(q="没有这样的句子出现")).total == 0
    short = ix.search(db, ix.Query(q="储能"))  # below a trigram: the trigrams it begins
    assert GLUED_TITLE in {r["title"] for r in short.rows}
    deep = ix.search(db, ix.Query(q="记者"))  # a word past the list's preview ...
    assert any(r["title"] == HOSTILE_TITLE and "记者" not in r["preview"] for r in deep.rows)
    last = ix.search(db, ix.Query(q="这里"))  # ... and the last two characters of a title
    assert HOSTILE_TITLE in {r["title"] for r in last.rows}
    assert ix.search(db, ix.Query(q="鑫鑫")).total == 0  # no trigram begins with it
    one = ix.search(db, ix.Query(q="储"))  # one character: titles and first lines
    assert GLUED_TITLE in {r["title"] for r in one.rows}
    quoted = ix.search(db, ix.Query(q='储能" OR "x'))  # a quote is text, not syntax
    assert quoted.total == 0
    glued = ix.search(db, ix.Query(damage="glue"))
    assert glued.total >= 1 and all(r["glue"] > 0 for r in glued.rows)
    tagged = ix.search(db, ix.Query(tag="储能"))  # the farm page's tag line, and its copies
    assert GLUED_TITLE in {r["title"] for r in tagged.rows}
    assert all("储能" in json.loads(r["tags"]) for r in tagged.rows)
    assert ix.search(db, ix.Query(tag="储")).total == 0  # a tag is matched whole
    restored = ix.search(db, ix.Query(script="hant-converted>hans", q="储能"))
    assert restored.total >= 1 and all(r["script_in"] == "hant-converted"
                                       for r in restored.rows)


def test_the_index_is_built_once_and_rebuilt_when_the_output_changes(output: Path) -> None:
    path = ix.ensure_index(output)
    built = path.stat().st_mtime_ns
    assert ix.ensure_index(output).stat().st_mtime_ns == built  # reused
    shard = next((output / "kept").iterdir())
    shard.touch()  # a stage rewrote a shard
    assert ix.ensure_index(output).stat().st_mtime_ns != built


# -- the pages, over HTTP

def test_every_page_sends_a_policy_that_runs_no_script(server: str, output: Path) -> None:
    for target in ("/", "/records", f"/record?key={quote(key_of(output, GLUED_TITLE))}",
                   "/nowhere"):
        status, headers, _ = get(server, target)
        assert status in (200, 404), target
        policy = headers["content-security-policy"]
        assert policy == CSP and "default-src 'none'" in policy
        assert "script-src" not in policy and "frame-src" not in policy  # so: none
        assert headers["x-content-type-options"] == "nosniff"


def test_a_hostile_page_is_shown_as_text(server: str, output: Path) -> None:
    status, _, page = get(server, f"/record?key={quote(key_of(output, HOSTILE_TITLE))}")
    assert status == 200
    for attack in ("<script>", "<img src=x onerror", "<iframe", 'href="javascript:'):
        assert attack not in page, attack
    assert "&lt;script&gt;window.pwned" in page  # shown, escaped
    _, _, listing = get(server, "/records?q=" + quote("安全测试"))
    assert "<script>" not in listing and HOSTILE_TITLE in listing


@pytest.mark.parametrize("target", [
    "/record?key=../../../../etc/passwd",
    "/record?key=kept/../../run.json:0",
    "/record?key=kept%2F..%2F..%2Fetc%2Fpasswd%3A0",
    "/record?key=%2Fetc%2Fpasswd",
    "/records?page=abc", "/records?page=0", "/records?page=-1", "/records?page=1e3",
    "/records?status=everything", "/records?damage=;drop", "/records?script=hant",
    "/records?nosuch=1", "/records?q=a&q=b", "/records?q=%ff%fe", "/records?q=%00",
    "/?x=1", "/record", "/records?q=" + quote("长" * 600),
])
def test_a_malformed_or_hostile_parameter_is_a_400_not_a_traceback(server: str,
                                                                 target: str) -> None:
    status, headers, page = get(server, target)
    assert status == 400, (target, page[:300])
    assert "Traceback" not in page and headers["content-security-policy"] == CSP


def test_paths_outside_the_app_are_not_found_and_only_get_is_served(server: str) -> None:
    for target in ("/../../etc/passwd", "/kept/000000.parquet", "/run.json", "/static/x"):
        assert get(server, target)[0] == 404, target
    assert get(server, "/records", "POST")[0] == 405
    assert get(server, "/records", "HEAD")[0] == 200
    assert get(server, "/record?key=kept/999999:0")[0] == 404


def test_the_server_listens_on_the_loopback_by_default(output: Path) -> None:
    httpd = make_server(output, port=0)
    try:
        assert httpd.server_address[0] == "127.0.0.1"
        port = httpd.server_address[1]
        outside = socket.gethostbyname(socket.gethostname())
        if outside != "127.0.0.1":  # a machine with another address: not listening there
            with pytest.raises(OSError):
                socket.create_connection((outside, port), timeout=2).close()
    finally:
        httpd.server_close()


def test_the_list_filters_and_pages(server: str, output: Path) -> None:
    status, _, page = get(server, "/records?status=rejected")
    assert status == 200 and 'class="kept"' not in page
    db = ix.connect(ix.ensure_index(output))
    (cluster,) = db.execute("SELECT cluster_id FROM records WHERE cluster_id IS NOT NULL"
                            " GROUP BY cluster_id HAVING count(*) > 1").fetchone()
    status, _, restored = get(server, "/records?script=hant-converted%3Ehans")
    assert status == 200 and GLUED_TITLE in restored  # as the overview's chart links it
    _, _, overview = get(server, "/")
    assert 'href="/records?script=hant-converted%3Ehans"' in overview
    _, _, members = get(server, f"/records?cluster={cluster}")
    expected = db.execute("SELECT count(*) FROM records WHERE cluster_id = ?",
                          (cluster,)).fetchone()[0]
    assert f"{expected:,} records" in members


def test_rejected_and_failed_records_show_their_reason_or_error(server: str,
                                                                output: Path) -> None:
    db = ix.connect(ix.ensure_index(output))
    for status, shown in (("rejected", "low_cjk"), ("failed", "invalid JSON")):
        (key,) = db.execute("SELECT key FROM records WHERE status = ? AND reason = ?",
                            (status, shown)).fetchone()
        code, _, page = get(server, f"/record?key={quote(key)}")
        assert code == 200 and f"<td>{status}</td>" in page and shown in page
    _, _, listing = get(server, "/records?status=failed")
    assert "invalid JSON" in listing


def test_a_record_whose_input_is_gone_says_so(tmp_path: Path) -> None:
    pages = tmp_path / "in"
    pages.mkdir()
    shutil.copy(ROOT / "examples" / "farm_converted_glue.txt", pages)
    run(RunConfig((str(pages),), tmp_path / "out", workers=1, progress=False))
    (pages / "farm_converted_glue.txt").unlink()
    inspector = Inspector(tmp_path / "out")
    (key,) = inspector.db.execute("SELECT key FROM records").fetchone()
    status, page = inspector.respond(f"/record?key={quote(key)}")
    assert status == 200 and "The raw page is not found" in page
    assert GLUED_TITLE in page  # the kept record itself is still shown


def test_another_host_name_is_refused_so_dns_rebinding_reads_nothing(server: str) -> None:
    """A page elsewhere can point its own host name at 127.0.0.1: the browser then
    sends that name, and the server must not answer it with the corpus."""
    host, port = server.removeprefix("http://").split(":")
    for name, status in ((f"evil.example:{port}", 421), (f"127.0.0.1.nip.io:{port}", 421),
                         (f"localhost:{port}", 200), (f"127.0.0.1:{port}", 200)):
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        connection.putrequest("GET", "/records", skip_host=True)
        connection.putheader("Host", name)
        connection.endheaders()
        response = connection.getresponse()
        body = response.read().decode("utf-8")
        connection.close()
        assert response.status == status, name
        assert response.getheader("Content-Security-Policy") == CSP
        assert (GLUED_TITLE in body) == (status == 200)


def test_the_servers_own_error_pages_carry_the_policy_too(server: str) -> None:
    host, port = server.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as raw:
        # a request line too long to read: http.server answers it itself, with a 414
        raw.sendall(b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n")
        answer = raw.recv(65536).decode("latin-1")
    assert answer.startswith("HTTP/1.0 414") and f"Content-Security-Policy: {CSP}" in answer


def test_only_the_inputs_the_run_read_are_ever_opened(output: Path) -> None:
    recorded = json.loads((output / "run.json").read_text(encoding="utf-8"))
    assert clean_again(recorded, "/etc/passwd", "root") is None
    assert clean_again(recorded, "/etc/hostname", "x") is None
    assert all(Path(name).is_relative_to(output.parent / "in") for name in recorded["files"])


def test_a_page_past_the_last_is_not_found(server: str) -> None:
    assert get(server, "/records?page=2")[0] == 404  # the examples fill one page
    assert get(server, "/records?page=1")[0] == 200


def test_a_record_whose_input_changed_says_so(tmp_path: Path) -> None:
    pages = tmp_path / "in"
    pages.mkdir()
    shutil.copy(ROOT / "examples" / "farm_converted_glue.txt", pages)
    run(RunConfig((str(pages),), tmp_path / "out", workers=1, progress=False))
    inspector = Inspector(tmp_path / "out")
    (key,) = inspector.db.execute("SELECT key FROM records").fetchone()
    assert "changed since the run" not in inspector.respond(f"/record?key={quote(key)}")[1]
    page = pages / "farm_converted_glue.txt"
    page.write_bytes(page.read_bytes() + b"\n")
    status, shown = inspector.respond(f"/record?key={quote(key)}")
    assert status == 200 and "changed since the run" in shown
    assert "<del class=\"pinyin_glue\"" in shown  # and still shown, cleaned from it now


@pytest.mark.parametrize("suffix", [".jsonl", ".jsonl.gz"])
def test_a_raw_page_is_found_by_its_id_however_the_dump_wrote_it(tmp_path: Path,
                                                                 suffix: str) -> None:
    """Ids as strings, numbers, escaped by their writer, or absent (then the reader
    names the record by its line); plain files through the memory-mapped search,
    compressed ones by reading, and a line that merely mentions an id is not it."""
    text = "今天上午召开新闻发布会。"
    lines = [
        json.dumps({"id": 7, "text": text + "七"}),
        json.dumps({"id": "http://a.cn/x", "text": "提到 http://a.cn/y 的" + text}),
        json.dumps({"id": "http://a.cn/y", "text": text + "斜杠"}).replace("/", "\\/"),
        json.dumps({"id": "中文编号", "text": text + "中文"}),  # ASCII-escaped by json
        json.dumps({"text": text + "无编号"}),
    ]
    data = ("\n".join(lines) + "\n").encode()
    path = tmp_path / f"dump{suffix}"
    path.write_bytes(gzip.compress(data) if suffix.endswith(".gz") else data)
    expected = {"7": "七", "http://a.cn/y": "斜杠", "中文编号": "中文",
                f"{path}:5": "无编号"}
    for record_id, end in expected.items():
        found = find_raw(str(path), record_id, Fields())
        assert found is not None and found.id == record_id, record_id
        assert isinstance(found.data, str) and found.data.endswith(end), record_id
    assert find_raw(str(path), "nowhere", Fields()) is None
    assert find_raw(str(tmp_path / "gone.jsonl"), "7", Fields()) is None
