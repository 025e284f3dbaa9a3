#!/usr/bin/env bash
# A bounded, seeded schemathesis run against `duban demo` on a loopback port: generated
# requests for every /api/v1 operation, reporting server errors and answers that break the
# document. scripts/test.sh runs it bounded (5 examples an operation, 45 s); run it longer by
# hand (the defaults below) when the API changes.
#
#   scripts/schemathesis.sh [MAX_EXAMPLES (default 20)] [SEED (default 2026)] [schemathesis flags…]
#   (the whole run stops after DUBAN_SCHEMATHESIS_MAX_TIME seconds, default 150)
#   CARGO_ARGS="--profile oapi" scripts/schemathesis.sh
#
# It signs in as the demo's `admin` (the widest scope; writes land in a throw-away demo
# database under a temp dir) and uses a personal token, so no CSRF header is needed. Revoking
# tokens is left out: a generated id would sooner or later revoke the run's own token. The
# four spreadsheet uploads are left out too: their body is an .xlsx, which schemathesis cannot
# generate (the hostile-sheet tests and the sheet round-trips cover them).
set -euo pipefail
cd "$(dirname "$0")/.."

MAX_EXAMPLES="${1:-20}"
SEED="${2:-2026}"
PORT="${DUBAN_SCHEMATHESIS_PORT:-18471}"
TARGET="${CARGO_TARGET_DIR:-target}"
VENV="$TARGET/py-schemathesis"
BASE="http://127.0.0.1:$PORT"

if [ ! -x "$VENV/bin/schemathesis" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check schemathesis
fi

if [ -n "${DUBAN_BIN:-}" ]; then
  # The test command hands over the binary `cargo test` built (no second build).
  BIN="$DUBAN_BIN"
else
# shellcheck disable=SC2086
cargo build ${CARGO_ARGS:-} -p duban --locked --message-format=short
BIN="$(cargo build ${CARGO_ARGS:-} -p duban --locked --message-format=json 2>/dev/null |
  python3 -c 'import json,sys
for l in sys.stdin:
    m = json.loads(l)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "duban" and m.get("executable"):
        print(m["executable"])')"
fi

DATA="$(mktemp -d)"
trap 'kill "$SERVER" 2>/dev/null || true; rm -rf "$DATA"' EXIT
DUBAN_SERVER__LISTEN="127.0.0.1:$PORT" DUBAN_LOG=warn "$BIN" --data-dir "$DATA" demo \
  >"$DATA/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 120); do curl -fs "$BASE/healthz" >/dev/null && break; sleep 0.5; done

JAR="$DATA/cookies"
curl -fs -c "$JAR" -b "$JAR" "$BASE/login" >/dev/null
CSRF="$(awk '$6 == "duban_csrf" {print $7}' "$JAR")"
curl -fs -o /dev/null -c "$JAR" -b "$JAR" --data-urlencode "_csrf=$CSRF" \
  --data-urlencode login=admin --data-urlencode password=duban2026 "$BASE/login"
TOKEN="$(curl -fs -c "$JAR" -b "$JAR" -H "x-csrf-token: $CSRF" -H 'content-type: application/json' \
  -d '{"name":"schemathesis"}' "$BASE/api/v1/tokens" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')"

"$VENV/bin/schemathesis" run "$BASE/api/openapi.json" \
  --url "$BASE" \
  --header "Authorization: Bearer $TOKEN" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --exclude-operation-id revoke_token \
  --exclude-operation-id upload_case_import \
  --exclude-operation-id upload_task_import \
  --exclude-operation-id upload_sheet \
  --exclude-operation-id upload_duties \
  --exclude-operation-id proposals_upload_import \
  --max-examples "$MAX_EXAMPLES" \
  --seed "$SEED" \
  --workers 1 \
  --request-timeout 10 \
  --max-time "${DUBAN_SCHEMATHESIS_MAX_TIME:-150}" \
  "${@:3}" || status=$?
echo "server log: $(grep -c . "$DATA/server.log") lines, errors: $(grep -ci ' error' "$DATA/server.log" || true)"
exit "${status:-0}"
