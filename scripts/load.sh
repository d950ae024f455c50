#!/usr/bin/env bash
# make load: the load test. On a throwaway PostgreSQL database (LOAD_DATABASE_URL, dropped and
# made again), with the seed and a synthetic library (scripts/load_prepare.py), `make serve`
# runs on a spare loopback port while Locust (headless, in .venv-load) sends LOAD_READERS readers
# browsing, LOAD_RESEARCHERS researchers importing and LOAD_GRADERS graders publishing for
# LOAD_SECONDS seconds. Each simulated person comes through "the proxy" as a real one would:
# X-Forwarded-Proto https and their own address in X-Forwarded-For (TRUSTED_PROXY_COUNT=1), so
# the HTTPS settings, the per-address throttles and the lockout run as in production.
# Writes the report to LOAD_OUT (default load-results/); exits non-zero on any failed request.
set -euo pipefail
cd "$(dirname "$0")/.."

: "${LOAD_DATABASE_URL:=postgres://postgres@127.0.0.1:5432/evidence_load}"
: "${LOAD_PORT:=8787}"
: "${LOAD_READERS:=50}"
: "${LOAD_RESEARCHERS:=5}"
: "${LOAD_GRADERS:=2}"
: "${LOAD_SECONDS:=60}"
: "${LOAD_STUDIES:=100000}"
: "${LOAD_CLAIMS:=10000}"
: "${LOAD_FINDINGS:=300000}"
: "${LOAD_OUT:=load-results}"
mkdir -p "$LOAD_OUT"

# The production settings of the documented deployment, with a throwaway key.
export DEBUG=false
export SECRET_KEY="load-test-only-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export ALLOWED_HOSTS=127.0.0.1
export DATABASE_URL="$LOAD_DATABASE_URL"
export SECURE_PROXY_SSL_HEADER=X-Forwarded-Proto
export TRUSTED_PROXY_COUNT=1
export REQUEST_LOG=true

echo "== database: $LOAD_DATABASE_URL (dropped and made again)"
.venv/bin/python - <<'EOF'
import os
import dj_database_url, psycopg
target = dj_database_url.parse(os.environ["DATABASE_URL"])
name = target["NAME"]
admin = psycopg.connect(
    host=target["HOST"] or "127.0.0.1", port=target["PORT"] or 5432,
    user=target["USER"] or "postgres", password=target["PASSWORD"] or None,
    dbname="postgres", autocommit=True,
)
admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
admin.execute(f'CREATE DATABASE "{name}"')
EOF

echo "== seed, a synthetic library ($LOAD_STUDIES studies, $LOAD_CLAIMS claims, $LOAD_FINDINGS findings), load users"
.venv/bin/python scripts/load_prepare.py --studies "$LOAD_STUDIES" --claims "$LOAD_CLAIMS" \
  --findings "$LOAD_FINDINGS" --researchers "$LOAD_RESEARCHERS" --graders "$LOAD_GRADERS" \
  --rounds $((LOAD_SECONDS * 2)) --out "$LOAD_OUT/plan.json" > "$LOAD_OUT/prepare.log"

echo "== make serve on 127.0.0.1:$LOAD_PORT"
setsid make --no-print-directory serve PORT="$LOAD_PORT" > "$LOAD_OUT/requests.log" 2> "$LOAD_OUT/server.log" &
server=$!
stop() { kill -TERM -- "-$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; }
trap stop EXIT
for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$LOAD_PORT/healthz" > /dev/null && break
  kill -0 "$server" 2>/dev/null || { echo "make serve stopped:"; tail -20 "$LOAD_OUT/server.log"; exit 1; }
  sleep 1
done
curl -fs "http://127.0.0.1:$LOAD_PORT/healthz"; echo

users=$((LOAD_READERS + LOAD_RESEARCHERS + LOAD_GRADERS))
echo "== Locust: $users users ($LOAD_READERS readers, $LOAD_RESEARCHERS researchers, $LOAD_GRADERS graders) for ${LOAD_SECONDS}s"
set +e
LOAD_PLAN="$LOAD_OUT/plan.json" LOAD_RESEARCHERS="$LOAD_RESEARCHERS" LOAD_GRADERS="$LOAD_GRADERS" \
  .venv-load/bin/locust -f scripts/locustfile.py --headless --only-summary \
  --users "$users" --spawn-rate 10 --run-time "${LOAD_SECONDS}s" \
  --host "http://127.0.0.1:$LOAD_PORT" --csv "$LOAD_OUT/load" --exit-code-on-error 1 \
  2>&1 | tee "$LOAD_OUT/summary.txt"
status=${PIPESTATUS[0]}
set -e
errors=$(cat "$LOAD_OUT/server.log" "$LOAD_OUT/requests.log" | grep -c '"level": "ERROR"' || true)
statuses=$(grep -o '"status": [0-9]*' "$LOAD_OUT/requests.log" | sort | uniq -c | tr -s ' ' | paste -sd, -)
echo "== the server's own log: $errors errors; responses by status:$statuses"
echo "== report: $LOAD_OUT/summary.txt, $LOAD_OUT/load_stats.csv (exit $status)"
exit "$status"
