#!/usr/bin/env bash
# The whole test suite: formatting, lints, unit tests, store and HTTP tests on SQLite, and the
# same on PostgreSQL when one is reachable (always in CI). One target dir for everything.
set -euo pipefail
cd "$(dirname "$0")/.."

PG_URL="${DUBAN_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"

# Each test drops its own duban_test_* database when it ends; the templates each test process
# copies from, and whatever a killed run left, are dropped here in one session.
drop_test_databases() {
  command -v psql >/dev/null || return 0
  psql "$PG_URL" -Atqc "SELECT format('DROP DATABASE IF EXISTS %I WITH (FORCE);', datname)
                        FROM pg_database WHERE datname LIKE 'duban\_test\_%'" 2>/dev/null |
    psql "$PG_URL" -q >/dev/null 2>&1 || true
}

pg_up() { command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432; }

if ! pg_up && [ -d /etc/postgresql ] && command -v pg_ctlcluster >/dev/null; then
  echo "== starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
  for _ in $(seq 1 20); do pg_up && break; sleep 0.5; done
fi

if pg_up; then
  export DUBAN_TEST_DATABASE_URL="$PG_URL"
  echo "== PostgreSQL at 127.0.0.1:5432: tests run on SQLite and PostgreSQL"
  drop_test_databases
elif [ "${CI:-}" = "true" ]; then
  echo "PostgreSQL is not reachable at 127.0.0.1:5432; CI must test both backends" >&2
  exit 1
else
  echo "== PostgreSQL not reachable: tests run on SQLite only"
fi

# The document tests (bulletins, reply letters) convert a .docx with LibreOffice and read PDFs'
# text with pdftotext, in a CJK font; outside CI they say so and skip without these tools, so
# install them before `cargo test`.
if { ! command -v soffice >/dev/null || ! command -v pdftotext >/dev/null ||
     [ ! -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ]; } &&
   [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "== installing LibreOffice Writer, poppler-utils and a CJK font for the document tests"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    libreoffice-writer-nogui poppler-utils fonts-wqy-microhei >/dev/null
fi

# A clean clone builds everything once: incremental compilation only adds work there (its
# caches are written and never read), so CI turns it off, and it builds the tests without
# debug line tables (less to generate and link in some forty test binaries; a failure's
# backtrace still names the functions). Local runs keep both.
if [ "${CI:-}" = "true" ]; then
  export CARGO_INCREMENTAL=0
  export CARGO_PROFILE_DEV_DEBUG=0
fi

# Each stage's start, in seconds since the run began (CI's time limit is watched per stage).
stage() { echo "== [${SECONDS}s] $*"; }

stage "cargo fmt --check"
cargo fmt --all -- --check
stage "cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings
stage "cargo test"
cargo test --workspace --locked
pg_up && drop_test_databases
stage "openapi-spec-validator (over the document the API tests wrote)"
scripts/check-openapi.sh --no-build
stage "schemathesis (bounded: 5 examples an operation, 45 s; 0 server errors, 0 schema violations)"
# `cargo test` above built target/debug/duban for the CLI tests; build it only if missing.
[ -x target/debug/duban ] || cargo build -p duban --locked
DUBAN_BIN=target/debug/duban DUBAN_SCHEMATHESIS_MAX_TIME=45 scripts/schemathesis.sh 5

# Browser tests: headless Debian chromium (installed here if missing) driving a running demo.
have_browser() { command -v chromium >/dev/null && command -v npm >/dev/null; }
if ! have_browser && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "== installing chromium and CJK fonts for the browser tests"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null
fi
if have_browser; then
  stage "browser tests (screenshots in e2e/artifacts/)"
  # `cargo test` above built target/debug/duban for the CLI tests; build it only if missing.
  [ -x target/debug/duban ] || cargo build -p duban --locked
  (cd e2e && npm ci --no-audit --no-fund --loglevel=error && npm test)
elif [ "${CI:-}" = "true" ]; then
  echo "chromium or npm is missing; CI must run the browser tests" >&2
  exit 1
else
  echo "== browser tests skipped: install chromium and npm to run them"
fi
stage "done"
