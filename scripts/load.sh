#!/usr/bin/env bash
# Issue 20's load run (not part of CI): the benchmark city under wrk, on loopback.
#
#   scripts/load.sh                 # SQLite: builds the release binary and the city once
#   SECONDS_PER_CELL=15 scripts/load.sh
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/duban_load scripts/load.sh   # PostgreSQL
#
# Builds `duban` in release (unless DUBAN_BIN names one), loads the 20,000-task benchmark city
# once (`duban demo --tasks 20000 --load-only`, kept in CITY_DIR, default target/load-city, or
# in the PostgreSQL database DATABASE_URL names), starts the demo server on 127.0.0.1:18080,
# signs in, and prints for each question requests per second at 1 and 8 concurrent clients
# (a write at 1 and 4), p50 and p99, and the server's resident memory idle after start-up and
# at the end. Bounded: SECONDS_PER_CELL (default 6) per cell, loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."

SECS="${SECONDS_PER_CELL:-6}"
ADDR=127.0.0.1:18080
BASE="http://$ADDR"
CITY_DIR="${CITY_DIR:-target/load-city}"

if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
  else
    echo "wrk is needed (apt-get install wrk)" >&2
    exit 1
  fi
fi

BIN="${DUBAN_BIN:-target/release/duban}"
if [ -z "${DUBAN_BIN:-}" ]; then
  cargo build --release --locked -p duban
fi

mkdir -p "$CITY_DIR"
export DUBAN_SERVER__LISTEN="$ADDR"
if [ -n "${DATABASE_URL:-}" ]; then
  echo "== PostgreSQL: ${DATABASE_URL}"
  export DUBAN_DATABASE__URL="$DATABASE_URL"
fi
if [ ! -e "$CITY_DIR/.loaded${DATABASE_URL:+-pg}" ]; then
  echo "== loading the benchmark city (20,000 tasks; a few minutes, once)"
  "$BIN" --data-dir "$CITY_DIR" demo --tasks 20000 --load-only
  touch "$CITY_DIR/.loaded${DATABASE_URL:+-pg}"
fi

"$BIN" --data-dir "$CITY_DIR" demo >"$CITY_DIR/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -fs "$BASE/healthz" >/dev/null 2>&1 && break
  sleep 0.5
done
rss() { awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$PID/status"; }

# Signs in through the form; prints the Cookie header's value and the CSRF token.
sign_in() {
  local jar
  jar=$(mktemp)
  curl -fs -c "$jar" -b "$jar" "$BASE/login" >/dev/null
  local csrf
  csrf=$(awk '$6 == "duban_csrf" {print $7}' "$jar")
  curl -fs -o /dev/null -c "$jar" -b "$jar" --data-urlencode "login=$1" \
    --data-urlencode "password=duban2026" --data-urlencode "_csrf=$csrf" "$BASE/login"
  local cookie
  cookie=$(awk '$6 ~ /^duban_/ {printf "%s%s=%s", sep, $6, $7; sep="; "}' "$jar")
  rm -f "$jar"
  echo "$cookie|$csrf"
}

# The day's lights are computed at start-up (the writer is busy for a few seconds): wait for
# the job runner to finish its first round before measuring.
for _ in $(seq 1 120); do
  grep -q "the day's lights computed\|job runner started" "$CITY_DIR/server.log" && break
  sleep 0.5
done
sleep 10
OFFICE=$(sign_in dkb)
LIAISON=$(sign_in jxj-liaison)
curl -fs -H "Cookie: ${OFFICE%%|*}" "$BASE/dashboard" >/dev/null
echo "== resident memory idle after start-up: $(rss) MiB"

# One cell: wrk's requests per second, p50 and p99 (ms).
cell() {
  local c=$1 cookie=$2 path=$3
  shift 3
  local threads=$((c < 2 ? 1 : 2))
  wrk -t"$threads" -c"$c" -d"${SECS}s" --latency -H "Cookie: $cookie" "$@" "$BASE$path" |
    awk -v c="$c" '
      /Requests\/sec/ {rps = $2}
      /^ +50%/ {p50 = $2}
      /^ +99%/ {p99 = $2}
      /Non-2xx/ {bad = $NF}
      END {printf "  c=%-2s %9s req/s  p50 %8s  p99 %8s%s\n", c, rps, p50, p99, (bad ? "  non-2xx " bad : "")}'
}

question() {
  local name=$1 path=$2
  echo "== $name: GET $path"
  cell 1 "${OFFICE%%|*}" "$path"
  cell 8 "${OFFICE%%|*}" "$path"
}

question "city dashboard, page" /dashboard
question "city dashboard, JSON" /api/v1/dashboard
UNIT=$(curl -fs -H "Cookie: ${OFFICE%%|*}" "$BASE/api/v1/units" | grep -o '"id":[0-9]*' | sed -n 5p | cut -d: -f2)
question "a unit's dashboard, page" "/dashboard?unit=$UNIT"
question "a unit's dashboard, JSON" "/api/v1/dashboard?unit=$UNIT"
question "overdue tasks, 50 a page, JSON" "/api/v1/tasks?due=overdue&sort=due&per_page=50"
question "overdue tasks, page" "/lists?due=overdue&sort=due"
# Report-text search, three words of the generated city: "10" (two characters, in about
# 21,000 reports), "完成10" (a trigram, about 17,700) and "推进" (two characters, about 400).
question "search a common short word in report texts" "/search?q=10&kind=report"
question "search a common word in report texts" "/search?q=%E5%AE%8C%E6%88%9010&kind=report"
question "search a rare short word in report texts" "/search?q=%E6%8E%A8%E8%BF%9B&kind=report"

# A report draft of one of the liaison's tasks, saved again and again.
HOME_UNIT=$(curl -fs -H "Cookie: ${LIAISON%%|*}" "$BASE/api/v1/me" |
  grep -o '"home_unit_id":[0-9]*' | cut -d: -f2)
BODY='{"action":"save","percent":50,"progress_text":"按计划推进"}'
TASK=
# The first of the unit's tasks whose report of this period is still open to a draft.
for t in $(curl -fs -H "Cookie: ${LIAISON%%|*}" \
  "$BASE/api/v1/tasks?per_page=200&unit=$HOME_UNIT&lead=1&state=approved" |
  grep -o '"id":[0-9]*' | cut -d: -f2); do
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: ${LIAISON%%|*}" \
    -H "X-CSRF-Token: ${LIAISON##*|}" -H "Content-Type: application/json" -d "$BODY" \
    "$BASE/api/v1/tasks/$t/reports")
  if [ "$code" = "201" ]; then TASK=$t; break; fi
done
[ -n "$TASK" ] || { echo "no task of unit $HOME_UNIT takes a draft now" >&2; exit 1; }
LUA=$(mktemp --suffix=.lua)
cat >"$LUA" <<EOF
wrk.method = "POST"
wrk.body = '$BODY'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-CSRF-Token"] = "${LIAISON##*|}"
EOF
echo "== report write (draft): POST /api/v1/tasks/$TASK/reports"
cell 1 "${LIAISON%%|*}" "/api/v1/tasks/$TASK/reports" -s "$LUA"
cell 4 "${LIAISON%%|*}" "/api/v1/tasks/$TASK/reports" -s "$LUA"
rm -f "$LUA"
echo "== resident memory at the end: $(rss) MiB"
