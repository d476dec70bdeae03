"""The overview of a run (counted once over the index or over the record files, the same
either way) and ``zhclean report``: one HTML file that needs nothing but itself."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from test_inspect import output

from zhclean.inspect import index as ix
from zhclean.inspect.overview import overview, summarise
from zhclean.inspect.report import overview_body, records_href, render_report

__all__ = ["output"]  # the fixture: a run over the examples and a hostile page


def test_the_overview_counts_what_the_run_wrote(output: Path) -> None:
    manifest = json.loads((output / "manifest.json").read_text(encoding="utf-8"))
    view = overview(output)
    assert (view.read, view.kept, view.rejected, view.failed) == (
        manifest["read"], manifest["kept"], manifest["rejected"], manifest["failed"])
    assert dict(view.reasons) == manifest["reasons"]
    assert dict(view.errors) == {"invalid JSON": 1}  # the examples' one broken line
    assert view.duplicates == manifest["dedup"]["duplicates"]
    assert dict(view.joined) == manifest["dedup"]["joined"]
    damage = {d.kind: d for d in view.damage}
    # the farm page: pinyin glued and converted to Traditional; the SEO page: symbols
    assert damage["glue"].records >= 1 and damage["glue"].count > damage["glue"].records
    assert damage["script"].records >= 1 and damage["symbols"].records >= 1
    assert dict(view.scripts)["hant-converted → hans"] >= 1
    assert {"nav", "byline", "disclaimer"} <= dict(view.dropped).keys()


def test_the_index_and_the_files_give_the_same_overview(output: Path) -> None:
    db = ix.connect(ix.ensure_index(output))
    from_index = summarise((dict(r) for r in db.execute("SELECT * FROM records")), output)
    assert from_index == overview(output)


def test_the_report_is_one_file_that_loads_nothing(output: Path) -> None:
    page = render_report(overview(output))
    assert page.startswith("<!doctype html>") and "<style>" in page
    for outside in ("<script", "<link", "<img", "<iframe", " src=", "url(", "href="):
        assert outside not in page, outside  # the report links nowhere, not even a list
    assert "绿源科技" not in page  # no record's text, only the figures
    assert "储能世界网" in page  # the sites are named


def test_values_from_crawled_pages_are_escaped_in_the_overview(output: Path) -> None:
    hostile = "<img src=x onerror=alert(1)>"
    rows = [dict(r) for r, _ in ix.rows(output)]
    for row in rows:
        if row["status"] == "kept":
            row.update(site=hostile, category=hostile)
        else:
            row["reason"] = hostile
    body = overview_body(summarise(rows, output), records_href)
    assert "<img" not in body and "&lt;img src=x onerror=alert(1)&gt;" in body
    links = re.findall(r'href="([^"]*)"', body)
    assert links and all(link.startswith(("/records?", "/records")) for link in links)
    assert "/records?site=%3Cimg+src%3Dx+onerror%3Dalert%281%29%3E" in body


def test_the_report_command_writes_the_file_or_says_why_not(output: Path,
                                                            tmp_path: Path) -> None:
    target = tmp_path / "shared" / "report.html"
    done = subprocess.run([sys.executable, "-m", "zhclean", "report", str(output), "-o",
                           str(target)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert str(target) in done.stderr and "kept" in target.read_text(encoding="utf-8")
    missing = subprocess.run([sys.executable, "-m", "zhclean", "report", str(tmp_path),
                              "-o", str(tmp_path / "x.html")], capture_output=True,
                             text=True, timeout=120)
    assert missing.returncode == 2 and "holds no run output" in missing.stderr
    assert not (tmp_path / "x.html").exists()
