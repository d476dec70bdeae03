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
