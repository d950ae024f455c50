#!/usr/bin/env bash
# make run: the development server and, beside it, the task worker that runs long work (imports
# of more than IMPORT_IN_BACKGROUND_OVER records, the studies' embedding) from the database
# (TASKS_BACKEND=database, which the Makefile sets). Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

"$PY" manage.py requeue_stalled_imports  # imports a killed worker left running
"$PY" manage.py db_worker --queue-name default &
worker=$!
trap 'kill -TERM "$worker" 2>/dev/null || true; wait "$worker" 2>/dev/null || true' EXIT

"$PY" manage.py runserver "127.0.0.1:${PORT:-8000}"
