#!/usr/bin/env bash
# Contract tests: schemathesis against the API's OpenAPI schema, on a server on the loopback
# started here, over a throwaway SQLite database loaded with the seed. Writes are tested as an
# admin with a token. Usage: scripts/contract.sh   (make contract; CONTRACT_EXAMPLES=N for more)
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
EXAMPLES=${CONTRACT_EXAMPLES:-20}
SEED=${CONTRACT_SEED:-20260601}
work=$(mktemp -d)
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

export DEBUG=true
export DATABASE_URL="sqlite:///$work/contract.sqlite3"
# schemathesis sends thousands of requests from one address in a few minutes: the API's
# throttles stay on, with rates it does not reach (the 429 is documented, not exercised here).
export API_THROTTLE_ANON=1000000/minute API_THROTTLE_USER=1000000/minute
unset SECRET_KEY ALLOWED_HOSTS CACHE_URL TRUSTED_PROXY_COUNT
# POST /api/studies/lookup/ never calls NCBI or Crossref from here: they are a closed local port,
# so an identifier schemathesis makes up is an "error" of that identifier, answered 200.
export NCBI_EUTILS_URL=http://127.0.0.1:9/ NCBI_IDCONV_URL=http://127.0.0.1:9/
export CROSSREF_API_URL=http://127.0.0.1:9/ LOOKUP_RETRIES=0 LOOKUP_ENABLED=true
$PY manage.py migrate --no-input -v 0
$PY manage.py load_seed
DJANGO_SUPERUSER_PASSWORD="contract-$RANDOM-$RANDOM" $PY manage.py createsuperuser \
  --no-input --username contract --email contract@example.org >/dev/null
token=$($PY manage.py create_api_token contract)

port=$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
$PY manage.py runserver "127.0.0.1:$port" --noreload >"$work/server.log" 2>&1 &
server=$!

status=0
.venv/bin/schemathesis --config-file scripts/schemathesis.toml run \
  "http://127.0.0.1:$port/api/schema/" \
  --wait-for-schema 30 \
  --checks all \
  --max-examples "$EXAMPLES" \
  --seed "$SEED" \
  --workers 1 \
  --header "Authorization: Token $token" \
  "$@" || status=$?
if [ "$status" -ne 0 ]; then
  echo "== the server's log"
  grep -v '^\[' "$work/server.log" | tail -50 || true
fi
exit "$status"
