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
from .io.encoding import Decoded, decode_report
from .io.readers import JsonLine, parse_line
from .io.records import Failure, RawRecord, not_text
from .repair._chars import count_and_replace_surrogates, replace_surrogates
from .repair.script import Target

__all__ = ["Options", "Outcome", "datasets_map", "page_input", "process"]

Outcome = Literal["kept", "rejected", "failed"]


@dataclass(frozen=True, slots=True)
class Options:
    """What the job does to each record (the recipe's ``[page]`` and ``[filters]``)."""

    script: Target = "auto"
    filters: FilterConfig = field(default_factory=FilterConfig)
    changes: bool = False  # keep every repair change (``changes/SHARD.jsonl``)
    encoding: str | None = None  # decode bytes with this codec, bad bytes as U+FFFD


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
        payload = not_text(item)  # an image or a PDF would only come out as "empty"
        if payload is not None:
            return "rejected", {"id": replace_surrogates(item.id), "url": url,
                                "reason": "not_text", "detail": payload, "title": None}
        item = RawRecord(replace_surrogates(item.id), item.data, url, item.charset,
                         fetched=item.fetched)
        article = page(page_input(item, options.encoding), url=item.url, id=item.id,
                       fetched=item.fetched, script=options.script, changes=options.changes)
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


def page_input(item: RawRecord, encoding: str | None = None) -> str | Decoded:
    """A record's page as :func:`~zhclean.article.page` takes it: bytes decoded here (so a
    :class:`DecodeError` is the caller's failed record, not an empty article), lone
    surrogates replaced and, where a JSON reader kept a stray byte as one, counted as an
    undecodable byte."""
    if isinstance(item.data, str):
        text, stray = count_and_replace_surrogates(item.data)
        return Decoded(text, "utf-8", stray) if stray else text
    decoded = decode_report(item.data, hint=item.charset, encoding=encoding)
    return decoded._replace(text=replace_surrogates(decoded.text))


def datasets_map(batch: Any, text_field: str = "text", options: Options = Options()) -> Any:
    """For Hugging Face ``datasets.map(..., batched=True)``: adds ``zhclean_status``
    (kept, rejected, failed), ``zhclean_reason`` (the reason code or the error) and the
    whole article record as ``zhclean_title``, ``zhclean_paragraphs``, ... columns.

    It returns an Arrow table whose new columns have explicit types, so a batch in
    which every value of a column is null (no rejections yet, no author) still writes a
    string column. Given the batch as Arrow (``ds.with_format("arrow")``), the input's
    columns keep their own types too; given a dict of lists, Arrow infers them (and a
    column that is all null in a batch is taken for strings).
    """
    import pyarrow as pa

    if isinstance(batch, pa.Table):
        table, columns = batch, batch.to_pydict()
    else:
        columns = batch
        table = pa.table({name: _inferred(values) for name, values in batch.items()})
    texts = columns[text_field]
    ids = columns.get("id") or [str(i) for i in range(len(texts))]
    urls = columns.get("url") or [None] * len(texts)
    article_columns = _article_columns()
    added: dict[str, list[Any]] = {name: [] for name, _ in article_columns}
    for record_id, url, data in zip(ids, urls, texts, strict=True):
        outcome, row = process(RawRecord(str(record_id), data or "", url), options)
        added["zhclean_status"].append(outcome)
        added["zhclean_reason"].append(row.get("reason") or row.get("error"))
        for name, _ in article_columns[2:]:
            added[name].append(row.get(name.removeprefix("zhclean_"))
                               if outcome == "kept" else None)
    for name, arrow_type in article_columns:
        if name in table.column_names:
            table = table.drop_columns([name])
        table = table.append_column(name, pa.array(added[name], arrow_type))
    return table


def _article_columns() -> list[tuple[str, Any]]:
    """The columns datasets_map adds: the outcome, then every article column but those
    the input already has (id, url) and the run's own (input)."""
    import pyarrow as pa

    from .io.schema import kept_schema

    return [("zhclean_status", pa.string()), ("zhclean_reason", pa.string())] + [
        (f"zhclean_{f.name}", f.type) for f in kept_schema()
        if f.name not in ("id", "url", "input")]


def _inferred(values: list[Any]) -> Any:
    import pyarrow as pa

    array = pa.array(values)
    return array.cast(pa.string()) if pa.types.is_null(array.type) else array
