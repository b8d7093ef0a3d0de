# Two commands for a newcomer: `make run` and `make test`. Everything installs into .venv from pinned requirements.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint typecheck pytest bench services browser clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(VENV)/.runtime $@

run: $(VENV)/.runtime
	$(BIN)/python bin/devserver

services:
	@bin/ensure-services

lint: $(VENV)/.dev
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

typecheck: $(VENV)/.dev
	TESTING=true $(BIN)/mypy .

pytest: $(VENV)/.dev services browser
	TESTING=true $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest

# The browser tests (tests/e2e) drive Debian's Chromium; Playwright never downloads a browser.
browser:
	@command -v chromium >/dev/null || { \
		command -v apt-get >/dev/null || { echo "tests/e2e need Chromium and apt-get is not here: install Debian's chromium."; exit 1; }; \
		apt-get update && apt-get install -y --no-install-recommends chromium; }

test: lint typecheck pytest

bench: $(VENV)/.dev services
	@set -e; for script in bench/bench_*.py; do echo "== $$script"; $(BIN)/python $$script; done

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .mypy_cache .ruff_cache
