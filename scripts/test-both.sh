#!/usr/bin/env bash
# The whole suite on SQLite and on PostgreSQL at the same time, one pytest worker each.
#
# Measured on two cores (docs/benchmarks.md): one after the other with two workers each took
# about 14 minutes; side by side with one worker each about 12.5, because each run's waits (a
# browser, a served instance, a worker process) leave room for the other, and a single worker
# sets up its session (database, browser, drill template) once. Each run's output is kept in a
# file and printed whole when both have ended; a line a minute says how far each has come.
set -uo pipefail
cd "$(dirname "$0")/.."
logs=$(mktemp -d /tmp/nollvision-tests.XXXXXX)
trap 'rm -rf "$logs"' EXIT
each=${PYTEST_WORKERS_EACH:-1}
PYTEST_WORKERS=$each env -u DATABASE_URL bash scripts/pytest.sh "$@" >"$logs/sqlite.log" 2>&1 &
sqlite=$!
PYTEST_WORKERS=$each bash scripts/with-postgres.sh bash scripts/pytest.sh "$@" >"$logs/postgres.log" 2>&1 &
postgres=$!
progress() { grep -o '\[ *[0-9]*%\]' "$1" 2>/dev/null | tail -1 || true; }
while kill -0 "$sqlite" 2>/dev/null || kill -0 "$postgres" 2>/dev/null; do
  sleep 60
  echo "$(date +%T) SQLite $(progress "$logs/sqlite.log") PostgreSQL $(progress "$logs/postgres.log")"
done
wait "$sqlite"; sqlite_rc=$?
wait "$postgres"; postgres_rc=$?
echo "== tests on SQLite (exit $sqlite_rc)"
cat "$logs/sqlite.log"
echo "== tests on PostgreSQL (exit $postgres_rc)"
cat "$logs/postgres.log"
if [ "$sqlite_rc" -ne 0 ] || [ "$postgres_rc" -ne 0 ]; then exit 1; fi
