#!/bin/sh
# The fault knobs the lane's tests rely on work on every endpoint: a reply
# cut after N bytes (its length announced whole, so the client sees it
# broken), a status, a delay, a dropped connection.
. "$(dirname "$0")/lib.sh"
setup
GEN=$(printf '0%.0s' $(seq 64))
event "{\"uuid\":\"0f6a3c1e-1b2d-4c3e-8f40-5a6b7c8d9e01\",\"terminal\":\"PDS-01-A\",\"seq\":1,\"kind\":\"ack\",\"at\":\"2022-05-10T08:00:00+08:00\",\"prev_hash\":\"$GEN\"}" > "$T/ev"
cut() { # ENDPOINT DESCRIPTION -- curl args: the reply is cut short
  serve --fault "$1:truncate=10"
  what=$2; shift 3
  curl -s -o "$T/cut" -H "$A" "$@"; rc=$?
  [ $rc -eq 18 ] && ok || bad "$what: curl exit $rc, want 18 (a transfer cut short)"
  [ "$(wc -c < "$T/cut")" -eq 10 ] && ok || bad "$what: $(wc -c < "$T/cut") bytes arrived, want 10"
}
cut /v1/events "the events reply cut" -- --data-binary @"$T/ev" "$URL/v1/events"
[ "$(sql 'select count(*) from event')" = 1 ] && ok || bad "the cut reply's record is held: a retry finds it held"
cut /v1/changes "a change page cut" -- "$URL/v1/changes?since=0"
cut /v1/keys "the keys cut" -- "$URL/v1/keys"
cut /v1/vehicles/ "a look-up cut" -- "$URL/v1/vehicles/%E8%B1%ABD10001"
serve --fault /v1/vehicles/:status=503
expect 503 "a status on a look-up" -- -H "$A" "$URL/v1/vehicles/%E8%B1%ABD10001"
expect 200 "other endpoints unaffected" -- -H "$A" "$URL/v1/keys"
serve --fault /v1/events:delay=400
S0=$(date +%s%N)
expect 200 "a delayed events reply" -- -H "$A" --data-binary @"$T/ev" "$URL/v1/events"
[ $(( ($(date +%s%N) - S0) / 1000000 )) -ge 400 ] && ok || bad "the delay is applied to POST /v1/events"
serve --fault /v1/changes:drop
curl -s -o /dev/null -H "$A" "$URL/v1/changes?since=0"; rc=$?
[ $rc -eq 52 ] && ok || bad "a dropped change page: curl exit $rc, want 52 (empty reply)"
for spec in /v1/keys /v1/keys:status=200 /v1/keys:truncate=-1 /v1/keys:delay=abc :drop /v1/keys:explode; do
  expect_exit 64 "--fault $spec is refused" -- "$C" serve --listen "127.0.0.1:$PORT" --db "$DB" --fault "$spec"
done
finish
