"""``zhclean page``: the article record, golden on the seed page, and robust on junk.

Cases live in ``tests/cases/page/page.jsonl``: each gives the fields it checks.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from test_seed import run_cli

from zhclean import page
from zhclean.blocks.labels import LABELS

CASES = Path(__file__).parent / "cases" / "page" / "page.jsonl"
FIELDS = ("title", "site", "source", "published", "category", "tags", "summary",
          "reprint_notice")


def test_seed_page_matches_expected(shared: Path) -> None:
    seed = shared / "samples" / "seed"
    expected = json.loads((seed / "expected.json").read_text(encoding="utf-8"))
    done = run_cli("page", str(seed / "raw.txt"))
    assert done.returncode == 0, done.stderr.decode()
    record = json.loads(done.stdout)
    for name in FIELDS:
        assert record[name] == expected[name], name
    assert record["paragraphs"] == expected["body_paragraphs"]
    assert record["text"] == "\n".join(expected["body_paragraphs"])
    assert record["script"] == {"input": "hant-converted", "output": "hans"}


def test_record_has_the_contract_fields() -> None:
    record = page("标题是这样的一行字\n正文。", url="http://example.com/a").to_dict()
    assert set(record) >= {"id", "title", "site", "source", "published", "author", "category",
                           "tags", "summary", "reprint_notice", "paragraphs", "text", "script",
                           "url"}
    assert record["url"] == "http://example.com/a"
    assert page("x", id="rec-1").id == "rec-1"
    assert page("同样的内容").id == page("同样的内容").id != page("不同的内容").id


def load() -> list[Any]:
    """The cases; one with ``xfail`` (its reason) is a known failure, run as strict xfail,
    and one with a ``url`` or a ``fetched`` time is the page fetched from there, then."""
    cases = [json.loads(line) for line in CASES.read_text(encoding="utf-8").splitlines()]
    return [pytest.param(case, id=case["label"], marks=[
        pytest.mark.xfail(strict=True, reason=case["xfail"])] if "xfail" in case else [])
        for case in cases]


@pytest.mark.parametrize("case", load())
def test_case(case: dict[str, Any]) -> None:
    record = page(case["input"], url=case.get("url"), fetched=case.get("fetched")).to_dict()
    for name, value in case["expected"].items():
        assert record.get(name) == value, f"{name}: {case['comment']}"


@pytest.mark.parametrize("data", [
    b"", b"\x00\x01\x02\xff" * 100, "<div>" * 10_000 + "深层嵌套的正文内容。" + "</div>" * 10_000,
    "<html><body><p>未闭合的段落，内容在这里。<div><span>还有<b>更多", "\n" * 1000,
    "<<<>>>&&&;;", "\ud800孤立代理",
], ids=["empty", "binary", "deep-html", "unclosed", "blank-lines", "symbols", "surrogate"])
def test_bad_input_gives_a_record(data: str | bytes) -> None:
    record = page(data)
    assert isinstance(record.paragraphs, list)
    if not record.paragraphs:
        assert record.empty_reason


def test_undecodable_bytes_give_an_empty_record_with_the_reason() -> None:
    record = page(b"\x80" * 64)
    assert record.paragraphs == [] and (record.empty_reason or "").startswith("undecodable")


def test_a_20_mb_single_line() -> None:
    line = "这是一个非常长的句子，没有换行。" * 1_300_000
    record = page(line)
    assert len(record.text) == len(line)


# The project's page with one block of each kind, and the label each must get.
LABELLED = {
    "首页 | 新闻中心 | 行业动态": "nav", "行业动态": "category",
    "绿源科技发布新一代储能系统": "title",
    "储能世界网 来源：绿源科技 作者：张三 2024-03-12 10:05": "byline",
    "图为发布会现场。绿源科技供图": "caption", "转载请注明出处。": "reprint",
    "储能电池液冷系统新能源": "tags", "广告": "ad", "参考资料": "references",
    "分享到：微信 微博": "share", "网友评论": "comment", "相关阅读": "related",
    "版权所有 © 2024 储能世界网 京ICP备12345678号": "footer",
}


def test_every_label_has_an_example() -> None:
    text = (CASES.parent / "labels.txt").read_text(encoding="utf-8")
    record = page(text, explain=True)
    labels = {b["text"]: b["label"] for b in record.blocks or []}
    assert set(LABELS) - {"blank", "other"} <= set(labels.values())  # every label shown
    for line, label in LABELLED.items():
        assert labels[line] == label, line
    assert [b["label"] for b in record.blocks or [] if b["text"].startswith("3月12日")] == [
        "lead", "body"]
    assert [b["label"] for b in record.blocks or [] if "娱乐城" in b["text"]] == ["spam"]
    assert [b["label"] for b in record.blocks or [] if "免责声明" in b["text"]] == ["disclaimer"]
    assert record.author == "张三" and record.published == "2024-03-12T10:05:00"
    assert len(record.paragraphs) == 4  # three paragraphs and the caption
