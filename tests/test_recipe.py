"""Recipes: TOML values become the run's configuration; flags override them; a wrong
value is a clear error before any work starts."""

from __future__ import annotations

from pathlib import Path

import pytest

from zhclean.errors import UsageError
from zhclean.recipe import build_config


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "recipe.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_recipe_values_and_flag_overrides(tmp_path: Path) -> None:
    recipe = write(tmp_path, '[run]\nworkers = 3\nformat = "jsonl"\nshard_size = 7\n'
                             '[read]\ntext_fields = "html"\n[page]\nscript = "keep"\n'
                             'changes = true\n[filters]\nmin_chars = 10\nmax_spam_hits = false\n')
    config = build_config(["in"], "out", recipe, workers=1)
    assert (config.workers, config.format, config.shard_size) == (1, "jsonl", 7)
    assert config.fields.text == ("html",) and config.options.script == "keep"
    assert config.options.changes and config.options.filters.min_chars == 10
    assert config.options.filters.max_spam_hits is None
    assert build_config(["in"], "out").format == "parquet"  # sensible without a recipe


@pytest.mark.parametrize(("text", "message"), [
    ('[run]\nworkers = "two"\n', "workers must be a whole number"),
    ("[run]\nshard_size = 0\n", "shard_size must be a whole number"),
    ('[run]\nformat = "csv"\n', "format must be one of"),
    ('[filters]\nmin_chars = "50"\n', "filter min_chars must be a number"),
    ('[page]\nchanges = "false"\n', "changes must be true or false"),
    ("[page]\nscript = 3\n", "script must be one of"),
    ("[nope]\nx = 1\n", "unknown section"),
    ("run = 3\n", "must be a table"),
    ("[run]\nspeed = 1\n", "unknown key"),
    ("[filters]\nmin_words = 1\n", "unknown filter option"),
    ("[filters]\nngram = 2.5\n", "ngram must be a whole number"),
    ("[run\n", "cannot read recipe"),
    ("[run]\ndedup = false\n", "unknown key"),  # a stage is set in its own table
    ("[dedup]\nthreshold = 1.5\n", "threshold is a share"),
    ('[dedup]\ncontainment = "most"\n', "containment must be a float"),
    ("[dedup]\nenabled = 1\n", "enabled must be true or false"),
    ("[dedup]\nbands = 9\n", "unknown key"),
    ("[site_chrome]\nmin_pages = 1\n", "min_pages must be at least 2"),
])
def test_bad_recipes_say_what_is_wrong(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        build_config(["in"], "out", write(tmp_path, text))


def test_each_stage_is_set_in_its_own_table(tmp_path: Path) -> None:
    recipe = write(tmp_path, "[dedup]\nthreshold = 0.7\ncontainment = 1\n"
                             "[site_chrome]\nmin_pages = 5\n")
    stages = dict(build_config(["in"], "out", recipe).stages)
    assert list(stages) == ["site_chrome", "refilter", "dedup"]  # the order they run in
    assert (stages["dedup"].threshold, stages["dedup"].containment) == (0.7, 1.0)
    assert stages["site_chrome"].min_pages == 5
    off = write(tmp_path, "[site_chrome]\nenabled = false\n")
    assert [name for name, _ in build_config(["in"], "out", off).stages] == ["refilter",
                                                                             "dedup"]
    flagged = build_config(["in"], "out", skip=frozenset({"dedup"}))
    assert [name for name, _ in flagged.stages] == ["site_chrome", "refilter"]
