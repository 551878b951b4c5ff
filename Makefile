# Leading Together: the two commands a newcomer needs are `make run` and `make test`.
#
#   make run [PORT=8123]  install, migrate, load the demo content, serve on 127.0.0.1
#   make test             lint, checks and the test suite on PostgreSQL (and on SQLite
#                         what can differ there),
#                         the storage and health tests on a throwaway S3 server, and a
#                         smoke test of the production stack (scripts/production-stack)
#   make install          the virtual environment only (re-run when pyproject.toml changes)
#   make clean            remove test artefacts and caches (keeps .venv and db.sqlite3)

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:
.NOTPARALLEL:

PORT ?= 8000
# Python keeps each module's compiled bytecode in __pycache__ from the first import on.
# Some shells and CI images set PYTHONDONTWRITEBYTECODE, and then every Python process
# compiles every module it imports again: about 7 s for each test process, bench script
# and subprocess that a test starts, 17 s of CPU for each pytest collection, on this
# machine. Everything make starts may write the cache (__pycache__ is in .gitignore).
unexport PYTHONDONTWRITEBYTECODE
VENV := .venv
PYTHON := $(VENV)/bin/python
INSTALL_STAMP := $(VENV)/.installed-pyproject
UV_VERSION := 0.13.9
NODE_STAMP := node_modules/.installed-package-lock

# manage.py defaults to the dev settings; say so, so that a DJANGO_SETTINGS_MODULE left
# in the caller's shell cannot change what `make run` and the checks see. The checks also
# ignore DATABASE_URL, so that they read the same settings on every machine.
DEV := env DJANGO_SETTINGS_MODULE=lms.settings.dev
CHECK := env -u DATABASE_URL DJANGO_SETTINGS_MODULE=lms.settings.dev
# pytest reads lms.settings.test from pyproject.toml.
PYTEST := env -u DJANGO_SETTINGS_MODULE $(PYTHON) -m pytest

START := $(shell date +%s)
heading = @printf '\n==== %s (at %ss) ====\n' "$(1)" "$$(( $$(date +%s) - $(START) ))"

.PHONY: help install run test system-packages node-packages lint checks test-phases \
	test-sqlite test-postgres postgres-template test-s3 test-stack test-services clean

help:
	@echo "make run [PORT=8000]  set up, load demo content and serve on http://127.0.0.1:$(PORT)/"
	@echo "make test             lint, Django checks and all tests on SQLite and PostgreSQL"
	@echo "make install          create .venv and install the project with its test tools"
	@echo "make clean            remove test media and caches (keeps .venv and db.sqlite3)"

# Python ---------------------------------------------------------------------------------

install: $(INSTALL_STAMP)

$(INSTALL_STAMP): pyproject.toml
	$(call heading,Python packages into $(VENV))
	@# Debian's own python3 needs python3-venv for `-m venv`.
	test -x $(PYTHON) || python3 -c 'import ensurepip, venv' 2>/dev/null \
		|| scripts/install-system-packages python3-venv
	test -x $(PYTHON) || python3 -m venv $(VENV)
	@# uv installs what pip would (the same versions here, by `pip freeze`) in a third of
	@# the time (14 s against 37 s into a new .venv on this machine): it downloads in
	@# parallel and resolves faster. Like pip --no-compile, it leaves compiling to the first
	@# import, which caches each module (a fraction of what compiling everything costs).
	$(PYTHON) -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	$(VENV)/bin/uv pip install --quiet --python $(PYTHON) -e ".[test]"
	touch $@

# The site -------------------------------------------------------------------------------

run: install
	$(DEV) $(PYTHON) manage.py migrate --noinput
	$(DEV) $(PYTHON) manage.py seed_demo
	$(DEV) $(PYTHON) manage.py runserver 127.0.0.1:$(PORT)

# Tests ----------------------------------------------------------------------------------

# Debian's Chromium headless shell, postgresql, nginx, redis and wrk (and npm, for axe-core),
# each only if missing.
system-packages:
	$(call heading,System packages)
	scripts/install-system-packages

node-packages: $(NODE_STAMP)

$(NODE_STAMP): package.json package-lock.json | system-packages
	$(call heading,Node packages (axe-core) from package-lock.json)
	npm ci --no-audit --no-fund
	touch $@

lint: install
	$(call heading,Lint: ruff check)
	$(VENV)/bin/ruff check .
	$(call heading,Formatting: ruff format --check)
	$(VENV)/bin/ruff format --check .
	$(call heading,Types: mypy on the modules listed in pyproject.toml)
	$(VENV)/bin/mypy

checks: install
	$(call heading,Django system checks (lms.settings.dev))
	$(CHECK) $(PYTHON) manage.py check --fail-level WARNING
	$(call heading,Migrations match the models)
	$(CHECK) $(PYTHON) manage.py makemigrations --check --dry-run

