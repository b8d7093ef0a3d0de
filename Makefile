# Two commands for a newcomer: `make run` and `make test`. Everything installs into .venv from locked requirements
# (every package pinned with its hashes; pip refuses anything else). `make lock` recompiles them from the .in files.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint typecheck jscheck pytest bench services browser messages catalogs clean lock

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

PIP_INSTALL := $(BIN)/pip install --quiet --disable-pip-version-check --require-hashes

# Three locked sets, each a superset of the one before: the server (requirements.txt), `make run`'s (adds honcho),
# development's (tests, linters, pip-tools).
$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(PIP_INSTALL) -r requirements.txt
	touch $@

$(VENV)/.run: requirements.txt requirements-run.txt | $(BIN)/python
	$(PIP_INSTALL) -r requirements-run.txt
	touch $(VENV)/.runtime $@

$(VENV)/.dev: requirements.txt requirements-run.txt requirements-dev.txt | $(BIN)/python
	$(PIP_INSTALL) -r requirements-dev.txt
	touch $(VENV)/.runtime $(VENV)/.run $@

run: $(VENV)/.run messages
	$(BIN)/python bin/devserver

# Translations: each app's locale/<language>/LC_MESSAGES/*.po is the source (committed); the compiled .mo files are
# built from them with GNU gettext's msgfmt, as Django's compilemessages does (installed from apt when missing, like
# Chromium below), only when a .po changed. After changing patient-facing text: `make catalogs` extracts the strings
# again, then translate what is new in the .po files.
GETTEXT_IGNORE := --ignore=.venv --ignore=node_modules --ignore=staticfiles --ignore=var
MO_FILES := $(patsubst %.po,%.mo,$(wildcard */locale/*/LC_MESSAGES/*.po))
messages: $(MO_FILES)

%.mo: %.po
	@command -v msgfmt >/dev/null || { \
		command -v apt-get >/dev/null || { echo "Translations need GNU gettext (msgfmt): install it."; exit 1; }; \
		apt-get update && apt-get install -y --no-install-recommends gettext; }
	msgfmt --check-format -o $@.tmp $< && mv $@.tmp $@

# Every language some app has a catalog for, named explicitly: `makemessages --all` finds languages only under
# LOCALE_PATHS or ./locale, which this project does not have, so it would extract nothing.
CATALOG_LOCALES := $(addprefix --locale=,$(sort $(notdir $(wildcard */locale/*))))
catalogs: $(VENV)/.dev
	ALLOW_MISSING_SECRET_KEY=true $(BIN)/python manage.py makemessages $(CATALOG_LOCALES) $(GETTEXT_IGNORE) --no-obsolete --add-location=file
	ALLOW_MISSING_SECRET_KEY=true $(BIN)/python manage.py makemessages $(CATALOG_LOCALES) -d djangojs $(GETTEXT_IGNORE) --no-obsolete --add-location=file

# Recompile the locked files after editing requirements*.in (in this order: each one constrains the next).
PIP_COMPILE := CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe \
	--strip-extras --no-emit-index-url --no-emit-find-links

lock: $(VENV)/.dev
	$(PIP_COMPILE) --output-file requirements.txt requirements.in
	$(PIP_COMPILE) --output-file requirements-run.txt requirements-run.in
	$(PIP_COMPILE) --output-file requirements-dev.txt requirements-dev.in

services:
	@bin/ensure-services

lint: $(VENV)/.dev
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/lint-imports

typecheck: $(VENV)/.dev
	TESTING=true $(BIN)/mypy .

# The app's JavaScript (web/static/web/js, the service worker) is type-checked by TypeScript over its JSDoc: nothing is
# built or emitted. TypeScript comes from package-lock.json; `npm ci` runs again only when the lock changes.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

jscheck: node_modules/.installed
	npx --no-install tsc -p web/jsconfig.json
	npx --no-install tsc -p web/serviceworker/jsconfig.json

# Tests run on PYTEST_WORKERS processes (pytest-xdist), each with its own PostgreSQL test database and Redis databases.
PYTEST_WORKERS ?= 2

pytest: $(VENV)/.dev services browser messages node_modules/.installed
	TESTING=true $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest -n $(PYTEST_WORKERS)

# The browser tests (tests/e2e) drive Debian's Chromium; Playwright never downloads a browser. They run axe-core
# (node_modules, from package-lock.json) in every screen.
browser:
	@command -v chromium >/dev/null || { \
		command -v apt-get >/dev/null || { echo "tests/e2e need Chromium and apt-get is not here: install Debian's chromium."; exit 1; }; \
		apt-get update && apt-get install -y --no-install-recommends chromium; }

test: lint typecheck jscheck pytest

bench: $(VENV)/.dev services
	@set -e; for script in bench/bench_*.py; do echo "== $$script"; $(BIN)/python $$script; done

clean:
	rm -rf $(VENV) var staticfiles node_modules .pytest_cache .mypy_cache .ruff_cache
