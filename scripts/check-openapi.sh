#!/usr/bin/env bash
# Runs openapi-spec-validator over the /api/v1 OpenAPI document. The document is the file the
# test `openapi::the_openapi_document_is_one_a_generator_can_use` writes to
# $CARGO_TARGET_DIR/tmp/openapi.json (that test also checks, in Rust, what the validator
# would flag). The validator lives in a venv in the target dir, installed on first use.
#
#   scripts/check-openapi.sh              run that one test, then validate
#   scripts/check-openapi.sh --no-build   validate the file the last test run wrote
#   CARGO_ARGS="--profile oapi" scripts/check-openapi.sh
set -euo pipefail
cd "$(dirname "$0")/.."

TARGET="${CARGO_TARGET_DIR:-target}"
DOC="$TARGET/tmp/openapi.json"
VENV="$TARGET/py-openapi"

if [ "${1:-}" != "--no-build" ] || [ ! -f "$DOC" ]; then
  # shellcheck disable=SC2086
  cargo test ${CARGO_ARGS:-} -p duban-web --test api --locked -- --exact \
    openapi::the_openapi_document_is_one_a_generator_can_use
fi

if [ ! -x "$VENV/bin/openapi-spec-validator" ]; then
  echo "== installing openapi-spec-validator into $VENV"
  if ! python3 -m venv "$VENV" 2>/dev/null; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
      apt-get update -qq >/dev/null
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
      rm -rf "$VENV"
      python3 -m venv "$VENV"
    else
      echo "python3 -m venv is not available (install python3-venv)" >&2
      exit 1
    fi
  fi
  "$VENV/bin/pip" install -q --disable-pip-version-check openapi-spec-validator
fi

"$VENV/bin/openapi-spec-validator" "$DOC"