# Each suite runs in one process per core (pytest-xdist). "load" hands tests out in
# collection order, which keeps pytest-django's order in each process: the tests that
# commit for real (and so empty every table, the rows migrations wrote included) run
# after the rest. tests/conftest.py marks which phase runs what:
# - PostgreSQL, the production database, runs every test that uses a database, the
#   browser tests (Playwright) included, but for one whose requests another sends;
# - SQLite, the embedded database of `make run`, runs the tests that cannot touch a
#   database (pytest-django refuses them any query, so the database cannot change their
#   outcome), the bench smoke tests (the scripts build their own SQLite database whatever
#   DATABASE_URL says), the database tests whose outcome can differ on SQLite
#   (`sqlite_too`: the code that branches on the database, database functions Django
#   writes per database, the demo and locking), and a plain request to every route
#   (`sqlite_only`: on PostgreSQL the hostile walk sends the same requests).
PYTEST_WORKERS ?= auto
# Each test process copies one migrated database rather than migrating its own
# (lms/settings/test.py): this file for SQLite, the server's `lms` database (migrated by
# `with-postgres --migrated`, or by postgres-template in `make test`) for PostgreSQL.
SQLITE_TEMPLATE := .test-db-template.sqlite3
XDIST := -n $(PYTEST_WORKERS) --dist load

# The SQLite phase and the S3 tests copy it. Made again when a migration or the installed
# packages change (.DELETE_ON_ERROR removes a half-made one).
$(SQLITE_TEMPLATE): $(INSTALL_STAMP) $(wildcard */migrations/*.py)
	$(call heading,A migrated SQLite database for the test processes to copy)
	rm -f $@
	env DATABASE_URL=sqlite:///$(CURDIR)/$@ DJANGO_SETTINGS_MODULE=lms.settings.test \
		$(PYTHON) manage.py migrate --noinput -v0

SQLITE_TESTS := env -u DATABASE_URL TEST_DATABASE_TEMPLATE=$(CURDIR)/$(SQLITE_TEMPLATE) $(PYTEST)

test-sqlite: install system-packages node-packages $(SQLITE_TEMPLATE)
	$(call heading,Tests on SQLite (no database needed, bench smoke tests, sqlite_too))
	EXPECT_DB_VENDOR=sqlite $(SQLITE_TESTS) $(XDIST) \
		-m "not browser and (database_free or bench or sqlite_too or sqlite_only)"

POSTGRES_TESTS := env EXPECT_DB_VENDOR=postgresql $(PYTEST) $(XDIST) \
	-m "not bench and not database_free and not sqlite_only"

test-postgres: install system-packages node-packages
	$(call heading,Tests on PostgreSQL (throwaway server; every test that uses a database))
	scripts/with-postgres --migrated $(POSTGRES_TESTS)

# `make test` starts one throwaway PostgreSQL server for the whole run (DATABASE_URL), so
# that its migration, which keeps one core busy for 25 s, runs beside lint, the checks and
# the SQLite template rather than before the PostgreSQL phase.
postgres-template: install
	$(call heading,Every migration applied to the PostgreSQL server's database)
	test -n "$${DATABASE_URL:-}"
	env DJANGO_SETTINGS_MODULE=lms.settings.test $(PYTHON) manage.py migrate --noinput -v0

# The storages on a real S3 API: moto's server on loopback, started and stopped by the
# script. EXPECT_S3=1 turns the tests' "no S3 variables" skip into a failure.
S3_TESTS := tests/core/test_s3_storage.py tests/cohorts/test_s3_exports.py \
	tests/accounts/test_s3_data_exports.py tests/test_settings_storages.py \
	tests/core/test_health.py tests/core/test_storage_backup.py

test-s3: install $(SQLITE_TEMPLATE)
	$(call heading,Tests on S3 (throwaway moto server))
	EXPECT_S3=1 scripts/with-s3 $(SQLITE_TESTS) $(S3_TESTS)

# The production shape on loopback: nginx, two gunicorn instances and a db_worker with the
# production settings, PostgreSQL, Redis and S3; tests/stack drives it through nginx.
# EXPECT_STACK=1 turns the tests' "no stack" skip into a failure.
test-stack: install system-packages
	$(call heading,Smoke test of the production stack (nginx, 2 x gunicorn, db_worker))
	EXPECT_STACK=1 scripts/production-stack $(PYTEST) tests/stack

# The S3 tests and the stack's smoke test each start their own throwaway servers on free
# ports, and spend much of their time waiting for them, so they run side by side. Each
# one's output is shown whole once both have finished; either failing fails the target.
test-services: install system-packages
	$(call heading,Tests on S3 and the production stack side by side (output follows))
	START=$(START) MAKE=$(MAKE) scripts/side-by-side test-s3 test-stack

# The first failure stops the run.
test: install system-packages node-packages
	scripts/with-postgres $(MAKE) --no-print-directory START=$(START) test-phases
	@printf '\n==== make test: all phases passed in %ss ====\n' "$$(( $$(date +%s) - $(START) ))"

# Inside `make test`'s PostgreSQL server. scripts/side-by-side runs make targets at once
# and shows each one's output whole when all have finished:
# - the two migrated templates, which the test phases copy, each keep one core busy;
# - the S3 and stack tests spend much of their time waiting for their servers, so lint
#   and the checks run beside them and the SQLite phase;
# - the PostgreSQL phase, the longest, has both cores to itself.
test-phases:
	START=$(START) MAKE=$(MAKE) scripts/side-by-side $(SQLITE_TEMPLATE) postgres-template
	START=$(START) MAKE=$(MAKE) scripts/side-by-side lint checks test-sqlite test-s3 test-stack
	$(call heading,Tests on PostgreSQL (every test that uses a database))
	TEST_DATABASE_TEMPLATE=lms $(POSTGRES_TESTS)

clean:
	rm -rf .test-media .test-private test-results .pytest_cache .ruff_cache .mypy_cache .hypothesis .test-db-*.sqlite3*
	find . -path ./.venv -prune -o -path ./node_modules -prune -o \
		-name __pycache__ -type d -prune -exec rm -rf {} +
