# renkei: the two commands are `make run` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run install install-test install-e2e e2e setup test test-fast test-sqlite test-postgres lint check messages clean \
	bench-programs bench-maturity bench-matching bench-throughput

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/pip install -q -c requirements.lock -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install -q -c requirements.lock -e '.[test]'
	@touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

$(VENV)/.installed-e2e: $(VENV)/.installed-test
	$(BIN)/pip install -q -c requirements.lock -e '.[e2e]'
	@touch $@

install-e2e: $(VENV)/.installed-e2e

# Migrate, load the default data set if the database is empty, embed the programs' texts for
# 「意味の近い支援施策」 (only those not yet embedded), collect static files.
setup: install
	$(BIN)/renkei migrate --noinput -v 0
	$(BIN)/renkei bootstrap
	$(BIN)/renkei programs embed
	$(BIN)/renkei collectstatic --noinput -v 0

# The web server and, beside it, the worker that runs background jobs (mail, embeddings,
# dashboards, the daily alerts); stopping the server (Ctrl+C) stops the worker too.
run: setup
	@export HOST=$(HOST) PORT=$(PORT); \
	$(BIN)/renkei worker & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/renkei serve --host $(HOST) --port $(PORT)

test: install-test test-sqlite test-postgres

# The everyday loop: SQLite only, without the tests marked slow (the embedding model, every
# route as every persona, whole development sets, the browser). `make test` and CI run everything.
test-fast: install-test
	env -u DATABASE_URL $(BIN)/pytest -q -m "not slow"

test-sqlite:
	@echo "== tests on SQLite =="
	env -u DATABASE_URL $(BIN)/pytest -q

test-postgres:
	@if [ -n "$$RENKEI_TEST_POSTGRES_URL" ]; then \
		echo "== tests on PostgreSQL ($$RENKEI_TEST_POSTGRES_URL) =="; \
		DATABASE_URL="$$RENKEI_TEST_POSTGRES_URL" $(BIN)/pytest -q; \
	else \
		echo "== PostgreSQL run skipped: RENKEI_TEST_POSTGRES_URL is not set =="; \
	fi

lint: install-test
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy
	env -u DATABASE_URL $(BIN)/renkei makemigrations --check --dry-run -v 1
	RENKEI_ENV=production RENKEI_SECRET_KEY=check-deploy-$$RANDOM-$$RANDOM-$$RANDOM-$$RANDOM-$$RANDOM-long-enough \
		RENKEI_ALLOWED_HOSTS=renkei.example.jp RENKEI_EMAIL_HOST=smtp.example.jp \
		$(BIN)/renkei check --deploy --fail-level WARNING
	@# Security linter over the portal's code: every finding is fixed or justified with a
	@# "# nosec Bxxx" comment; asserts (B101) are the tests' and the engine's invariants, and
	@# importing subprocess (B404) says nothing until it is called (B603 checks each call).
	$(BIN)/bandit -q -r renkei -x '*/tests/*,*/migrations/*,*/conftest.py' -s B101,B404
	@# Known vulnerabilities in the locked requirements; prints NOT AUDITED when the advisory
	@# database cannot be reached (RENKEI_AUDIT_STRICT=1 makes that fail).
	$(BIN)/python tools/audit_dependencies.py requirements.lock

check: lint test

# Journeys in a real browser: Debian's Chromium (installed here when missing and we may; the
# package lists are fetched first only when the install cannot find it), driven by Playwright
# (the e2e extra, locked in requirements.lock), against `renkei serve` and `renkei worker` on
# a fresh database. One server for the whole run; `E2E=-k need` runs some journeys only.
CHROMIUM ?= $(shell command -v chromium || echo /usr/bin/chromium)
e2e: install-e2e
	@if [ ! -x "$(CHROMIUM)" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "== installing Debian's chromium =="; \
			export DEBIAN_FRONTEND=noninteractive; \
			apt-get install -y -q chromium >/dev/null 2>&1 \
				|| { apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null; } \
				|| { echo "make e2e could not install chromium"; exit 1; }; \
		else \
			echo "make e2e needs Chromium: sudo apt-get install chromium"; exit 1; \
		fi; \
	fi
	cd e2e && RENKEI_CHROMIUM="$(CHROMIUM)" $(abspath $(BIN))/pytest -q -rx --durations=5 $(E2E)

# Extract translatable strings and compile the catalogues (needs GNU gettext).
messages: install
	cd renkei && ../$(BIN)/renkei makemessages -l en --no-obsolete --add-location file
	cd renkei && ../$(BIN)/renkei compilemessages -l en

# Benchmarks (see docs/benchmarks.md). PostgreSQL at RENKEI_BENCH_POSTGRES_URL or localhost.
bench-programs: install
	$(BIN)/python bench/programs_search.py --engine sqlite
	$(BIN)/python bench/programs_search.py --engine postgres
	$(BIN)/python bench/programs_search.py --engine sqlite --programs 200000 --repeats 3
	$(BIN)/python bench/programs_search.py --engine postgres --programs 200000 --repeats 3

# Requests/s over HTTP beside Datasette (installed into bench/out, never a dependency) with
# wrk (Debian's package, installed here when missing and we may); needs bench-programs' SQLite
# catalogue.
bench-throughput: install
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -q wrk >/dev/null; } \
		|| { echo "bench-throughput needs wrk: sudo apt-get install wrk"; exit 1; }
	$(BIN)/python bench/throughput.py

bench-maturity: install
	$(BIN)/python bench/maturity_dashboards.py --engine sqlite

bench-matching: install
	$(BIN)/pip install -q -c requirements.lock -e '.[bench]'
	$(BIN)/python bench/matching.py

clean:
	rm -rf $(VENV) var
