# Yiyun's verbs. Every target works on a fresh clone: it creates .venv and installs what it needs.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
STAMP  := $(VENV)/.installed

.PHONY: help install demo serve test lint migrate seed clean triage-eval triage-build bench-booking

help:
	@echo "make demo   — set up and run the demo on http://127.0.0.1:$(PORT)/ (PORT=… to change)"
	@echo "make test   — lint and the whole test suite (SQLite, then PostgreSQL + Redis when they answer)"
	@echo "make bench-booking — flash-crowd booking benchmark on PostgreSQL + Redis (BENCH_ARGS=… to pass options)"
	@echo "make triage-eval — smart-triage evaluation (every suite; figures into docs/benchmarks.md)"
	@echo "make triage-build — rebuild the triage knowledge base and models from ../shared"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

install: $(STAMP)

migrate: install
	YIYUN_DEMO=1 $(BIN)/yiyun migrate --noinput

seed: migrate
	YIYUN_DEMO=1 $(BIN)/yiyun seed-demo

demo: seed
	YIYUN_DEMO=1 $(BIN)/yiyun serve --port $(PORT)

serve: install
	$(BIN)/yiyun serve --port $(PORT)

lint: install
	$(BIN)/ruff check .

test: install
	PYTHON=$(BIN)/python scripts/run-tests

# Drops and recreates the database yiyun_bench on 127.0.0.1:5432 and flushes Redis db 13 (see bench/README.md).
bench-booking: install
	$(BIN)/python bench/booking_flash.py $(BENCH_ARGS)

clean:
	rm -rf var test-artifacts .pytest_cache

# Smart triage: every suite, the table into docs/benchmarks.md, one JSON line of figures (needs ../shared).
triage-eval: install
	$(BIN)/yiyun triage-eval

# Rebuild the triage knowledge base and models from ../shared plus the curated files (reproducible).
triage-build: install
	$(BIN)/yiyun triage-build
