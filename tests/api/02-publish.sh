#!/bin/sh
# One bad record never stops every lane: the centre holds only events a lane
# could have written (plates, ID numbers, tubes, UTF-8), and publishes only
# records a lane's import takes — checked with the lane's own rules.  After
# every hostile attempt below, a new lane still takes its first snapshot and
# the feed still carries a revocation.
. "$(dirname "$0")/lib.sh"
setup
serve
U=0f6a3c1e-1b2d-4c3e-8f40-5a6b7c8d9e
GEN=$(printf '0%.0s' $(seq 64))
# sample FIELDS: a sample event of PDS-01-A with its fields after the common ones.
sample() {
  event "{\"uuid\":\"${U}01\",\"terminal\":\"PDS-01-A\",\"seq\":1,\"kind\":\"transit\",\"at\":\"2022-05-10T08:00:00+08:00\",$1,\"prev_hash\":\"$GEN\"}"
}
refused() { # DESCRIPTION FIELDS WHY
  sample "$2" > "$T/b"
  expect 200 "$1: answered" -- -H "$A" --data-binary @"$T/b" "$URL/v1/events"
  has '"held":\[\]' "$1: not held"
  has "$3" "$1: says why"
}
refused "an empty plate and crew" '"plate":"","crew":[],"decision":"sample","tube":"BAD-1"' "plate"
refused "a crew member who is not an ID number" '"plate":"豫D10001","crew":[""],"decision":"sample","tube":"BAD-1"' "crew"
refused "a plate not written canonically" '"plate":"豫d·10001","crew":[],"decision":"sample","tube":"BAD-1"' "plate"
printf '{"events":[{"body":"{\\"uuid\\":\\"%s01\\",\\"plate\\":\\"\xff\\"}","hash":"00"}]}' "$U" > "$T/b"
expect 400 "a batch that is not UTF-8 is refused whole" -- -H "$A" --data-binary @"$T/b" "$URL/v1/events"
has '"error":"bad_json"' "as bad JSON"
[ "$(sql 'select count(*) from event')" -eq 0 ] && ok || bad "nothing hostile is held"
admin test-result BAD-1 positive > "$T/out" 2>&1; [ $? -eq 66 ] && ok || { bad "no sample arrived, so no result"; cat "$T/out"; }
[ "$(sql "select count(*) from record where kind = 'intercept' and json_extract(data, '$.value') = ''")" -eq 0 ] \
  && ok || bad "no intercept with an empty value"

# What the centre publishes passes the lane's import.
CUR=$(sql 'select max(seq) from record')
printf '%s\n' '{"kind":"driver","op":"put","key":"410402196501010003","data":{"id_no":"410402196501010003","health_code":"红"}}' > "$T/bad.ndjson"
expect_exit 65 "a driver with health code 红 is not published" -- admin import "$T/bad.ndjson"
expect_in "$T/err" "health_code" "the error names the field"
expect_not_in "$T/err" "410402196501010003" "and never shows an ID number whole"
printf '%s\n' '{"kind":"risk_area","op":"put","key":"410302","data":{"region":"410302"}}' > "$T/bad.ndjson"
expect_exit 65 "a risk area without a level is not published" -- admin import "$T/bad.ndjson"
printf '%s\n' '{"kind":"vehicle","op":"put","key":"豫D10001","data":{"plate":"豫D10001","enterprise_id":"E000001"}}' \
  '{"kind":"tractor","op":"put","key":"x","data":{}}' > "$T/bad.ndjson"
expect_exit 65 "an unknown kind is not published" -- admin import "$T/bad.ndjson"
[ "$(sql 'select max(seq) from record')" = "$CUR" ] && ok || bad "a refused file publishes nothing, not even its good lines"
printf '%s\n' '{"kind":"vehicle","op":"put","key":"豫d·10001","data":{"plate":"豫d·10001","enterprise_id":"E000001","relation":"own","type":"重型厢式货车"}}' > "$T/ok.ndjson"
expect_exit 0 "a plate written another way is taken" -- admin import "$T/ok.ndjson"
[ "$(sql "select json_extract(data, '$.plate') from record where kind = 'vehicle' and seq = (select max(seq) from record)")" = "豫D10001" ] \
  && ok || bad "and published canonically"

# After all that, lanes still take the data: a new lane's first snapshot,
# then a revocation through the feed.
SYNC=$(admin token add LANE-9)
export GREENLANE_HOME="$T/lane9"
printf '[lane]\ncheckpoint = PDS-01\nterminal = LANE-9\n[server]\nurl = %s\ntoken = %s\n' "$URL" "$SYNC" > "$XDG_CONFIG_HOME/greenlane/config.ini"
chmod 600 "$XDG_CONFIG_HOME/greenlane/config.ini"
expect_exit 0 "a new lane takes its first snapshot" -- "$G" sync --once
expect_in "$T/out" "pulled: snapshot of" "a snapshot"
PASS=$(admin pass issue --plate 豫D10002 --origin 410102 --dest 410402 --enterprise E000001 --days 10 2>/dev/null)
expect_exit 0 "the new pass arrives" -- "$G" sync --once
PNO=$(sql "select key from record where kind = 'pass' order by seq desc limit 1")
admin pass revoke "$PNO" >/dev/null
expect_exit 0 "the revocation arrives" -- "$G" sync --once
expect_in "$T/out" "pulled: 1 changes" "as one change"
expect_exit 3 "and the pass needs a manual check at the lane" -- "$G" verify "$PASS"
expect_in "$T/out" "PASS_REVOKED" "revoked"
finish
