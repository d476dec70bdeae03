"""The one schema of a run's kept records, with an explicit type for every column.

The columns are the fields of :class:`~zhclean.article.Article` (its public JSON form),
then ``input`` (the file a record came from), then the columns the corpus stages
declare (dedup's ``cluster_id``, ``is_canonical``, ``duplicate_of``, ``joined`` and
``join_score``). Types never come
from the data: a shard that keeps nothing, or whose every ``author`` is null, has the
same schema as any other, so pandas, pyarrow datasets, DuckDB and Hugging Face
``datasets`` read the shards of a run as one table. JSONL rows carry the same keys.

>>> kept_schema().field("tags").type
ListType(list<item: string>)
>>> kept_schema(DEDUP_COLUMNS).names[-5:]
['cluster_id', 'is_canonical', 'duplicate_of', 'joined', 'join_score']
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

import pyarrow as pa

from ..repair import REPAIRS

__all__ = ["DEDUP_COLUMNS", "RUN_COLUMNS", "conform", "kept_schema", "schema_with"]

# Article fields that a run does not store as columns: ``blocks`` (``--explain`` only)
# and ``changes`` (kept in ``changes/SHARD.jsonl`` for audits).
_NOT_COLUMNS = frozenset({"blocks", "changes"})
# Dict fields have documented keys: a struct reads better than a map in every reader.
_STRUCT_KEYS = {"script": ("input", "output"), "repairs": REPAIRS}

RUN_COLUMNS: Mapping[str, pa.DataType] = {"input": pa.string()}
DEDUP_COLUMNS: Mapping[str, pa.DataType] = {
    "cluster_id": pa.string(), "is_canonical": pa.bool_(), "duplicate_of": pa.string(),
    "joined": pa.string(), "join_score": pa.float64()}

_SCALARS: dict[Any, pa.DataType] = {str: pa.string(), int: pa.int64(), float: pa.float64(),
                                     bool: pa.bool_()}


def _arrow_type(name: str, hint: Any) -> pa.DataType:
    """The Arrow type of one Article field's annotation (``X | None`` is nullable X)."""
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        (hint,) = [arg for arg in typing.get_args(hint) if arg is not type(None)]
    origin = typing.get_origin(hint)
    if origin is list:
        (item,) = typing.get_args(hint)
        return pa.list_(_arrow_type(name, item))
    if origin is dict:
        _, value = typing.get_args(hint)
        return pa.struct([(key, _arrow_type(name, value)) for key in _STRUCT_KEYS[name]])
    if hint in _SCALARS:
        return _SCALARS[hint]
    raise TypeError(f"Article.{name}: no column type for {hint!r}")  # a new field's type


@cache
def _article_columns() -> tuple[tuple[str, pa.DataType], ...]:
    from ..article import Article  # the article module imports the readers' package

    hints = typing.get_type_hints(Article)
    return tuple((f.name, _arrow_type(f.name, hints[f.name]))
                 for f in dataclasses.fields(Article) if f.name not in _NOT_COLUMNS)


def kept_schema(*stages: Mapping[str, pa.DataType]) -> pa.Schema:
    """The kept records' schema: the article's fields, the run's, then each stage's."""
    columns = [*_article_columns(), *RUN_COLUMNS.items()]
    for stage in stages:
        columns.extend(stage.items())
    return pa.schema(columns)


def schema_with(names: Iterable[str]) -> pa.Schema:
    """The kept schema with the stages whose columns ``names`` (a shard's) hold: the
    schema to rewrite a shard with when a stage may already have run on it."""
    from ..stages import STAGES  # the stages declare their columns; they import this module

    present = set(names)
    return kept_schema(*(stage.columns for stage in STAGES
                         if stage.columns and present.issuperset(stage.columns)))


def conform(rows: Iterable[dict[str, Any]], schema: pa.Schema) -> list[dict[str, Any]]:
    """Rows with exactly the schema's keys, in its order (missing ones null), so a JSONL
    shard carries the same keys as a Parquet one. A key the schema lacks is an error:
    silently dropping it would make the two formats differ."""
    names = schema.names
    known = set(names)
    conformed = []
    for row in rows:
        extra = set(row) - known
        if extra:
            raise ValueError(f"kept record has columns the schema lacks: {sorted(extra)}")
        conformed.append({name: row.get(name) for name in names})
    return conformed
