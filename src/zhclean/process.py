"""One record through the whole job: decode, repair, structure, filter.

The step every engine runs (in a process pool, on Ray, inside ``datasets.map``): pure,
and it never raises. Each record ends as exactly one outcome: ``kept`` with its article,
``rejected`` with a reason code, or ``failed`` with the error.

>>> kind, row = process(RawRecord("r1", "今天上午，市政府召开新闻发布会，介绍了今年的经济运行情况，"
...                                     "各项指标稳中有进，就业形势总体稳定，居民收入继续增长。"))
>>> kind, row["id"], len(row["paragraphs"])
('kept', 'r1', 1)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from .article import page
from .filters import FilterConfig, check
from .io.encoding import decode
from .io.readers import JsonLine, parse_line
from .io.records import Failure, RawRecord
from .repair._chars import replace_surrogates
from .repair.script import Target

__all__ = ["Options", "Outcome", "datasets_map", "process"]

Outcome = Literal["kept", "rejected", "failed"]


@dataclass(frozen=True, slots=True)
class Options:
    """What the job does to each record (the recipe's ``[page]`` and ``[filters]``)."""

    script: Target = "auto"
    filters: FilterConfig = field(default_factory=FilterConfig)
    changes: bool = False  # keep every repair change (``changes/SHARD.jsonl``)


def process(
    item: RawRecord | Failure | JsonLine, options: Options = Options()
) -> tuple[Outcome, dict[str, Any]]:
    """The outcome of one record and its row."""
    try:
        if isinstance(item, JsonLine):
            item = parse_line(item)
        if isinstance(item, Failure):
            return "failed", {"id": replace_surrogates(item.id), "error": item.error}
        url = replace_surrogates(item.url) if item.url else None
        item = RawRecord(replace_surrogates(item.id), item.data, url, item.charset)
        text = item.data if isinstance(item.data, str) else decode(item.data, hint=item.charset)
        text = replace_surrogates(text)
        article = page(text, url=item.url, id=item.id, script=options.script,
                       changes=options.changes)
    except Exception as err:  # a bad record is data: report it and go on
        record_id = str(getattr(item, "id", None) or getattr(item, "where", "?"))
        record_id, url = replace_surrogates(record_id), getattr(item, "url", None)
        return "failed", {"id": record_id, "url": replace_surrogates(url) if url else None,
                          "error": f"{type(err).__name__}: {err}"}
    verdict = check(article, options.filters)
    if verdict is not None:
        reason, detail = verdict
        return "rejected", {"id": item.id, "url": item.url, "reason": reason, "detail": detail,
                            "title": article.title}
    return "kept", article.to_dict()


def datasets_map(batch: dict[str, list[Any]], text_field: str = "text",
                 options: Options = Options()) -> dict[str, list[Any]]:
    """For Hugging Face ``datasets.map(..., batched=True)``: adds ``zhclean_status``,
    ``zhclean_reason``, ``zhclean_title`` and ``zhclean_text`` columns."""
    status, reason, title, text = [], [], [], []
    ids = batch.get("id") or [str(i) for i in range(len(batch[text_field]))]
    urls = batch.get("url") or [None] * len(ids)
    for record_id, url, data in zip(ids, urls, batch[text_field], strict=True):
        kind, row = process(RawRecord(str(record_id), data or "", url), options)
        status.append(kind)
        reason.append(row.get("reason") or row.get("error"))
        title.append(row.get("title"))
        text.append(row.get("text"))
    return {**batch, "zhclean_status": status, "zhclean_reason": reason,
            "zhclean_title": title, "zhclean_text": text}
