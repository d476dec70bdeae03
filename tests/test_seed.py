"""The seed page: `zhclean repair` must print the golden repair byte for byte."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from zhclean import apply_changes, repair


def run_cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "zhclean", *args], input=stdin,
                          capture_output=True, check=False)


def test_cli_repair_matches_golden_bytes(shared: Path) -> None:
    seed = shared / "samples" / "seed"
    done = run_cli("repair", str(seed / "raw.txt"))
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout == (seed / "repaired.txt").read_bytes()


def test_seed_changes_replay_and_explain(shared: Path) -> None:
    raw = (shared / "samples" / "seed" / "raw.txt").read_text(encoding="utf-8")
    result = repair(raw)
    assert apply_changes(raw, result.changes) == result.text
    assert result.script.input == "hant-converted" and result.script.output == "hans"
    glue = [c for c in result.changes if c.step == "pinyin_glue"]
    assert len(glue) == 325  # the page's 325 glued syllables, no more
    assert all(c.after == "" and c.before.startswith("(") for c in glue)
    assert result.text.count("\n") == raw.count("\n")

    done = run_cli("repair", "--explain", str(shared / "samples" / "seed" / "raw.txt"))
    lines = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert len(lines) == len(result.changes)
    assert set(lines[0]) == {"step", "reason", "start", "end", "before", "after"}
