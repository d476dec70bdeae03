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
])
def test_bad_recipes_say_what_is_wrong(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        build_config(["in"], "out", write(tmp_path, text))
