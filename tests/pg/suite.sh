#!/bin/sh
# The API scenarios again, unchanged, against the PostgreSQL store: a
# throwaway server (server.sh) for the run, a fresh database per scenario
# (tests/api/lib.sh, GL_TEST_PG).  Then what only a shared database asks:
# the change feed under concurrent writers and readers on two centrals
# (feed.py), a lane's records posted to two centrals at once (events.py),
# the schema changed only by admin migrate (migrate.sh), the connections
# bounded (pool.sh), feed.py and events.py again through PgBouncer in
# transaction mode, the database stopped and restarted under a running
# centre (outage.sh, its own cluster), and a primary killed under lanes
# pushing records, its synchronous standby promoted (failover.py, its own
# two clusters), and the README's restore from a base backup and a WAL
# archive (restore.sh, its own cluster).  Each prints its summary line.
#   suite.sh GREENLANE
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
D=$(mktemp -d /tmp/greenlane-pg.XXXXXX)
PORT=$((11000 + $$ % 1000))   # apart from the api, sync and tui tests' ports
trap 'sh "$HERE/server.sh" stop "$D"; rm -rf "$D"' EXIT
if ! GL_TEST_PG=$(sh "$HERE/server.sh" start "$D" "$PORT"); then
  echo "api-pg: 0 passed, 1 failed"
  exit 1
fi
export GL_TEST_PG
sh "$HERE/../scenarios.sh" api-pg "$HERE/../api" "$1"; rc=$?
python3 "$HERE/feed.py" "$(dirname "$1")" "$GL_TEST_PG" || rc=1
python3 "$HERE/events.py" "$(dirname "$1")" "$GL_TEST_PG" || rc=1
sh "$HERE/migrate.sh" "$1" "$GL_TEST_PG" || rc=1
sh "$HERE/pool.sh" "$1" "$GL_TEST_PG" || rc=1
# The concurrent ones again through PgBouncer in transaction mode.
if B=$(sh "$HERE/server.sh" bouncer "$D" "$PORT" $((11000 + ($$ + 500) % 1000))); then
  GL_PG_VIA=pgbouncer python3 "$HERE/feed.py" "$(dirname "$1")" "$B" || rc=1
  GL_PG_VIA=pgbouncer python3 "$HERE/events.py" "$(dirname "$1")" "$B" || rc=1
  kill "$(cat "$D/pgbouncer.pid")"   # its port is free again for outage.sh
else
  echo "feed-pgbouncer: 0 passed, 1 failed"
  rc=1
fi
sh "$HERE/outage.sh" "$1" || rc=1
python3 "$HERE/failover.py" "$(dirname "$1")" || rc=1
sh "$HERE/restore.sh" "$1" || rc=1
exit $rc
