# Bilim: `make run` sets everything up and starts the site; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help install run test bench soak lint format messages check-deploy clean

help:
	@echo "make run    set up (venv, install, migrate) and start web + Celery worker + beat"
	@echo "make test   run the whole test suite"
	@echo "make bench  benchmarks (ratios measured in one run)"
	@echo "make soak   50 learners for 10 minutes with a worker killed and Redis restarted"
	@echo "make lint   ruff check and format check"

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

install: $(STAMP)

run: export DEBUG ?= true
run: $(STAMP)
	@mkdir -p var
	@test -f .env || { printf '# Written by make run: this checkout is for development.\nDEBUG=true\n' > .env; \
	  echo "Created .env with DEBUG=true, so manage.py commands work in this checkout."; }
	$(PY) manage.py migrate --noinput
	$(PY) manage.py ensure_demo_admin
	$(PY) manage.py ensure_signing_key
	$(PY) manage.py import_course examples/
	$(PY) manage.py ensure_demo_cohort
	@# honcho gives each process a PORT of its own (from 5000 unless told; the web's is this
	@# one, the worker's 100 more): the site's address that settings derive from HOST and PORT
	@# (unless SITE_URL is set) is fixed here, so the worker signs certificates with it too.
	@site_url="$$($(PY) -c 'from lms.settings import SITE_URL; print(SITE_URL)')" && \
	  echo && \
	  echo "  Bilim is starting at http://$${HOST:-127.0.0.1}:$${PORT:-8000}/  (Ctrl-C stops web, worker and beat)" && \
	  echo "  Administration: http://$${HOST:-127.0.0.1}:$${PORT:-8000}/admin/" && \
	  echo "  Links in e-mails and certificates: $$site_url/" && \
	  echo && \
	  SITE_URL="$$site_url" PATH="$(CURDIR)/$(BIN):$$PATH" \
	  exec $(BIN)/honcho --procfile Procfile.dev start --port $${PORT:-8000}

test: $(STAMP)
	$(BIN)/pytest $(PYTEST_ARGS)

# mypy with django-stubs over the typed packages (configuration: [tool.mypy] in pyproject.toml).
.PHONY: typecheck
typecheck: $(STAMP)
	$(BIN)/mypy courses/services courses/selectors courses/content courses/credentials lms

bench: $(STAMP)
	$(PY) -m bench $(BENCH)

# Needs DATABASE_URL (PostgreSQL; a database is created there and dropped) and redis-server.
soak: $(STAMP)
	$(PY) -m bench.soak

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: $(STAMP)
	DEBUG=true $(PY) manage.py makemessages --locale ky --locale ru --no-obsolete --no-location --no-wrap \
	  --ignore 'var/*' --ignore 'examples/*' --ignore 'tests/*' --ignore 'node_modules/*'
	DEBUG=true $(PY) manage.py compilemessages --ignore '.venv/*'

check-deploy: $(STAMP)
	DEBUG=false SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
	  ALLOWED_HOSTS=bilim.example.org SITE_URL=https://bilim.example.org \
	  $(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf var .pytest_cache
