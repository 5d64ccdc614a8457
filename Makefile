# Two commands on a fresh machine: `make demo` and `make test`. Both build the venv themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# DB empty: the CLI's default store, so `newsgraph search` finds the demo afterwards
DB ?=
PORT ?= 8765

.PHONY: setup demo test lint bench eval clean screenshot lexicon knowledge

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: $(BIN)/activate pyproject.toml constraints.txt
	$(BIN)/pip install -q -c constraints.txt -e '.[dev]'
	@if [ -f package.json ]; then npm ci --no-audit --no-fund --silent; fi
	touch $@

setup: $(VENV)/.installed

demo: setup
	$(BIN)/newsgraph demo $(if $(DB),--db $(DB)) --serve --port $(PORT)

test: setup
	$(BIN)/ruff check src tests eval bench
	$(BIN)/mypy
	@if [ -z "$$CI" ] && ! command -v chromium >/dev/null 2>&1 && [ ! -x "$${NEWSGRAPH_CHROMIUM:-/usr/bin/chromium}" ]; then \
	  echo "NOTE: chromium is not installed, so the browser tests will be SKIPPED (apt-get install chromium; CI runs them)"; fi
	$(BIN)/pytest

# Refresh docs/web*.png from the browser tests (tests alone write only under temporary folders).
screenshot: setup
	NEWSGRAPH_SCREENSHOT_DIR=docs $(BIN)/pytest -q -p no:cacheprovider tests/test_web_browser.py tests/test_web_review_browser.py tests/test_web_incidents_browser.py

lint: setup
	$(BIN)/ruff check src tests eval bench
	$(BIN)/ruff format --check src
	$(BIN)/mypy

bench: setup
	$(BIN)/python bench/throughput.py

# The event trigger lexicon, derived from ../shared/data/lexicons (CAMEO, CAMEO->PLOVER): issue 12.
lexicon: setup
	$(BIN)/python scripts/derive_event_lexicon.py

# Actor knowledge (named actors, places, generic agents) from the Phoenix dictionaries: issue 12.
knowledge: setup
	$(BIN)/python scripts/derive_actor_knowledge.py

clean:
	rm -rf $(VENV) node_modules demo
