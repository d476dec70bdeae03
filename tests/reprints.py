"""A synthetic reprint corpus: the same articles on many sites, each copy with its own
chrome and damage (converted to Traditional by different converters, pinyin glue,
truncated, lightly edited), mixed with unrelated articles on the same topics."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from conftest import gold_pages, paragraphs

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
    """Records (id, text) with ``group`` (the article) and ``kind`` of each copy."""
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
        }
        for kind, (site, source, date, paras) in variants.items():
            records.append({"id": f"a{n}-{kind}", "group": str(n), "kind": kind,
                            "text": page_text(site, source, date, title, paras)})
        other = articles()[(n + 1) % len(articles())]
        mixed = body[: len(body) // 2] + other[len(other) // 2:]
        records.append({"id": f"a{n}-related", "group": f"{n}-related", "kind": "related",
                        "text": page_text(f"综合{n}网", f"综合{n}网", "2024-01-11",
                                          f"第{n}篇相关报道", mixed)})
    return records
