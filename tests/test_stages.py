"""The corpus stages behind one protocol, and the refilter stage: a page that was mostly
its site's chrome is rejected once the chrome is gone."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import corpus

from zhclean.engines.local import LocalEngine
from zhclean.job import RunConfig, run
from zhclean.stages import STAGES, stage_named

FOOTER = "欢迎关注本网官方微信公众号，获取更多精彩资讯，本网所有内容均为原创，转载请联系我们。"


def test_every_stage_declares_what_the_job_needs() -> None:
    names = [stage.name for stage in STAGES]
    assert len(set(names)) == len(names) and names[-1] == "dedup"
    for stage in STAGES:
        settings = stage.settings()
        assert dataclasses.is_dataclass(settings)
        settings.check()  # the defaults are valid
        assert stage.help and stage_named(stage.name) is stage


def test_a_page_that_was_mostly_chrome_is_rejected_after_site_chrome(tmp_path: Path) -> None:
    """Four pages of one site end with the same long footer; one holds only a line of
    its own besides it. Site chrome strips the footer everywhere; refilter then finds
    that page too short and moves it to the rejected records, once, even when the stage
    runs again."""
    rows = [{"id": f"p{n}", "url": f"http://news.example.com/{n}.html",
             "text": "\n".join([f"第{n}号新闻标题", corpus.PROSE[n], corpus.PROSE[n + 8], FOOTER])}
            for n in range(3)]
    rows.append({"id": "thin", "url": "http://news.example.com/thin.html",
                 "text": "\n".join(["一则短讯的标题", "今天下午本市举行了一场活动。", FOOTER])})
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "pages.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "out"
    manifest = run(RunConfig((str(tmp_path / "in"),), out, workers=1, format="jsonl",
                             progress=False))
    # as crawled, the footer made the thin page long enough; the totals count it rejected
    assert manifest["refilter"] == {"records_checked": 4, "rejected": 1,
                                    "reasons": {"too_short": 1}}
    assert (manifest["read"], manifest["kept"], manifest["rejected"]) == (4, 3, 1)
    assert manifest["reasons"] == {"too_short": 1}
    kept = [json.loads(line)["id"] for p in (out / "kept").glob("*.jsonl")
            for line in p.read_text(encoding="utf-8").splitlines()]
    assert sorted(kept) == ["p0", "p1", "p2"]
    moved = [json.loads(line) for p in (out / "rejected").glob("*.refilter.jsonl")
             for line in p.read_text(encoding="utf-8").splitlines()]
    assert [(r["id"], r["reason"]) for r in moved] == [("thin", "too_short")]
    assert manifest["dedup"]["records"] == 3  # dedup sees what is kept
    with LocalEngine(1) as engine:  # run again: every shard is done, nothing moves
        again = stage_named("refilter").run(out, stage_named("refilter").settings(), engine,
                                            False)
    assert again == manifest["refilter"]
    recounted = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert (recounted["kept"], recounted["rejected"]) == (3, 1)  # not counted twice
