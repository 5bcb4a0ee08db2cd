#!/usr/bin/env bash
# The whole suite on SQLite and on PostgreSQL, both at once: much of each run waits (browsers,
# gunicorn drills, database round trips), so two runs side by side fill the machine's two cores
# that one run leaves idle. SQLite's run is shown as it goes; PostgreSQL's log follows when it
# ends. Fails if either run fails.
set -uo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp /tmp/nollvision-postgres-tests.XXXXXX)
trap 'rm -f "$log"' EXIT
(
  echo "== tests on PostgreSQL"
  bash scripts/with-postgres.sh bash scripts/pytest.sh
) >"$log" 2>&1 &
postgres=$!
echo "== tests on SQLite (PostgreSQL's run goes on beside it)"
env -u DATABASE_URL bash scripts/pytest.sh
sqlite_rc=$?
wait "$postgres"
postgres_rc=$?
cat "$log"
echo "== SQLite: exit $sqlite_rc; PostgreSQL: exit $postgres_rc"
[ "$sqlite_rc" -eq 0 ] && [ "$postgres_rc" -eq 0 ]
