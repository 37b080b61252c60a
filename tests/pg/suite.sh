#!/bin/sh
# The API scenarios again, unchanged, against the PostgreSQL store: a
# throwaway server (server.sh) for the run, a fresh database per scenario
# (tests/api/lib.sh, GL_TEST_PG); then the change feed under concurrent
# writers and readers on two centrals (feed.py).  Prints "api-pg: N passed,
# M failed" and "feed: N passed, M failed".
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
exit $rc
