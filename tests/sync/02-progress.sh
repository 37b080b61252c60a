# Every round makes progress or stops with a clear error; a stop request
# ends it at once; retries back off.  (Before: 43,000 requests and more.)
. "$(dirname "$0")/lib.sh"
snapshot_file
fake ok
expect_exit 0 "a first snapshot from the well-behaved centre" -- "$G" sync --once
"$G" log --decision release 豫D10001 >/dev/null 2>&1 || bad "log a truck"
# A change feed that says "more" without moving on.
fake same-cursor
expect_exit 65 "more:true with the same cursor stops the round" -- timeout 20 "$G" sync --once
expect_in "$T/err" "does not move on" "and says why"
[ "$(requests 'GET /v1/changes')" -le 2 ] && ok || bad "in one or two requests, not thousands ($(requests 'GET /v1/changes'))"
# A centre that says it holds a record it was never sent.
"$G" log --decision release 豫D10002 >/dev/null 2>&1 || bad "log another truck"
fake held-unknown
expect_exit 65 "a centre that holds what it was not sent" -- timeout 20 "$G" sync --once
expect_in "$T/err" "neither holds nor refuses" "says so"
expect_in "$T/err" "named records that were not sent" "and warns of the record it named"
[ "$(unsent)" -eq 1 ] && ok || bad "the record stays in the outbox"
[ "$(requests 'POST /v1/events')" -eq 1 ] && ok || bad "one request, not a loop ($(requests 'POST /v1/events'))"
# A dropped connection: a few tries, spaced out, then a clear stop.
rm -f "$GREENLANE_HOME"/cache.db*
fake drop
start=$(date +%s)
expect_exit 69 "a snapshot whose connection drops every time" -- timeout 60 "$G" sync --once
expect_in "$T/err" "download broke" "says the download kept breaking"
n=$(requests 'GET /v1/snapshot')
[ "$n" -ge 2 ] && [ "$n" -le 12 ] && ok || bad "a few tries, not 51 ($n)"
# SIGTERM ends a round at once, even in the middle of a download.
fake hang
"$G" sync --once > "$T/out" 2>"$T/err" &
SPID=$!
i=0; until [ "$(requests 'GET /v1/snapshot')" -ge 1 ] || [ $i -ge 100 ]; do sleep 0.05; i=$((i + 1)); done
sleep 0.3
kill -TERM $SPID
t0=$(date +%s%N); wait $SPID; rc=$?; t1=$(date +%s%N)
[ $rc -eq 75 ] && ok || { bad "SIGTERM ends the round with 75, got $rc"; cat "$T/err"; }
[ $(( (t1 - t0) / 1000000 )) -lt 2000 ] && ok || bad "within two seconds ($(( (t1 - t0) / 1000000 )) ms)"
expect_in "$T/err" "stopped" "and says it was stopped"
[ ! -e "$GREENLANE_HOME/snapshot.ndjson.part" ] && ok || bad "the partial download is removed"
finish
