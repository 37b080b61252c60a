#!/bin/sh
# A central's database connections are bounded (--db-connections): slow
# snapshot downloads hold one each, but never the last one per worker
# thread; beyond, a snapshot is told to come back (503, Retry-After) while
# pages, events and look-ups go on, and PostgreSQL never sees more than the
# bound from this central.
#   pool.sh GREENLANE PG_BASE_URI     prints "pool: N passed, M failed"
set -u
G=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
C="$(dirname "$G")/greenlane-central"
HERE=$(cd "$(dirname "$0")" && pwd)
BASE=$2
NAME=pool
T=$(mktemp -d /tmp/greenlane-pool.XXXXXX)
PGDB="pool_$$" PORT=$((22000 + ($$ + 250) % 1000))
DB="$BASE/$PGDB" URL="http://127.0.0.1:$PORT"
pass=0 fail=0 SPID= SLOW=
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); printf 'FAIL %s: %s\n' "$NAME" "$*"; }
cleanup() {
  for p in $SLOW $SPID; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  psql -XAtq "$BASE/postgres" -c "DROP DATABASE IF EXISTS $PGDB WITH (FORCE)" >/dev/null 2>&1
  rm -rf "$T"
}
trap cleanup EXIT
. "$HERE/../expect.sh"
psql -XAtq "$BASE/postgres" -c "CREATE DATABASE $PGDB" >/dev/null
"$C" admin --db "$DB" migrate >/dev/null || bad "admin migrate"
"$C" admin --db "$DB" demo --size 3000 >/dev/null 2>&1 || bad "the demo"
TOKEN=$("$C" admin --db "$DB" token add POOL-1)
A="Authorization: Bearer $TOKEN"
"$C" serve --listen "127.0.0.1:$PORT" --db "$DB" --db-connections 4 --log "$T/central.log" &
SPID=$!
i=0; until curl -s -o /dev/null "$URL/v1/keys"; do sleep 0.05; i=$((i + 1)); [ $i -lt 100 ] || break; done
code() { curl -s -o "$T/body" -D "$T/headers" -w '%{http_code}' -m 20 "$@"; }
conns() { psql -XAtq "$BASE/postgres" -c "SELECT count(*) FROM pg_stat_activity WHERE datname = '$PGDB'"; }

# Four lanes take their snapshot over a very slow line: each download holds
# its connection for as long as it lasts.  With 4 connections and 2 worker
# threads, two may stream at once.
for i in 1 2 3 4; do
  curl -s -o /dev/null -w '%{http_code}\n' --limit-rate 2k -H "$A" "$URL/v1/snapshot" >"$T/slow$i" &
  SLOW="$SLOW $!"
done
sleep 1
n=$(conns)
[ "$n" -le 4 ] && ok || bad "PostgreSQL sees $n connections from a central bounded to 4"
[ "$(cat "$T"/slow? | grep -c 503)" -eq 2 ] && ok || bad "two of the four slow snapshots were told to come back: $(cat "$T"/slow?)"
streaming=0
for p in $SLOW; do kill -0 "$p" 2>/dev/null && streaming=$((streaming + 1)); done
[ "$streaming" -eq 2 ] && ok || bad "two stream, holding a connection each: $streaming do"
[ "$(code -H "$A" "$URL/v1/snapshot")" = 503 ] && ok || bad "a snapshot beyond the bound: 503 ($(head -c 200 "$T/body"))"
grep -qi '^Retry-After: ' "$T/headers" && ok || bad "with Retry-After"
[ "$(code -H "$A" "$URL/v1/changes?since=0&limit=5")" = 200 ] && ok || bad "a change page still answered"
[ "$(code -H "$A" "$URL/v1/vehicles/豫D10001")" = 200 ] && ok || bad "a look-up still answered"
[ "$(code -H "$A" "$URL/v1/keys")" = 200 ] && ok || bad "the keys still answered"
n=$(conns)
[ "$n" -le 4 ] && ok || bad "still at most 4 connections, saw $n"

# The slow downloads end: their connections serve again.
for p in $SLOW; do kill "$p" 2>/dev/null; done
wait $SLOW 2>/dev/null
SLOW=
i=0; got=
while [ $i -lt 50 ]; do
  got=$(code -H "$A" -H 'Accept-Encoding: gzip' "$URL/v1/snapshot")
  [ "$got" = 200 ] && break
  sleep 0.1; i=$((i + 1))
done
[ "$got" = 200 ] && ok || bad "a snapshot once the slow ones ended: $got"
kill -0 "$SPID" 2>/dev/null && ok || bad "the centre is still up"
echo "pool: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
