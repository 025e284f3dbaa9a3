#!/usr/bin/env bash
# The test suite as if today were another day: the Rust tests and the browser tests' server run
# under libfaketime (cargo, rustc and chromium keep the real clock). Nothing a test expects may
# depend on the real date, so every run must pass.
#
#   bash scripts/any-date.sh                         # 2026-12-01, 2026-12-31, 2027-01-01, 2028-02-29
#   bash scripts/any-date.sh "2027-06-30 23:59:30"   # any day and time
set -euo pipefail
cd "$(dirname "$0")/.."

days=("$@")
[ ${#days[@]} -gt 0 ] || days=("2026-12-01 08:30:00" "2026-12-31 23:50:00" "2027-01-01 00:10:00" "2028-02-29 12:00:00")

lib=/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1
if [ ! -e "$lib" ] && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq faketime >/dev/null
fi
[ -e "$lib" ] || { echo "libfaketime is missing (apt-get install faketime)" >&2; exit 1; }

PG_URL="${DUBAN_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
if command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432; then
  export DUBAN_TEST_DATABASE_URL="$PG_URL"
fi

cargo build --workspace --all-targets --locked
runner="$PWD/scripts/faketime-run"
for day in "${days[@]}"; do
  echo "== the suite on $day (UTC)"
  # The runner wraps each test binary; the monotonic clock stays real so timers keep working.
  FAKE_DAY="$day" CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_RUNNER="$runner" \
    cargo test --workspace --locked
  if command -v chromium >/dev/null && command -v npm >/dev/null; then
    (cd e2e && npm ci --no-audit --no-fund --loglevel=error >/dev/null && DUBAN_FAKE_DAY="$day" npm test)
  fi
done
