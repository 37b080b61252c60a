#!/bin/sh
# The database goes away under a running centre and comes back: lanes are
# told to come back later (503 with Retry-After), never that their token or
# their records are refused, nothing hangs, and the centre reconnects by
# itself; a lane's records all arrive, once.
#   outage.sh GREENLANE      prints "outage: N passed, M failed"
set -u
G=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
C="$(dirname "$G")/greenlane-central"
HERE=$(cd "$(dirname "$0")" && pwd)
NAME=outage
T=$(mktemp -d /tmp/greenlane-outage.XXXXXX) PGD=$(mktemp -d /tmp/greenlane-outage-pg.XXXXXX)
PGPORT=$((11000 + ($$ + 500) % 1000)) PORT=$((22000 + $$ % 1000))
pass=0 fail=0 SPID=
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); printf 'FAIL %s: %s\n' "$NAME" "$*"; }
cleanup() { [ -n "$SPID" ] && kill "$SPID" 2>/dev/null; wait 2>/dev/null; sh "$HERE/server.sh" stop "$PGD"; rm -rf "$T" "$PGD"; }
trap cleanup EXIT
. "$HERE/../expect.sh"
BASE=$(sh "$HERE/server.sh" start "$PGD" "$PGPORT") || { echo "outage: 0 passed, 1 failed"; exit 1; }
psql -XAtq "$BASE/postgres" -c "CREATE DATABASE gl" >/dev/null
DB="$BASE/gl"
"$C" admin --db "$DB" migrate >/dev/null || bad "admin migrate"
"$C" admin --db "$DB" demo --size 50 >/dev/null 2>&1 || bad "the demo"
TOKEN=$("$C" admin --db "$DB" token add LANE-O)
A="Authorization: Bearer $TOKEN"
"$C" serve --listen "127.0.0.1:$PORT" --db "$DB" --log "$T/central.log" &
SPID=$!
i=0; until curl -s -o /dev/null "http://127.0.0.1:$PORT/v1/keys"; do sleep 0.05; i=$((i + 1)); [ $i -lt 100 ] || break; done
code() { curl -s -o "$T/body" -D "$T/headers" -w '%{http_code}' -m 20 "$@"; }
[ "$(code -H "$A" "http://127.0.0.1:$PORT/v1/keys")" = 200 ] && ok || bad "the centre answers"

# A lane with records to send.
export GREENLANE_HOME="$T/lane" XDG_CONFIG_HOME="$T/config"
mkdir -p "$T/config/greenlane"
printf '[lane]\ncheckpoint = PDS-01\nterminal = LANE-O\n[server]\nurl = http://127.0.0.1:%s\ntoken = %s\n' "$PORT" "$TOKEN" \
  > "$T/config/greenlane/config.ini"
chmod 600 "$T/config/greenlane/config.ini"
expect_exit 0 "the lane's first sync" -- "$G" sync --once
"$G" log --officer 0417 豫D10001 >/dev/null 2>&1; "$G" log --officer 0417 豫D10002 >/dev/null 2>&1

sh "$HERE/server.sh" stop "$PGD"
S0=$(date +%s)
[ "$(code -H "$A" "http://127.0.0.1:$PORT/v1/keys")" = 503 ] && ok || bad "the database down: 503, not an answer made up ($(cat "$T/body"))"
grep -qi '^Retry-After: ' "$T/headers" && ok || bad "with Retry-After"
[ "$(code -H "$A" "http://127.0.0.1:$PORT/v1/changes?since=0")" = 503 ] && ok || bad "the feed: 503"
expect_exit 69 "a lane's sync while the database is down: try again later" -- "$G" sync --once
expect_not_in "$T/out" "refused" "nothing is refused"
[ "$(sqlite3 "$GREENLANE_HOME/journal.db" 'select count(*) from outbox')" -eq 2 ] && ok || bad "the records stay in the outbox"
[ $(( $(date +%s) - S0 )) -lt 30 ] && ok || bad "no request hung"
kill -0 "$SPID" 2>/dev/null && ok || bad "the centre is still up"

sh "$HERE/server.sh" start "$PGD" "$PGPORT" >/dev/null || bad "the database back"
expect_exit 0 "a lane's sync once the database is back" -- "$G" sync --once
expect_in "$T/out" "pushed: 2 held by the centre, 0 refused, 0 unsent" "every record arrives"
[ "$(psql -XAtq "$DB" -c "select count(*) || ' ' || count(distinct uuid) from event")" = "2 2" ] && ok || bad "once each"

# The database restarted while the centre sat idle: its connections are
# dead without its knowing.  A read or a BEGIN finds out and connects again,
# so not even the first request after the restart is turned away.
for i in 1 2 3 4; do code -H "$A" "http://127.0.0.1:$PORT/v1/keys" >/dev/null; done
sh "$HERE/server.sh" stop "$PGD"
sh "$HERE/server.sh" start "$PGD" "$PGPORT" >/dev/null || bad "the database back again"
codes=
for i in 1 2 3 4; do codes="$codes $(code -H "$A" "http://127.0.0.1:$PORT/v1/changes?since=0")"; done
[ "$codes" = " 200 200 200 200" ] && ok || bad "every request after a restart unseen answered: got$codes"
"$G" log --officer 0417 豫D10001 >/dev/null 2>&1
expect_exit 0 "a lane's sync after a restart unseen" -- "$G" sync --once
expect_in "$T/out" "pushed: 1 held by the centre, 0 refused, 0 unsent" "its record arrives"

# The database answers, but a read fails half-way through a request (here:
# the records' table out of reach while tokens still check).  Every answer
# that needs it is 503: never "no such vehicle", never "no policy", never a
# list of keys cut short, never 410 sending a lane back to a snapshot.
psql -XAtq "$DB" -c "ALTER TABLE record RENAME TO record_away" >/dev/null
for path in /v1/vehicles/豫D10001 /v1/drivers/410402196501010003 /v1/policy /v1/keys "/v1/changes?since=5" /v1/snapshot; do
  got=$(code -H "$A" "http://127.0.0.1:$PORT$path")
  [ "$got" = 503 ] && ok || bad "$path with a read failing: $got, want 503 ($(head -c 120 "$T/body"))"
done
psql -XAtq "$DB" -c "ALTER TABLE record_away RENAME TO record" >/dev/null
[ "$(code -H "$A" "http://127.0.0.1:$PORT/v1/vehicles/豫D10001")" = 200 ] && ok || bad "the look-up once the table is back"

# The admin side likewise: a read that fails is "try again" (75), never
# "no sample with that tube" nor an empty report.
psql -XAtq "$DB" -c "ALTER TABLE event RENAME TO event_away" >/dev/null
expect_exit 75 "test-result with the events out of reach: try again" -- "$C" admin --db "$DB" test-result T-0001 positive
expect_not_in "$T/err" "no sample" "not told there is no such sample"
expect_exit 75 "the report with the events out of reach: try again" -- "$C" admin --db "$DB" report
psql -XAtq "$DB" -c "ALTER TABLE event_away RENAME TO event" >/dev/null
expect_exit 0 "the report once the table is back" -- "$C" admin --db "$DB" report
expect_in "$T/out" "LANE-O" "it names the lane"
echo "outage: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
