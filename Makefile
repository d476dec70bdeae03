# The two commands of the README work from nothing: each creates .venv on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
OUT    := out/demo

.PHONY: demo test lint bench fuzz tables clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-* && touch $@

demo: $(STAMP)
	@mkdir -p $(OUT)
	@for f in examples/*.txt; do \
		name=$$(basename $$f .txt); \
		$(BIN)/zhclean repair $$f > $(OUT)/$$name.repaired.txt && \
		$(BIN)/zhclean repair --explain $$f > $(OUT)/$$name.changes.jsonl && \
		$(BIN)/zhclean page --indent 1 $$f > $(OUT)/$$name.article.json || exit 1; \
	done
	@rm -rf $(OUT)/run
	@# the run's own summary goes to a log: the demo prints one from its output files
	@$(BIN)/zhclean run examples -o $(OUT)/run --workers 2 --format jsonl --quiet \
		2> $(OUT)/run.log || { cat $(OUT)/run.log; exit 1; }
	@$(BIN)/python scripts/demo_summary.py examples $(OUT)

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/mypy

test: lint
	$(BIN)/pytest

fuzz: $(STAMP)
	ZHCLEAN_FUZZ=20000 $(BIN)/pytest -q tests/test_properties.py

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	$(BIN)/python benchmarks/bench_repair.py
	$(BIN)/python benchmarks/bench_extract.py
	$(BIN)/python benchmarks/bench_dedup.py
	$(BIN)/python benchmarks/bench_run.py
	$(BIN)/python benchmarks/bench_small_files.py

tables:
	$(BIN)/python -m pip install --quiet -e '.[tables]'
	$(BIN)/python scripts/build_tables.py

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
