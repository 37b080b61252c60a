#!/bin/sh
# The change feed never hides a change: a cursor ahead of the centre (a
# centre restored from a backup) gets 410, the tombstone horizon only moves
# forward, and as_of is the time the centre served the data, so a quiet
# centre does not make every lane stale.
. "$(dirname "$0")/lib.sh"
setup
serve
cursor() { sql 'select max(seq) from record'; }
# A centre restored from a backup taken before the last changes.
admin enterprise suspend E000001 >/dev/null
db_backup "$T/backup"
admin enterprise restore E000001 >/dev/null
admin risk set 410302 high >/dev/null
LANE_CUR=$(cursor)
kill "$SPID"; wait "$SPID" 2>/dev/null; SPID=
db_restore "$T/backup"
serve
expect 410 "a cursor ahead of the restored centre" -- -H "$A" "$URL/v1/changes?since=$LANE_CUR"
has '"error":"gone"' "says gone"
has "ahead" "and why"
expect 200 "the centre's own cursor is fine" -- -H "$A" "$URL/v1/changes?since=$(cursor)"
for bad in -1 1.5 1e3 abc "" 99999999999999999999; do
  expect 400 "since=$bad is not a cursor" -- -H "$A" "$URL/v1/changes?since=$bad"
done
expect 400 "limit=0" -- -H "$A" "$URL/v1/changes?since=0&limit=0"
expect 400 "limit=abc" -- -H "$A" "$URL/v1/changes?since=0&limit=abc"
expect 200 "a huge limit is cut to the page maximum" -- -H "$A" "$URL/v1/changes?since=0&limit=99999999999"

# The horizon: forward only, never past the cursor.
admin risk clear 410302 >/dev/null 2>&1; admin risk set 410303 high >/dev/null; admin risk clear 410303 >/dev/null
H=$(($(cursor) - 1))
expect_exit 0 "compact up to just below the cursor" -- admin compact $H
expect_exit 65 "compact below the horizon is refused" -- admin compact 1
expect_in "$T/err" "horizon" "and says why"
[ "$(sql "select v from meta where k = 'horizon'")" = $H ] && ok || bad "the horizon did not move back"
expect 410 "a lane below the horizon still gets 410" -- -H "$A" "$URL/v1/changes?since=1"
expect_exit 65 "compact past the cursor is refused" -- admin compact $(($(cursor) + 5))
expect_exit 64 "compact -5" -- admin compact -5
expect_exit 64 "compact abc" -- admin compact abc
expect_exit 64 "compact 1e3" -- admin compact 1e3

# as_of: when served, not when last changed.
T0=$(date +%s)
sleep 2
expect 200 "a snapshot from a quiet centre" -- -H "$A" "$URL/v1/snapshot"
AS_OF=$(tail -n 1 "$T/body" | sed 's/.*"as_of":"\([^"]*\)".*/\1/')
[ "$(date -d "$AS_OF" +%s)" -ge $((T0 + 2)) ] && ok || bad "the snapshot's as_of ($AS_OF) is the time it was served"
expect 200 "a change page from a quiet centre" -- -H "$A" "$URL/v1/changes?since=$(cursor)"
AS_OF=$(tail -n 1 "$T/body" | sed 's/.*"as_of":"\([^"]*\)".*/\1/')
[ "$(date -d "$AS_OF" +%s)" -ge $((T0 + 2)) ] && ok || bad "the page's as_of ($AS_OF) is the time it was served"
admin bundle "$T/b.ndjson" 2>/dev/null
AS_OF=$(tail -n 2 "$T/b.ndjson" | head -n 1 | sed 's/.*"as_of":"\([^"]*\)".*/\1/')
[ "$(date -d "$AS_OF" +%s)" -ge $((T0 + 2)) ] && ok || bad "the bundle's as_of ($AS_OF) is the time it was written"
finish
