# dumpscope — entry points. `make help` lists them.
# A fresh machine needs only Python 3.11 and make: `make report`, `make test`.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# Re-synced with pyproject.toml whenever pyproject.toml is newer than this stamp.
STAMP := $(VENV)/.dumpscope-installed
FULL_DUMP := data/synthetic/full/dump.csv
ifndef RUN_ID
RUN_ID := $(shell date -u +%Y%m%dT%H%M%SZ)
endif
OUT ?= reports/$(RUN_ID)
PYTEST_WORKERS ?= 2
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export TZ := UTC

.PHONY: help venv report run synthetic test test-unit test-notebooks lint format bench chromium clean-reports

help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | \
		awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-16s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || { echo "creating $(VENV) with $(PYTHON)"; $(PYTHON) -m venv $(VENV); }
	@$(BIN)/python -c 'import sys; assert sys.version_info[:2] == (3, 11), "dumpscope needs Python 3.11, venv has " + sys.version'
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@# jsonschema's optional rfc3987-syntax builds a grammar at import: 2-3 s per process.
	-$(BIN)/python -m pip uninstall --quiet -y rfc3987-syntax
	@touch $(STAMP)

venv: $(STAMP) ## create the virtual environment (.venv), or re-sync it with pyproject.toml

$(FULL_DUMP): | $(STAMP)
	$(BIN)/dumpscope synth --out $(FULL_DUMP)

synthetic: $(STAMP) ## (re)generate the default synthetic dump data/synthetic/full/dump.csv
	$(BIN)/dumpscope synth --out $(FULL_DUMP)

report: $(STAMP) $(FULL_DUMP) ## run every notebook on the synthetic dump -> reports/<run-id>/index.html
	$(BIN)/dumpscope run $(FULL_DUMP) --out $(OUT)
	$(BIN)/dumpscope verify $(OUT)
	@echo "open: $(abspath $(OUT))/index.html"

run: $(STAMP) ## run on your own evidence: make run DUMP=path/to/file.csv [OUT=reports/x] [ARGS='--lang en']
	@test -n "$(DUMP)" || { echo "usage: make run DUMP=file.csv [OUT=dir] [ARGS=...]"; exit 2; }
	$(BIN)/dumpscope run $(DUMP) --out $(OUT) $(ARGS)
	@echo "open: $(abspath $(OUT))/index.html"

chromium: ## install Debian chromium + fonts-liberation for the browser tests (if absent)
	@if [ ! -x /usr/bin/chromium ] || ! ls -d /usr/share/fonts/truetype/liberation* >/dev/null 2>&1; then \
		$(SUDO) apt-get update && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y --no-install-recommends \
			chromium fonts-liberation; \
	fi

test: $(STAMP) chromium ## the whole suite: lint, unit + notebook + browser tests, nbval
	@rc=0; \
	$(MAKE) --no-print-directory lint || rc=1; \
	$(MAKE) --no-print-directory test-unit || rc=1; \
	$(MAKE) --no-print-directory test-notebooks || rc=1; \
	if [ $$rc != 0 ]; then echo "make test: FAILED (see above)"; fi; exit $$rc

test-unit: $(STAMP) ## pytest tests/ (parallel)
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile tests

test-notebooks: $(STAMP) ## nbval: every notebook runs with its defaults (in order, one process)
	$(BIN)/pytest --nbval-lax --nbval-current-env notebooks/

lint: $(STAMP) ## ruff lint + format check (notebooks included)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP) ## ruff format + safe fixes
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP) ## benchmarks (bench/run.py) -> bench/RESULTS.md
	@test -f bench/run.py || { echo "bench/run.py is not written yet"; exit 2; }
	$(BIN)/python bench/run.py

clean-reports: ## delete reports/* (keeps reports/.gitkeep)
	find reports -mindepth 1 -not -name .gitkeep -delete
