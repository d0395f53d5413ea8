# `make run` serves the demo community; `make test` checks everything. Both build .venv first.
VENV := .venv
BIN := $(VENV)/bin
# Django 6 needs Python 3.12 or newer: take the first such interpreter on this machine.
PYTHON ?= $(shell for p in python3.13 python3.12 python3 $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3; do \
	"$$p" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { command -v "$$p"; break; }; done)

.PHONY: run test lint bench bench-chat

run: $(VENV)/.installed
	$(BIN)/holdspace manage migrate --no-input
	$(BIN)/holdspace demo
	$(BIN)/holdspace serve --with-worker

test: $(VENV)/.installed-dev lint
	$(BIN)/pytest

bench: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/screen_bench.py --data ../shared/data
	$(BIN)/python benchmarks/coach_bench.py --data ../shared/data

# Chat load on two workers sharing PostgreSQL and Redis (both must run on 127.0.0.1); minutes.
bench-chat: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/chat_load.py --sessions 1000 --rate 200 --seconds 30

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "Holdspace needs Python 3.12 or newer; none was found." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip==26.3

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.installed
