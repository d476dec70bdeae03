"""The command line: output, explanations, options, and clear errors on misuse."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from test_seed import run_cli

DAMAGED = "企業(yè)新聞★調(diào)研\u00a0工作。\n激光制造網 來源:逸飛激光\n"


def test_stdin_and_options() -> None:
    done = run_cli("repair", "-", stdin=DAMAGED.encode("gb18030"))
    assert done.returncode == 0
    assert done.stdout.decode() == "企业新闻调研工作。\n激光制造网 来源:逸飞激光\n"
    kept = run_cli("repair", "--script", "keep", "-", stdin=DAMAGED.encode())
    assert kept.stdout.decode() == "企業新聞調研工作。\n激光制造網 來源:逸飛激光\n"
    wide = run_cli("repair", "--punctuation", "-", stdin="他说,走吧!好".encode())
    assert wide.stdout.decode() == "他说，走吧！好"


def test_explain_lines_are_json_in_order() -> None:
    done = run_cli("repair", "--explain", "-", stdin=DAMAGED.encode())
    changes = [json.loads(line) for line in done.stdout.decode().splitlines()]
    steps = [c["step"] for c in changes]
    assert steps[:2] == ["pinyin_glue", "pinyin_glue"] and "script" in steps
    assert {"symbols", "whitespace"} <= set(steps)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    missing = run_cli("repair", str(tmp_path / "nope.txt"))
    assert missing.returncode == 2 and b"cannot read" in missing.stderr
    folder = run_cli("repair", str(tmp_path))
    assert folder.returncode == 2 and b"is a directory" in folder.stderr


def test_undecodable_input_and_bad_option() -> None:
    junk = run_cli("repair", "-", stdin=b"\x81\xff\x81\xff\xfe\x80\x80\xa0\xff")
    assert junk.returncode == 2 and b"--encoding" in junk.stderr
    bad = run_cli("repair", "--script", "klingon", "-", stdin=b"x")
    assert bad.returncode == 2 and b"invalid choice" in bad.stderr


def test_bogus_encoding_and_a_closed_pipe(shared: Path) -> None:
    bogus = run_cli("repair", "--encoding", "bogus", "-", stdin=b"x")
    assert bogus.returncode == 2 and b"unknown encoding" in bogus.stderr
    seed = str(shared / "samples" / "seed" / "raw.txt")
    closed = subprocess.run(f"{sys.executable} -m zhclean repair --explain {seed} | head -1",
                            shell=True, capture_output=True, check=False)
    assert closed.returncode == 0 and b"Traceback" not in closed.stderr


def test_empty_input() -> None:
    done = run_cli("repair", "-", stdin=b"")
    assert done.returncode == 0 and done.stdout == b""


def test_page_reads_record_files_as_records(tmp_path: Path) -> None:
    """``zhclean page dump.jsonl`` prints one article per record (not the JSON as prose);
    a compressed page is decompressed; a bad line is reported and the rest go on."""
    import gzip

    from corpus import article

    rows = [{"id": f"r{n}", "url": f"https://news.example.cn/{n}.html", "text": article(n)}
            for n in range(2)]
    dump = tmp_path / "dump.jsonl"
    dump.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
                    + "{broken\n", encoding="utf-8")
    done = run_cli("page", str(dump))
    records = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert [r["id"] for r in records] == ["r0", "r1"]
    assert records[0]["title"] == "第0号新闻标题在这里" and "{" not in records[0]["text"]
    assert done.returncode == 1 and "invalid JSON" in done.stderr.decode()
    page_gz = tmp_path / "page.txt.gz"
    page_gz.write_bytes(gzip.compress(article(5).encode("gbk")))
    one = run_cli("page", str(page_gz))
    assert one.returncode == 0 and json.loads(one.stdout)["title"] == "第5号新闻标题在这里"


def test_site_falls_back_to_the_host_and_says_so() -> None:
    from corpus import PROSE

    from zhclean import page

    plain = page("标题在这里\n" + PROSE[0], url="https://www.news.example.cn/a/1.html")
    assert (plain.site, plain.site_from) == ("news.example.cn", "url")
    bylined = page("标题在这里\n某某网 来源：某某社 2024-03-01\n" + PROSE[0],
                   url="https://www.news.example.cn/a/1.html")
    assert (bylined.site, bylined.site_from) == ("某某网", "byline")
    assert page("标题在这里\n" + PROSE[0]).site_from is None
