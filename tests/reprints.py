"""A synthetic reprint corpus: the same articles on many sites, each copy with its own
chrome and damage (converted to Traditional by different converters, pinyin glue,
truncated, lightly edited, cut to 50–85%, an excerpt from the middle, an editor's note
added), mixed with pages that quote half an article and go on with another."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache

from conftest import gold_pages, paragraphs, shared_dir

from zhclean import detect_script
from zhclean.repair.damage import glue_pinyin


@cache
def articles() -> list[list[str]]:
    """Articles as lists of paragraphs: the Simplified gold pages long enough, and the
    project's own prose cut into articles of five paragraphs."""
    found = []
    for page in gold_pages():
        text = page["content"]
        parts = [p.strip() for p in text.split("\n") if len(p.strip()) >= 20]
        if detect_script(text).input == "hans" and sum(map(len, parts)) >= 400:
            found.append(parts)
    own = paragraphs("simplified.txt")
    found += [own[i:i + 5] for i in range(0, len(own) - 4, 5)]
    return found


def cut(paragraph: str) -> str:
    """The paragraph without its last clause (up to its last comma), closed with 。."""
    head, comma, _ = paragraph.rstrip("。").rpartition("，")
    return head + "。" if comma else paragraph


def cut_to(body: list[str], share: float) -> list[str]:
    """The body cut after the first sentence end past ``share`` of its characters, as
    sites cut a copy short."""
    text = "\n".join(body)
    end = text.find("。", int(share * len(text)))
    return text[:end + 1 if end >= 0 else len(text)].split("\n")


def middle(body: list[str]) -> list[str]:
    """An excerpt from the middle: the sentences of the body's second and third quarters."""
    text = "\n".join(body)
    start = text.find("。", len(text) // 4) + 1
    end = text.find("。", 3 * len(text) // 4)
    return text[start:end + 1 if end >= 0 else len(text)].strip().split("\n")


NOTE = ("编者按：本文转自合作媒体，观点仅代表作者本人，不代表本站立场。"
        "文中数据由作者提供，本站未作核实，读者阅读时请自行甄别，如有异议请与我们联系。")


def converters() -> dict[str, Callable[[str], str]]:
    import hanziconv
    import opencc
    import zhconv

    s2t = opencc.OpenCC("s2t").convert
    return {"opencc": s2t, "zhconv": lambda t: zhconv.convert(t, "zh-hant"),
            "hanziconv": hanziconv.HanziConv.toTraditional}


def page_text(site: str, source: str, date: str, title: str, body: list[str]) -> str:
    return "\n".join([f"首页 | {site}新闻", title, f"{site} 来源：{source} {date}", *body,
                      "转载请注明出处。", "网友评论", "相关阅读", f"版权所有 © {site}"])


def corpus() -> list[dict[str, str]]:
    """Records (id, text) with ``group`` (the article) and ``kind`` of each copy; a
    ``related`` page (:func:`related`) is a group of its own."""
    convert = converters()
    records = []
    for n, body in enumerate(articles()):
        origin = f"原创{n}报"
        title = f"第{n}篇报道的标题"
        variants = {
            "original": (origin, origin, "2024-01-10", body),
            "reprint": (f"转载{n}网", origin, "2024-01-12", body),
            "opencc": (f"繁体{n}站", origin, "2024-01-13", [convert["opencc"](p) for p in body]),
            "zhconv": (f"台{n}网", origin, "2024-01-14", [convert["zhconv"](p) for p in body]),
            "glued": (f"农场{n}网", origin, "2024-01-15",
                      [glue_pinyin(convert["hanziconv"](p)) for p in body]),
            # lightly edited: one word changed; truncated: the last clause cut, as
            # excerpts are, at a punctuation mark
            "edited": (f"改稿{n}网", origin, "2024-01-16",
                       [body[0].replace("的", "之", 1), *body[1:]]),
            "truncated": (f"节选{n}网", origin, "2024-01-17", [*body[:-1], cut(body[-1])]),
            "cut-50": (f"半篇{n}网", origin, "2024-01-18", cut_to(body, 0.5)),
            "cut-65": (f"摘编{n}网", origin, "2024-01-18", cut_to(body, 0.65)),
            "cut-85": (f"删节{n}网", origin, "2024-01-18", cut_to(body, 0.85)),
            "middle": (f"摘录{n}网", origin, "2024-01-19", middle(body)),
            "noted": (f"编者{n}网", origin, "2024-01-20", [NOTE, *body]),
        }
        for kind, (site, source, date, paras) in variants.items():
            records.append({"id": f"a{n}-{kind}", "group": str(n), "kind": kind,
                            "text": page_text(site, source, date, title, paras)})
        records.append({"id": f"a{n}-related", "group": f"{n}-related", "kind": "related",
                        "text": page_text(f"综合{n}网", f"综合{n}网", "2024-01-11",
                                          f"第{n}篇相关报道", related(n))})
    return records


def related(n: int) -> list[str]:
    """A page on the same topic that quotes article ``n``'s first half (the same text
    as its cut-50 copy) and goes on for as long with text written independently (a
    ``bench/news-zh-2`` gold text): half of it lies inside article ``n``, so it is no
    copy of it, though the cut-50 copy lies inside both."""
    quoted = cut_to(articles()[n], 0.5)
    size = sum(map(len, quoted))
    others = _independent()
    text = others[n % len(others)]
    end = text.find("。", size)
    return quoted + text[:end + 1 if end >= 0 else len(text)].split("\n")


@cache
def _independent() -> list[str]:
    """Simplified texts of another set, written independently of the articles."""
    path = shared_dir() / "bench" / "news-zh-2" / "gold.jsonl"
    texts = [json.loads(line)["content"] for line in
             path.read_text(encoding="utf-8").splitlines()]
    return [t for t in texts if detect_script(t).input == "hans" and len(t) >= 600]
