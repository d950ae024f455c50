#!/usr/bin/env bash
# make serve: the production server. Migrates, collects the static files (hashed, compressed),
# then runs gunicorn and, with TASKS_BACKEND=database, the task worker beside it; when either
# stops, or on Ctrl-C / SIGTERM, both stop. Settings come from the environment (README,
# "Deploying"); the Makefile sets DEBUG=false, BIND and WEB_CONCURRENCY (gunicorn's workers).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

"$PY" manage.py migrate --no-input
"$PY" manage.py collectstatic --no-input --verbosity 0

pids=()
stop() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait
}
trap stop EXIT
trap 'exit 0' INT TERM

if [[ "${TASKS_BACKEND:-immediate}" == "database" ]]; then
  "$PY" manage.py requeue_stalled_imports  # imports a killed worker left running
  "$PY" manage.py db_worker --no-reload --queue-name default &
  pids+=($!)
fi

# gunicorn's own log (start, workers, errors) on stderr; the app writes one JSON line per request
# on stdout (REQUEST_LOG). X-Forwarded-Proto is trusted from FORWARDED_ALLOW_IPS (gunicorn's
# variable; default 127.0.0.1,::1: the proxy on this machine).
.venv/bin/gunicorn config.wsgi:application \
  --bind "${BIND:-127.0.0.1:8000}" \
  --workers "${WEB_CONCURRENCY:-3}" \
  --timeout "${GUNICORN_TIMEOUT:-120}" \
  --graceful-timeout 30 \
  --max-requests 2000 --max-requests-jitter 200 \
  --no-control-socket &
pids+=($!)

set +e
wait -n
status=$?
exit "$status"
