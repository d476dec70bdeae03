"""The pages in ``examples/`` (written by the project) repair as the demo promises."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import ROOT
from test_seed import run_cli

from zhclean import decode, detect_script, page, repair

EXAMPLES = ROOT / "examples"


def read(name: str) -> str:
    return decode((EXAMPLES / name).read_bytes())


def test_farm_page_is_fully_restored() -> None:
    raw = read("farm_converted_glue.txt")
    result = repair(raw)
    assert result.script.input == "hant-converted"
    assert "(" not in result.text.replace("(0 )", "")
    assert detect_script(result.text).input == "hans"
    assert "着眼长远，着力提升" in result.text and "据了解" in result.text
    assert result.text.count("\n") == raw.count("\n")


def test_seo_page_loses_symbols_but_keeps_bullets() -> None:
    text = repair(read("seo_symbols.txt")).text
    assert text.startswith("茶叶知识大全\n如何挑选好茶？")
    assert "使用紫砂壶" in text and "★★★★★ 读者推荐" in text and "● 绿茶" in text


def test_native_and_legitimate_pages_are_untouched() -> None:
    for name in ("taiwan_native_big5.txt", "poem_pinyin_gbk.txt"):
        raw = read(name)
        assert repair(raw).text == raw, name


def test_farm_page_record() -> None:
    record = page(read("farm_converted_glue.txt"))
    assert (record.title, record.site, record.source, record.published, record.category) == (
        "绿源科技发布新一代储能系统", "储能世界网", "绿源科技", "2024-03-12", "行业动态")
    assert record.reprint_notice == "转载请注明出处。"
    assert record.summary is not None and record.summary.endswith("...")
    assert len(record.paragraphs) == 3 and record.paragraphs[1].startswith("据了解")


def test_seo_page_record_keeps_bullets_out_of_tags() -> None:
    record = page(read("seo_symbols.txt"))
    assert record.title == "茶叶知识大全" and record.tags == []


def test_every_page_has_a_title_or_no_headline_line() -> None:
    """A title is found, unless the page truly has none: it opens with its first paragraph."""
    for path in sorted(EXAMPLES.glob("*.txt")):
        record = page(path.read_bytes())
        first_line = next(line.strip() for line in repair(read(path.name)).text.splitlines()
                          if line.strip())
        assert record.title or first_line == record.paragraphs[0], path.name
    assert page(read("poem_pinyin_gbk.txt")).title == "静夜思"


def test_demo_corpus_run_keeps_the_poem_and_fails_only_the_broken_line(tmp_path: Path) -> None:
    """The demo's ``zhclean run``: the per-character pinyin poem is kept (not low_cjk),
    every page file is kept, and the only failed record is the dump's deliberately
    broken JSON line."""
    out = tmp_path / "run"
    done = run_cli("run", str(EXAMPLES), "-o", str(out), "--workers", "2", "--format", "jsonl",
                   "--quiet")
    assert done.returncode == 0, done.stderr.decode()
    records = {kind: [json.loads(line) for path in sorted((out / kind).glob("*.jsonl"))
                      for line in path.read_text(encoding="utf-8").splitlines()]
               for kind in ("kept", "rejected", "failed")}
    kept_inputs = {Path(r["input"]).name for r in records["kept"]}
    assert {p.name for p in EXAMPLES.glob("*.txt")} <= kept_inputs
    assert "dump-1" in {r["id"] for r in records["kept"]}  # the poem inside the dump, too
    (failed,) = records["failed"]  # the dump's last line, broken on purpose
    assert Path(failed["input"]).name == "dump.jsonl" and "JSON" in failed["error"]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["failed"] == 1 and manifest["read"] == sum(map(len, records.values()))


def test_demo_summary_tells_what_became_of_every_page(tmp_path: Path) -> None:
    """The lines ``make demo`` prints: every example page's fate in the run is found (not
    "not in the run"), and every title is named or explained."""
    import subprocess
    import sys

    for page_file in sorted(EXAMPLES.glob("*.txt")):
        done = run_cli("page", "--indent", "1", str(page_file))
        (tmp_path / f"{page_file.stem}.article.json").write_bytes(done.stdout)
        (tmp_path / f"{page_file.stem}.repaired.txt").write_bytes(
            run_cli("repair", str(page_file)).stdout)
        (tmp_path / f"{page_file.stem}.changes.jsonl").write_bytes(
            run_cli("repair", "--explain", str(page_file)).stdout)
    assert run_cli("run", str(EXAMPLES), "-o", str(tmp_path / "run"), "--format", "jsonl",
                   "--quiet").returncode == 0
    summary = subprocess.run([sys.executable, str(ROOT / "scripts" / "demo_summary.py"),
                              str(EXAMPLES), str(tmp_path)], capture_output=True, text=True,
                             check=True, cwd=ROOT).stdout
    page_lines = [line for line in summary.splitlines() if ".txt " in line]
    assert len(page_lines) == len(list(EXAMPLES.glob("*.txt")))
    assert not any("not in the run" in line or "None" in line for line in page_lines)
