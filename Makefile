# The two commands of the README work from nothing: each creates .venv on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
OUT    := out/demo

.PHONY: demo test lint chromium bench fuzz tables clean

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
	@$(BIN)/zhclean report $(OUT)/run -o $(OUT)/report.html 2>> $(OUT)/run.log
	@$(BIN)/python scripts/demo_summary.py examples $(OUT)

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/mypy

# The browser tests drive Debian's chromium: Playwright may not download a browser of its own
# here. Only test needs it (demo runs no browser); once installed this is two file checks.
# The CJK fonts make the inspector's screenshots show Chinese, not empty boxes.
CHROMIUM := /usr/bin/chromium
CJK_FONT := /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
APT      := env DEBIAN_FRONTEND=noninteractive apt-get

chromium:
	@[ -x $(CHROMIUM) ] && [ -f $(CJK_FONT) ] && exit 0; \
	if [ "$$(id -u)" = 0 ]; then sudo=; \
	elif command -v sudo > /dev/null && sudo -n true 2> /dev/null; then sudo='sudo -n'; \
	else echo "$(CHROMIUM) is missing and apt-get needs root: run" \
		"'apt-get install chromium' as root, then make test again" >&2; exit 1; fi; \
	echo "installing Debian's chromium for the browser tests"; \
	$$sudo $(APT) update -qq && $$sudo $(APT) install -y -qq chromium fonts-noto-cjk > /dev/null && \
	[ -x $(CHROMIUM) ] || { echo "could not install $(CHROMIUM) with apt-get" >&2; exit 1; }

test: lint chromium
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
