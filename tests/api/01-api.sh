#!/bin/sh
# The central API as a lane uses it: authentication, errors, the snapshot
# (gzip, resumed), the change feed with tombstones and 410, look-ups, event
# batches held once with chains checked, a sample's result back at the lane,
# passes, county CSV, fault knobs, TLS, greenlane sync end to end, and
# signed bundles.
. "$(dirname "$0")/lib.sh"

"$C" admin --db "$DB" demo --size 200 >/dev/null 2>"$T/err" || { echo "api: admin demo failed"; cat "$T/err"; exit 1; }
"$C" admin --db "$DB" policy publish default >/dev/null && ok || bad "publish the default policy"
TOKEN=$("$C" admin --db "$DB" token add PDS-01-A)
OTHER=$("$C" admin --db "$DB" token add PDS-02-A)
GONE=$("$C" admin --db "$DB" token add OLD-1)
"$C" admin --db "$DB" token revoke OLD-1 && ok || bad "revoke a token"
[ ${#TOKEN} -eq 64 ] && ok || bad "a token is 64 hex digits"
sql "select count(*) from terminal where token_hash = '$TOKEN'" | grep -q '^0$' && ok || bad "tokens are stored hashed"
A="Authorization: Bearer $TOKEN"

serve
# --- auth, errors, headers ------------------------------------------------------------
expect 401 "no token" -- "$URL/v1/keys"
has '"error":"unauthorized"' "JSON error"
expect 401 "a made-up token" -- -H "Authorization: Bearer $(printf '%064d' 0)" "$URL/v1/keys"
expect 401 "a revoked token" -- -H "Authorization: Bearer $GONE" "$URL/v1/keys"
expect 404 "unknown endpoint" -- -H "$A" "$URL/v2/nothing"
has '"error":"not_found"' "JSON 404"
expect 405 "wrong method" -- -X POST -H "$A" "$URL/v1/keys"
expect 200 "keys" -- -H "$A" "$URL/v1/keys"
has '"use":"pass"' "pass keys listed"
grep -qi '^Date: ' "$T/headers" && ok || bad "a Date header"
expect 200 "policy" -- -H "$A" "$URL/v1/policy"
has '"jws":"ey' "the policy is signed"

# --- snapshot ---------------------------------------------------------------------------
expect 200 "snapshot" -- -H "$A" "$URL/v1/snapshot"
tail -n 1 "$T/body" | grep -q '^{"cursor":[0-9]*,"as_of":"' && ok || bad "the snapshot ends with cursor and as_of"
cp "$T/body" "$T/plain.ndjson"
LINES_PLAIN=$(wc -l < "$T/plain.ndjson")
expect 200 "gzip snapshot" -- -H "$A" -H "Accept-Encoding: gzip" "$URL/v1/snapshot"
grep -qi '^Content-Encoding: gzip' "$T/headers" && ok || bad "gzip when the client accepts it"
cp "$T/body" "$T/snap.gz"
[ "$(gzip -dc "$T/snap.gz" | wc -l)" -eq "$LINES_PLAIN" ] && ok || bad "the gzip snapshot has the same lines"
AFTER=$(sed -n '100p' "$T/plain.ndjson" | sed 's/.*"kind":"\([^"]*\)".*"key":"\([^"]*\)".*/\1\/\2/')
expect 200 "resumed snapshot" -- -H "$A" -G --data-urlencode "after=$AFTER" "$URL/v1/snapshot"
[ "$(wc -l < "$T/body")" -eq $((LINES_PLAIN - 100)) ] && ok || bad "resuming after line 100 sends the rest"
expect 400 "bad resume" -- -H "$A" "$URL/v1/snapshot?after=nonsense"

# The terminal (configured for PDS-01) imports the gzip snapshot as it is and checks a truck.
printf '[lane]\ncheckpoint = PDS-01\n' > "$XDG_CONFIG_HOME/greenlane/config.ini"
"$G" import --replace "$T/snap.gz" 2>/dev/null && ok || bad "greenlane imports the centre's gzip snapshot"
"$G" verify 豫D10001 >/dev/null; [ $? -eq 0 ] && ok || bad "and the demo truck is green on it"

# --- change feed, tombstones, 410 --------------------------------------------------------
CUR=$(tail -n 1 "$T/plain.ndjson" | sed 's/{"cursor":\([0-9]*\).*/\1/')
expect 200 "no changes yet" -- -H "$A" "$URL/v1/changes?since=$CUR"
has "{\"cursor\":$CUR,\"more\":false,\"as_of\":" "an empty page keeps the cursor"
"$C" admin --db "$DB" enterprise suspend E000001 >/dev/null && ok || bad "meltdown"
"$C" admin --db "$DB" risk set 410302 high >/dev/null && ok || bad "risk area"
"$C" admin --db "$DB" risk clear 410302 >/dev/null && ok || bad "risk area cleared"
expect 200 "changes" -- -H "$A" "$URL/v1/changes?since=$CUR"
has '"kind":"enterprise","op":"put","key":"E000001"' "the meltdown is in the feed"
has '"kind":"risk_area","op":"del","key":"410302"' "a tombstone is in the feed"
grep -q '"op":"del".*"data"' "$T/body" && bad "a del line carries no data" || ok
expect 200 "paged changes" -- -H "$A" "$URL/v1/changes?since=0&limit=10"
[ "$(wc -l < "$T/body")" -eq 11 ] && ok || bad "limit=10 gives 10 records and the trailer"
has '"more":true' "more pages"
cp "$T/body" "$T/changes.ndjson"
"$G" import "$T/changes.ndjson" 2>/dev/null && ok || bad "greenlane applies a change page"
expect 400 "bad cursor" -- -H "$A" "$URL/v1/changes?since=abc"
"$C" admin --db "$DB" compact "$((CUR + 2))" && ok || bad "compact"
expect 410 "a cursor older than the horizon" -- -H "$A" "$URL/v1/changes?since=1"
has '"error":"gone"' "410 says gone"

# --- look-ups -------------------------------------------------------------------------------
expect 200 "vehicle" -- -H "$A" "$URL/v1/vehicles/%E8%B1%ABD%C2%B710001"
has '"plate":"豫D10001"' "a plate in any form is folded"
has '"passes":\[{' "with its passes"
expect 404 "unknown vehicle" -- -H "$A" "$URL/v1/vehicles/%E8%97%8FZ99999"
expect 400 "not a plate" -- -H "$A" "$URL/v1/vehicles/nonsense"
expect 200 "driver" -- -H "$A" "$URL/v1/drivers/410402196501010003"
has '"name":' "the driver record"
expect 400 "not an ID" -- -H "$A" "$URL/v1/drivers/410402196501010004"

# --- events: held once, chains checked ---------------------------------------------------------
for p in 豫D10001 豫D10002 豫D10024; do "$G" log --officer 0417 --decision release --reason "API test" "$p" >/dev/null || bad "log $p"; done
sqlite3 "$GREENLANE_HOME/journal.db" "select json_object('hash', hash, 'body', body) from record order by seq" > "$T/events"
TERM_ID=$(sqlite3 "$GREENLANE_HOME/journal.db" "select v from meta where k='terminal'")
T2=$("$C" admin --db "$DB" token add "$TERM_ID")
B="Authorization: Bearer $T2"
batch() { printf '{"events":['; sed -n "$1" "$T/events" | paste -sd, -; printf ']}'; }
batch '1p;3p' > "$T/b1"
expect 200 "a batch with a gap" -- -H "$B" --data-binary @"$T/b1" "$URL/v1/events"
[ "$(grep -o '"held":\[[^]]*\]' "$T/body" | grep -o '-' | wc -l)" -ge 8 ] && ok || bad "both held"
"$C" admin --db "$DB" report > "$T/report"
grep -A6 "\"$TERM_ID\"" "$T/report" | grep -q '"gaps":	1' && ok || bad "the gap is recorded"
batch '1,3p' > "$T/b2"
expect 200 "the whole batch again, in order" -- -H "$B" --data-binary @"$T/b2" "$URL/v1/events"
"$C" admin --db "$DB" report > "$T/report"
grep -A6 "\"$TERM_ID\"" "$T/report" | grep -q '"events":	3' && ok || bad "a retry never duplicates: 3 events"
grep -A6 "\"$TERM_ID\"" "$T/report" | grep -q '"gaps":	0' && ok || bad "the gap is filled"
grep -A6 "\"$TERM_ID\"" "$T/report" | grep -q '"breaks":	0' && ok || bad "the chain is whole"
expect 200 "someone else's events" -- -H "$A" --data-binary @"$T/b2" "$URL/v1/events"
has '"refused":\[{' "are refused"
has "not this terminal" "with the reason"
sed 's/"hash":"[0-9a-f]*"/"hash":"'"$(printf 'f%.0s' $(seq 64))"'"/' "$T/b2" > "$T/b3"
expect 200 "a forged hash" -- -H "$B" --data-binary @"$T/b3" "$URL/v1/events"
has "does not match" "is refused"
expect 400 "bad JSON" -- -H "$B" --data-binary '{"events":' "$URL/v1/events"
head -c 5000000 /dev/zero | tr '\0' 'a' > "$T/huge"
expect 413 "an oversized body" -- -H "$B" --data-binary @"$T/huge" "$URL/v1/events"

# --- a lane sample, its result at the centre, the intercept back at the lane ---------------------
"$G" log --officer 0417 --decision sample --tube PDS-T1 --reason "API test" 豫D10003 >/dev/null && ok || bad "log a sample"
sqlite3 "$GREENLANE_HOME/journal.db" "select json_object('hash', hash, 'body', body) from record order by seq" > "$T/events"
batch '1,4p' > "$T/b4"
expect 200 "the sample reaches the centre" -- -H "$B" --data-binary @"$T/b4" "$URL/v1/events"
BEFORE=$(curl -s -H "$A" "$URL/v1/changes?since=$((CUR + 2))&limit=10000" | tail -n 1 | sed 's/{"cursor":\([0-9]*\).*/\1/')
"$C" admin --db "$DB" test-result PDS-T1 positive > "$T/out" && ok || bad "record a positive result by tube"
grep -q "2 intercepts" "$T/out" && ok || bad "the driver and the vehicle are intercepted"
"$C" admin --db "$DB" test-result NO-SUCH-TUBE negative 2>/dev/null; [ $? -eq 66 ] && ok || bad "an unknown tube is refused"
curl -s -H "$A" "$URL/v1/changes?since=$BEFORE" > "$T/changes2.ndjson"
grep -q '"kind":"intercept","op":"put"' "$T/changes2.ndjson" && ok || bad "the intercepts are in the feed"
"$G" import "$T/changes2.ndjson" 2>/dev/null && ok || bad "the lane applies them"
"$G" verify 豫D10003 > "$T/out"; [ $? -eq 4 ] && ok || bad "the truck is held at the lane"
grep -q INTERCEPT "$T/out" && ok || bad "for the intercept"

# --- passes issued by the centre verify offline at the lane ---------------------------------------
PASS=$("$C" admin --db "$DB" pass issue --plate 豫D10002 --origin 410102 --dest 410402 --enterprise E000001 --days 10)
curl -s -H "$A" "$URL/v1/changes?since=$BEFORE" > "$T/changes3.ndjson"
"$G" import "$T/changes3.ndjson" 2>/dev/null && ok || bad "the lane takes the new pass and keys"
"$G" verify --json "$PASS" > "$T/out"
grep -q '"signature":	"ok"' "$T/out" && ok || bad "the centre's pass token verifies at the lane"
PNO=$(grep -o '"pass_no":	"[0-9]*"' "$T/out" | head -n 1 | grep -o '[0-9]\{12\}')
"$C" admin --db "$DB" pass revoke "$PNO" >/dev/null && ok || bad "revoke the pass"

# --- a county bureau's CSV --------------------------------------------------------------------------
printf 'plate,enterprise_id,relation,type,trailer_plate\n"豫D·88888",E000001,own,重型厢式货车,\n' > "$T/v.csv"
"$C" admin --db "$DB" import-csv vehicle "$T/v.csv" >/dev/null && ok || bad "import vehicles from CSV"
expect 200 "the CSV vehicle is live, folded" -- -H "$A" "$URL/v1/vehicles/%E8%B1%ABD88888"
printf 'plate,enterprise_id\n豫D1234I,E1\n' > "$T/bad.csv"
"$C" admin --db "$DB" import-csv vehicle "$T/bad.csv" 2>"$T/err"; [ $? -eq 65 ] && ok || bad "a bad plate in CSV is refused"
grep -q "row 2" "$T/err" && ok || bad "naming the row"
printf 'plate,colour\n豫D12345,red\n' > "$T/bad2.csv"
"$C" admin --db "$DB" import-csv vehicle "$T/bad2.csv" 2>/dev/null; [ $? -eq 65 ] && ok || bad "an unknown column is refused"

# --- fault knobs, only when asked for ----------------------------------------------------------
serve --fault /v1/changes:status=500
expect 500 "injected 500" -- -H "$A" "$URL/v1/changes?since=$CUR"
expect 200 "other endpoints unaffected" -- -H "$A" "$URL/v1/keys"
serve --fault /v1/keys:delay=300
S0=$(date +%s%N); expect 200 "a delayed answer" -- -H "$A" "$URL/v1/keys"; S1=$(date +%s%N)
[ $(( (S1 - S0) / 1000000 )) -ge 300 ] && ok || bad "the delay is applied"
serve --fault /v1/snapshot:drop
curl -s -o /dev/null -H "$A" "$URL/v1/snapshot"; [ $? -ne 0 ] && ok || bad "a dropped connection"
grep -q "microhttpd: .*closing connection" "$T/central.log" && ok || bad "the server's own messages go to its log"
serve --fault /v1/snapshot:truncate=1000
curl -s -o "$T/cut" -H "$A" "$URL/v1/snapshot"
[ "$(wc -c < "$T/cut")" -lt 100000 ] && ok || bad "a truncated snapshot"
tail -n 1 "$T/cut" | grep -q '"cursor"' && bad "a truncated snapshot has no trailer" || ok
"$G" import "$T/cut" 2>/dev/null && bad "greenlane refuses a cut snapshot" || ok

# --- TLS, and plain HTTP only on loopback ------------------------------------------------------------
kill "$SPID"; wait "$SPID" 2>/dev/null; SPID=
"$C" serve --listen "0.0.0.0:$PORT" --db "$DB" 2>"$T/err"; [ $? -eq 64 ] && ok || bad "plain HTTP off loopback is refused"
if command -v openssl >/dev/null; then
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/key.pem" -out "$T/cert.pem" -days 1 -subj "/CN=127.0.0.1" 2>/dev/null
  "$C" serve --listen "127.0.0.1:$PORT" --db "$DB" --cert "$T/cert.pem" --key "$T/key.pem" --log "$T/central.log" &
  SPID=$!
  i=0; until curl -s -k -o /dev/null "https://127.0.0.1:$PORT/v1/keys"; do sleep 0.05; i=$((i + 1)); [ $i -lt 100 ] || break; done
  expect 200 "over TLS" -- --cacert "$T/cert.pem" -H "$A" "https://127.0.0.1:$PORT/v1/keys"
else
  bad "openssl is needed for the TLS test"
fi
grep -q "GET /v1/keys 200" "$T/central.log" && ok || bad "a log line per request"

# --- greenlane sync: a terminal on the centre, over HTTPS ------------------------------------------
tls() { # extra serve args: the centre over TLS on $PORT
  [ -n "${SPID:-}" ] && { kill "$SPID"; wait "$SPID" 2>/dev/null; }
  "$C" serve --listen "127.0.0.1:$PORT" --db "$DB" --cert "$T/cert.pem" --key "$T/key.pem" --log "$T/central.log" "$@" &
  SPID=$!
  i=0; until curl -s -k -o /dev/null "https://127.0.0.1:$PORT/v1/keys"; do sleep 0.05; i=$((i + 1)); [ $i -lt 100 ] || break; done
}
SYNC_TOKEN=$("$C" admin --db "$DB" token add LANE-7)
export GREENLANE_HOME="$T/lane7"
printf '[lane]\ncheckpoint = PDS-01\nterminal = LANE-7\n[server]\nurl = https://127.0.0.1:%s\ntoken = %s\nca = %s\n' \
  "$PORT" "$SYNC_TOKEN" "$T/cert.pem" > "$XDG_CONFIG_HOME/greenlane/config.ini"
chmod 600 "$XDG_CONFIG_HOME/greenlane/config.ini"
"$C" admin --db "$DB" enterprise restore E000001 >/dev/null
"$G" sync --once > "$T/out" 2>&1 && ok || { bad "the first sync"; cat "$T/out"; }
grep -q "pulled: snapshot of" "$T/out" && ok || bad "the first sync takes a snapshot"
"$G" verify 豫D10001 >/dev/null; [ $? -eq 0 ] && ok || bad "the synced lane gives the green channel"
"$G" log --officer 0417 豫D10001 >/dev/null && "$G" log --officer 0417 --tube LANE7-T1 豫D10003 >/dev/null && ok || bad "log two trucks"
"$G" sync --once > "$T/out" 2>&1 && ok || bad "sync pushes"
grep -q "pushed: 2 held by the centre, 0 refused, 0 unsent" "$T/out" && ok || { bad "both records reach the centre"; cat "$T/out"; }
"$G" sync --once > "$T/out" 2>&1
grep -q "pushed: 0 held" "$T/out" && ok || bad "nothing is sent twice"
"$C" admin --db "$DB" report | grep -A3 '"LANE-7"' | grep -q '"events":	2' && ok || bad "the centre holds each record once"
"$C" admin --db "$DB" enterprise suspend E000001 >/dev/null
"$G" sync --once > "$T/out" 2>&1
grep -q "pulled: 1 changes" "$T/out" && ok || { bad "the meltdown arrives as a change"; cat "$T/out"; }
"$G" verify 豫D10001 > "$T/out"; [ $? -eq 1 ] && grep -q ENTERPRISE_SUSPENDED "$T/out" && ok || bad "and takes the green channel"
# The centre forgets tombstones past this lane's cursor: 410, then a new snapshot.
"$C" admin --db "$DB" risk set 410482 medium >/dev/null; "$C" admin --db "$DB" risk clear 410482 >/dev/null
MAXSEQ=$(sql "select max(seq) from record")
"$C" admin --db "$DB" compact "$MAXSEQ"
"$G" sync --once > "$T/out" 2>&1 && ok || bad "sync after the horizon moved"
grep -q "pulled: snapshot of" "$T/out" && ok || { bad "410 leads to a new snapshot"; cat "$T/out"; }
"$G" sync --once > "$T/out" 2>&1
grep -q "pulled: 0 changes" "$T/out" && ok || { bad "and the cursor after it is not below the horizon"; cat "$T/out"; }
# Reads found the cache damaged (they leave a mark): the next round rebuilds it from a snapshot.
touch "$GREENLANE_HOME/cache.db.damaged"
"$G" sync --once > "$T/out" 2>&1 && ok || { bad "sync over a damaged cache"; cat "$T/out"; }
grep -q "pulled: snapshot of" "$T/out" && ok || { bad "a damaged cache is rebuilt from a snapshot"; cat "$T/out"; }
[ -e "$GREENLANE_HOME/cache.db.damaged" ] && bad "and the damage mark is gone" || ok
# A connection dropped while pushing loses nothing.
"$G" log --officer 0417 --decision release --reason "API test" 豫D10002 >/dev/null || bad "log before a dropped push"
tls --fault /v1/events:drop
"$G" sync --once > "$T/out" 2>&1; [ $? -eq 69 ] && ok || { bad "a dropped push fails the round"; cat "$T/out"; }
grep -q "nothing local was lost" "$T/out" && ok || bad "and says nothing was lost"
tls
"$G" sync --once > "$T/out" 2>&1
grep -q "pushed: 1 held by the centre, 0 refused, 0 unsent" "$T/out" && ok || { bad "the record goes next time"; cat "$T/out"; }
# A snapshot cut short every 20 kB is resumed after the last whole record.
rm -rf "$GREENLANE_HOME/cache.db"*
tls --fault /v1/snapshot:truncate=20000
"$G" sync --once > "$T/out" 2>&1 && ok || { bad "a broken snapshot download completes"; cat "$T/out"; }
grep -q "(resumed)" "$T/out" && ok || bad "by resuming"
"$G" verify 豫D10013 >/dev/null; [ $? -eq 1 ] && ok || bad "and the data is whole"
# No centre at all: a clear message, the outbox kept.
kill "$SPID"; wait "$SPID" 2>/dev/null; SPID=
"$G" log --officer 0417 豫D10024 >/dev/null
"$G" sync --once > "$T/out" 2>&1; [ $? -eq 69 ] && ok || bad "no centre: exit 69"
grep -q "cannot talk to the centre" "$T/out" && ok || bad "no centre: says so"
[ "$(sqlite3 "$GREENLANE_HOME/journal.db" 'select count(*) from outbox')" -eq 1 ] && ok || bad "the unsent record stays in the outbox"
printf '[server]\nurl = http://192.0.2.1:80\ntoken = x\n' >> "$XDG_CONFIG_HOME/greenlane/config.ini"
"$G" sync --once > "$T/out" 2>&1; [ $? -eq 78 ] && grep -q "https://" "$T/out" && ok || bad "plain HTTP to another host is refused (configuration, 78)"

# --- signed bundles: a snapshot carried to a lane the network does not reach ---------------
BH="$T/bundle-lane" BC="$T/bundle-config"
"$C" admin --db "$DB" bundle "$T/b.ndjson" 2>"$T/err" && ok || { bad "admin bundle"; cat "$T/err"; }
grep -q "signed with central-snapshot-" "$T/err" && ok || bad "admin bundle names its key"
head -n 1 "$T/b.ndjson" | grep -q '^{"bundle_version":1}$' && ok || bad "the bundle starts with its version line"
tail -n 1 "$T/b.ndjson" | grep -q '^{"bundle":"ey' && ok || bad "the bundle ends in its signature line"
tail -n 2 "$T/b.ndjson" | head -n 1 | grep -q '^{"cursor":' && ok || bad "after the snapshot's own trailer"
SNAPKEY=$(sql "SELECT json_extract(data,'$.kid') || ':' || json_extract(data,'$.pub') FROM record WHERE kind = 'key' AND json_extract(data,'$.use') = 'snapshot'")
bundle_import() { # exit description file [config line]
  want=$1 what=$2 file=$3
  mkdir -p "$BC/greenlane"; printf '[server]\n%s\n' "${4:-}" > "$BC/greenlane/config.ini"
  GREENLANE_HOME="$BH" XDG_CONFIG_HOME="$BC" "$G" import "$file" > "$T/out" 2>&1; got=$?
  [ "$got" -eq "$want" ] && ok || { bad "$what: exit $got, want $want"; cat "$T/out"; }
}
bundle_import 65 "a lane that trusts no snapshot key refuses a bundle" "$T/b.ndjson"
grep -q "does not trust" "$T/out" && ok || bad "and says it does not trust the key"
[ ! -e "$BH/cache.db" ] && ok || bad "and keeps no data from it"
sed '0,/"status":"active"/s//"status":"suspended"/' "$T/b.ndjson" > "$T/b-changed.ndjson"
bundle_import 65 "a bundle changed after signing is refused" "$T/b-changed.ndjson" "bundle_key = $SNAPKEY"
grep -q "changed or cut short" "$T/out" && ok || bad "and says it was changed"
(cat "$T/b.ndjson"; echo '{"seq":1,"kind":"intercept","op":"del","key":"X"}') > "$T/b-more.ndjson"
bundle_import 65 "a line after the signature is refused" "$T/b-more.ndjson" "bundle_key = $SNAPKEY"
bundle_import 78 "a malformed bundle_key is a configuration error" "$T/b.ndjson" "bundle_key = nonsense"
gzip -c "$T/b.ndjson" > "$T/b.ndjson.gz"
bundle_import 0 "the configured key verifies a gzip bundle" "$T/b.ndjson.gz" "bundle_key = $SNAPKEY"
grep -q "bundle signature verified (key central-snapshot-" "$T/out" && ok || bad "and says whose signature it checked"
GREENLANE_HOME="$BH" XDG_CONFIG_HOME="$BC" "$G" verify --at 2022-05-10T09:00:00+08:00 豫D10001 >/dev/null; [ $? -le 4 ] && ok || bad "the bundle's data answers checks"
bundle_import 0 "then the snapshot key the cache holds is trusted without configuration" "$T/b.ndjson"
sed 's/$/\r/' "$T/b.ndjson" > "$T/b-crlf.ndjson"
bundle_import 0 "a bundle whose line ends became CR LF on the way still verifies" "$T/b-crlf.ndjson"
head -n -1 "$T/b.ndjson" > "$T/b-cut.ndjson"
bundle_import 65 "a bundle without its signature line is refused" "$T/b-cut.ndjson"
grep -q "cut short" "$T/out" && ok || bad "and says it was cut short"
tail -n +2 "$T/b.ndjson" > "$T/b-nohead.ndjson"
bundle_import 65 "a signature line in a file that does not start as a bundle is refused" "$T/b-nohead.ndjson"
sed '1d;$d' "$T/b.ndjson" > "$T/unsigned.ndjson"
bundle_import 0 "an unsigned snapshot still imports" "$T/unsigned.ndjson"
grep -q "unsigned file" "$T/out" && ok || bad "and says it is unsigned"

finish
