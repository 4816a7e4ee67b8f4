#!/usr/bin/env bash
# The content API against its own OpenAPI document, with schemathesis as the
# client: every endpoint and every documented parameter, valid and invalid
# values (the coverage phase's boundaries, then random ones). It fails on any
# 500, any answer that breaks the document (status, content type, headers,
# body), a schema-valid request refused or an invalid one accepted.
#
# The site runs on a throw-away SQLite database with the demo catalogue, with
# `runserver` on a free port; nothing else is needed. NUL bytes are left out
# of the generated values: the site refuses them in any parameter with a 400
# (core/security.py), which a document cannot say of the key parameter.
#
#   bash scripts/api-contract.sh            # API_CONTRACT_EXAMPLES=10 by default
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
WORK=$(mktemp -d)
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

export DATABASE_URL="sqlite:///$WORK/contract.sqlite3" MEDIA_ROOT="$WORK/media"
export CACHE_URL=locmem:// DEBUG=1
unset CI_NO_DEMO 2>/dev/null || true
"$PY" manage.py migrate --no-input -v0
"$PY" manage.py load_demo >/dev/null
KEY=$("$PY" manage.py create_api_key "API contract check" --rate-limit 1000000 2>/dev/null)
PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$PY" manage.py runserver "127.0.0.1:$PORT" --noreload >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 100); do
  curl -fsS -o /dev/null "http://127.0.0.1:$PORT/api/v1/openapi.json" 2>/dev/null && break
  sleep 0.2
done
status=0
.venv/bin/schemathesis run "http://127.0.0.1:$PORT/api/v1/openapi.json" \
  --header "Authorization: Bearer $KEY" \
  --checks all \
  --max-examples "${API_CONTRACT_EXAMPLES:-10}" \
  --generation-allow-x00 false \
  --generation-database none \
  --seed "${API_CONTRACT_SEED:-26}" \
  --workers 1 \
  --no-color || status=$?
if [ "$status" -ne 0 ]; then
  echo "--- server log (last 80 lines) ---"
  tail -80 "$WORK/server.log"
fi
exit "$status"
