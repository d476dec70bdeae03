"""A run's output is one table with explicit types, whatever each shard holds: pandas,
pyarrow datasets, DuckDB and Hugging Face ``datasets`` read it, JSONL and Parquet carry
the same keys, and every record keeps its own verdict even where ids repeat."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import corpus
import pyarrow as pa
import pytest

from zhclean.io.schema import DEDUP_COLUMNS, kept_schema
from zhclean.job import RunConfig, run

os.environ.setdefault("HF_DATASETS_OFFLINE", "1")  # nothing is fetched, ever


def build_inputs(root: Path) -> None:
    """The tester's case: the first input keeps nothing (a one-line page), the second
    keeps a real article; one record has no author, one no url."""
    root.mkdir()
    (root / "a.txt").write_text("短文。\n", encoding="utf-8")
    (root / "b.txt").write_text(corpus.article(4), encoding="utf-8")
    rows = [{"id": f"j{n}", "url": f"http://example.com/{n}", "text": corpus.article(n)}
            for n in range(3)]
    (root / "c.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n"
                                          for r in rows), encoding="utf-8")


def jsonl_rows(folder: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for p in sorted(folder.glob("*.jsonl"))
            for line in p.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def parquet_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("schema")
    build_inputs(root / "in")
    # One record a shard: the first shard keeps nothing, as in the tester's report.
    run(RunConfig((str(root / "in"),), root / "out", workers=1, shard_size=1, progress=False))
    return root / "out"


def test_zero_row_shards_have_the_full_schema(parquet_run: Path) -> None:
    import pyarrow.parquet as pq

    shards = sorted((parquet_run / "kept").glob("*.parquet"))
    assert pq.read_table(shards[0]).num_rows == 0  # a.txt keeps nothing
    expected = kept_schema(DEDUP_COLUMNS)
    for shard in shards:
        schema = pq.read_schema(shard)
        assert schema.names == expected.names
        assert all(not pa.types.is_null(f.type) for f in schema), shard
        assert schema.field("is_canonical").type == pa.bool_()


def test_every_reader_reads_the_kept_folder(parquet_run: Path) -> None:
    import datasets
    import duckdb
    import pandas as pd
    import pyarrow.dataset as ds

    kept = parquet_run / "kept"
    frame = pd.read_parquet(kept)
    assert len(frame) == 4 and frame["is_canonical"].dtype == bool
    assert ds.dataset(kept, format="parquet").to_table().num_rows == 4
    count = duckdb.sql(f"select count(*), count(distinct cluster_id) from "
                       f"read_parquet('{kept}/*.parquet')").fetchall()[0]
    clusters = [json.loads(line)["cluster_id"] for line in
                (parquet_run / "dedup" / "clusters.jsonl").read_text().splitlines()]
    assert count == (4, len(set(clusters)))
    loaded = datasets.load_dataset("parquet", data_files=str(kept / "*.parquet"),
                                   split="train", cache_dir=str(parquet_run.parent / "hf"))
    assert loaded.num_rows == 4 and loaded.features["tags"].feature.dtype == "string"


def test_jsonl_and_parquet_carry_the_same_keys_and_types(parquet_run: Path,
                                                         tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    build_inputs(tmp_path / "in")
    run(RunConfig((str(tmp_path / "in"),), tmp_path / "out", workers=1, shard_size=1,
                  format="jsonl", progress=False))
    rows = jsonl_rows(tmp_path / "out" / "kept")
    table = pa.Table.from_pylist(rows, schema=kept_schema(DEDUP_COLUMNS))  # types agree
    parquet = pq.read_table(sorted((parquet_run / "kept").glob("*.parquet"))[1])
    assert [list(r) for r in rows] == [table.schema.names] * len(rows)
    assert table.schema.names == parquet.schema.names
    by_id = {r["id"]: r for r in parquet.to_pylist()}
    for row in rows:  # the same values too, inputs aside (other folders)
        twin = by_id.get(row["id"])
        if twin is not None:
            assert {k: v for k, v in row.items() if k != "input"} == \
                {k: v for k, v in twin.items() if k != "input"}


def test_a_column_the_schema_lacks_is_an_error_not_dropped() -> None:
    from zhclean.io.schema import conform

    with pytest.raises(ValueError, match="columns the schema lacks"):
        conform([{"id": "1", "surprise": 2}], kept_schema())


def test_repeated_ids_keep_their_own_verdicts(tmp_path: Path) -> None:
    """Four records with one id (re-crawled urls used as ids), two of them identical:
    three clusters, one duplicate, one canonical copy per cluster."""
    texts = [corpus.article(1), corpus.article(1), corpus.article(7), corpus.article(13)]
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "same.jsonl").write_text(
        "".join(json.dumps({"id": "same", "text": t}, ensure_ascii=False) + "\n"
                for t in texts), encoding="utf-8")
    manifest = run(RunConfig((str(tmp_path / "in"),), tmp_path / "out", workers=1,
                             format="jsonl", progress=False))
    assert manifest["dedup"] == {"threshold": 0.8, "containment": 0.75, "records": 4,
                                 "clusters": 3, "duplicates": 1, "joined": {"exact": 1}}
    rows = jsonl_rows(tmp_path / "out" / "kept")
    assert sum(r["is_canonical"] for r in rows) == 3
    assert rows[0]["cluster_id"] == rows[1]["cluster_id"] != rows[2]["cluster_id"]


def test_cluster_ids_are_the_same_whatever_the_inputs_are_called(tmp_path: Path) -> None:
    verdicts = []
    for name in ("first", "second"):
        build_inputs(tmp_path / name)
        run(RunConfig((str(tmp_path / name),), tmp_path / f"out-{name}", workers=1,
                      format="jsonl", progress=False))
        # ids of files are their paths: compared by name, like the ids they point to
        verdicts.append([(r["id"].rsplit("/", 1)[-1], r["cluster_id"],
                          (r["duplicate_of"] or "").rsplit("/", 1)[-1])
                         for r in jsonl_rows(tmp_path / f"out-{name}" / "kept")])
    assert verdicts[0] == verdicts[1]
    assert not any("first" in str(v) for v in verdicts[0])


def test_datasets_map_types_every_column_even_when_a_batch_has_only_nulls() -> None:
    import datasets

    from zhclean.process import datasets_map

    texts = [corpus.article(n) for n in range(4)] + ["今天天气很好。"] * 2  # rejections come last
    dataset = datasets.Dataset.from_dict({"id": [str(i) for i in range(6)], "text": texts})
    for way in (dataset, dataset.with_format("arrow")):  # a dict batch, an Arrow batch
        mapped = way.map(datasets_map, batched=True, batch_size=2).with_format(None)
        assert mapped.features["zhclean_reason"].dtype == "string"
        assert mapped["zhclean_status"] == ["kept"] * 4 + ["rejected"] * 2
        assert mapped["zhclean_reason"][-1] == "too_short"
        assert mapped[0]["zhclean_source"] == "某某社" and mapped[0]["zhclean_paragraphs"]
        assert mapped["text"] == texts  # the input's columns stay
