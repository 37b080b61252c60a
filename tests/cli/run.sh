#!/bin/sh
# Command-line tests of the real greenlane binary on the demo data: verdicts,
# exit codes, JSON, tokens, malformed input, import atomicity, the journal.
# Prints "cli: N passed, M failed" last.
set -u
G=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
T=$(mktemp -d /tmp/greenlane-cli.XXXXXX)
trap 'rm -rf "$T"' EXIT
export GREENLANE_HOME="$T/home" XDG_CONFIG_HOME="$T/config" LANG=C.UTF-8 LC_ALL= TZ=Asia/Shanghai
unset LC_MESSAGES
AS_OF=2022-05-10T08:00:00+08:00
AT="--at 2022-05-10T09:00:00+08:00"
pass=0 fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); printf 'FAIL: %s\n' "$*"; }

. "$(dirname "$0")/../expect.sh"

# --- no data yet ---
expect_exit 66 "verify without a cache" -- "$G" verify 豫D10001
expect_in "$T/err" "greenlane demo" "the message says what to do"
expect_exit 64 "no query" -- "$G" verify
expect_exit 64 "unknown option" -- "$G" verify --bogus 豫D10001
expect_exit 64 "unknown command" -- "$G" frobnicate
expect_in "$T/err" "usage: greenlane" "an unknown command shows the usage on stderr"
expect_exit 0 "--help" -- "$G" --help
expect_in "$T/out" "usage: greenlane" "--help prints the usage on stdout"
expect_exit 0 "--version" -- "$G" --version
expect_in "$T/out" "^greenlane [0-9]*\.[0-9]*\.[0-9]*$" "--version prints the version"

# --- the demo ---
expect_exit 0 "demo" -- "$G" demo --no-tui --at $AS_OF
expect_in "$T/err" "0 refused" "the demo's signed policy is accepted"

# verify: plate → verdict exit code and the reason the scenario is built for
check() { # plate exit code [more args]
  q=$1 want=$2 code=$3; shift 3
  "$G" verify --json $AT "$@" "$q" >"$T/out" 2>"$T/err"; got=$?
  if [ "$got" -ne "$want" ]; then bad "$q: exit $got, want $want"; sed 's/^/  | /' "$T/err" | head -5; return; fi
  ok
  [ -n "$code" ] && expect_in "$T/out" "\"code\":	\"$code\"" "$q gives $code"
  cat "$T/out" >> "$T/all.json"
}
: > "$T/all.json"
check 豫D10001 0 LANDING_TEST_DONE
check 豫D10002 1 PASS_MISSING
check 豫D10003 2 NAT_EXPIRED
check 豫D10004 2 HEALTH_CODE_YELLOW
check 豫D10004 2 NAT_MISSING
check 豫D10004 2 ENTERPRISE_SUSPENDED
check 豫D10005 3 NOT_REGISTERED
check 豫D10006 3 ROUTE_DEVIATION
check 豫D10007 4 INTERCEPT
check 豫D10008 4 POSITIVE_OR_CONTACT
check 豫D10009 4 HEALTH_CODE_RED
check 豫D10010 0 WHITELIST_PROTECTED
check 豫D10011 0 TRANSIT_THROUGH_RISK
check 豫D10012 1 RISK_ORIGIN_CLOSED_LOOP
check 豫D10013 1 ENTERPRISE_SUSPENDED
check 豫D10014 1 PASS_EXPIRED
check 豫D10015 3 PASS_REVOKED
check 豫D10016 3 TRIP_CLOSED
check 豫D10018 3 CREW_UNKNOWN
check 豫D10019 3 UNKNOWN_DRIVER
check 豫DD10020 0 ""
check 豫D2001挂 0 ""
expect_in "$T/out" '"plate":	"豫D10021"' "a trailer's plate finds its tractor"
check 粤B10022 0 TRANSIT_THROUGH_RISK
check 豫D10023 4 INTERCEPT
check 豫D10024 0 LANDING_TEST_DUE
check 藏Z99999 3 UNKNOWN_VEHICLE
check 410421196501020008 3 RISK_ORIGIN_NO_TRIP 豫D10017
check 410402199001010019 3 UNKNOWN_DRIVER 豫D10001
# A driver of another truck's trip scanned with this plate: a driver swap is what the closed loop catches.
D2=$("$G" verify --json $AT 豫D10002 | sed -n 's/.*"id_no":	"\([0-9X]*\)".*/\1/p' | head -n 1)
check "$D2" 3 CREW_NOT_ON_TRIP 豫D10001
check 410402196501010003 0 "" 豫D10001
expect_not_in "$T/out" CREW_NOT_ON_TRIP "the trip's own driver is no swap"
# Residence permits of Hong Kong, Macao and Taiwan residents are ID numbers.
check 830000198802110027 3 UNKNOWN_DRIVER
check 810000200001010014 3 UNKNOWN_DRIVER
check "豫D·10001" 0 "" 
expect_exit 65 "no province and none configured" -- "$G" verify $AT d10001
expect_in "$T/err" "province" "the message suggests the province"
check 410402000000 0 ""
expect_in "$T/out" '"kind":	"pass_no"' "a pass number is detected"
check 410402196501010003 0 ""
expect_in "$T/out" '"plate":	"豫D10001"' "an ID alone finds the truck of the person's current trip"

# tokens: the demo pass's own, a forged one, one for another truck, a damaged one
"$G" verify --json $AT 豫D10001 | sed -n 's/.*"token":	"\([^"]*\)".*/\1/p' > "$T/token"
TOKEN=$(cat "$T/token")
[ ${#TOKEN} -gt 100 ] && ok || bad "the demo pass carries a token"
check "$TOKEN" 0 ""
expect_in "$T/out" '"kind":	"pass_token"' "a token is detected"
expect_in "$T/out" '"signature":	"ok"' "the token verifies offline"
check "https://pass.example/q?t=$TOKEN" 0 ""
FORGED=$("$G" demo --forged-token --at $AS_OF)
check "$FORGED" 4 PASS_FORGED
check "$TOKEN" 4 PASS_PLATE_MISMATCH 豫D10002
BROKEN=$(printf '%s' "$TOKEN" | sed 's/.\{20\}$/AAAAAAAAAAAAAAAAAAAA/')
check "$BROKEN" 4 PASS_FORGED
expect_exit 65 "a token cut short" -- "$G" verify $AT "$(printf '%s' "$TOKEN" | cut -c1-120)"
expect_in "$T/err" "corrupt" "says the code is corrupt"

# every reason code and every verdict of DESIGN.md §1 occurs in the demo
"$G" verify --json --at 2022-05-10T11:00:00+08:00 豫D10001 >> "$T/all.json"   # CACHE_AGING
"$G" verify --json --at 2022-05-11T09:00:00+08:00 豫D10001 >> "$T/all.json"   # CACHE_STALE
for c in POSITIVE_OR_CONTACT HEALTH_CODE_RED INTERCEPT PASS_FORGED PASS_PLATE_MISMATCH \
         HEALTH_CODE_YELLOW NAT_MISSING NAT_EXPIRED PASS_MISSING PASS_EXPIRED ENTERPRISE_SUSPENDED \
         NOT_REGISTERED ROUTE_DEVIATION TRIP_CLOSED UNKNOWN_VEHICLE UNKNOWN_DRIVER CACHE_STALE \
         PASS_REVOKED RISK_ORIGIN_NO_TRIP TRANSIT_THROUGH_RISK WHITELIST_PROTECTED LANDING_TEST_DUE \
         LANDING_TEST_DONE CACHE_AGING RISK_ORIGIN_CLOSED_LOOP CREW_UNKNOWN CREW_NOT_ON_TRIP; do
  expect_in "$T/all.json" "\"code\":	\"$c\"" "the demo produces $c"
done
for v in green pass sample check hold; do
  expect_in "$T/all.json" "\"verdict\":	\"$v\"" "the demo produces $v"
done

# time: ageing and stale cache
expect_exit 3 "stale cache" -- "$G" verify --at 2022-05-11T08:00:01+08:00 豫D10001
expect_in "$T/out" CACHE_STALE "stale cache reason"
expect_exit 0 "outbound needs no registration" -- "$G" verify --out $AT 豫D10005
expect_not_in "$T/out" NOT_REGISTERED "outbound"
expect_exit 3 "another checkpoint is off the route" -- "$G" verify --checkpoint PDS-02 $AT 豫D10001
expect_in "$T/out" ROUTE_DEVIATION "route deviation at PDS-02"

# malformed queries: 65 and a message that says what is wrong
expect_exit 65 "plate with O" -- "$G" verify $AT 豫D1000O
expect_in "$T/err" "I or O" "why the plate is wrong"
expect_exit 65 "ID check digit" -- "$G" verify $AT 410402196501010004
expect_in "$T/err" "check character" "why the ID is wrong"
expect_in "$T/err" "410402\*\*\*\*\*\*\*\*0004" "a mistyped ID is quoted masked"
expect_not_in "$T/err" "410402196501010004" "never whole"
expect_exit 65 "gibberish" -- "$G" verify $AT 'hello world'
# A scanner that sends kilobytes, or terminal escapes: the message quotes a short, safe excerpt.
expect_exit 65 "a 3000-character scan" -- "$G" verify $AT "$(head -c 3000 /dev/zero | tr '\0' A)"
[ "$(wc -c < "$T/err")" -lt 300 ] && ok || bad "the message quotes an excerpt, not 3000 characters"
expect_in "$T/err" "AAAA…" "and says it was cut"
expect_exit 65 "a terminal escape in the query" -- "$G" verify $AT "$(printf '\033[2J豫D1')"
LC_ALL=C grep -q "$(printf '\033')" "$T/err" && bad "the escape reaches the terminal" || ok
expect_exit 65 "two plates" -- "$G" verify $AT 豫D10001 豫D10002
expect_exit 64 "bad --at" -- "$G" verify --at yesterday 豫D10001

# language
LANG=zh_CN.UTF-8 "$G" verify $AT 豫D10001 > "$T/out" 2>&1
expect_in "$T/out" "绿色通道" "Chinese verdict"
expect_in "$T/out" "车辆" "Chinese labels"
expect_in "$T/out" "410402\*\*\*\*\*\*\*\*0003" "ID numbers are masked on screen"

# configuration: the local province lets an officer type D10001
mkdir -p "$T/config/greenlane"
printf '[lane]\nprovince = 豫\ncheckpoint = PDS-01\n' > "$T/config/greenlane/config.ini"
expect_exit 0 "local province" -- "$G" verify $AT D10001
printf '[lane]\nprovnce = 豫\n' > "$T/config/greenlane/config.ini"
expect_exit 78 "a typo in the config is refused" -- "$G" verify $AT 豫D10001
expect_in "$T/err" "line 2" "the config error names the line"
expect_in "$T/err" '\[lane\] has no key "provnce"' "and the key it does not know"
printf '# lane 3\n[lane]\ndirection = sideways\n' > "$T/config/greenlane/config.ini"
expect_exit 78 "a bad value is refused" -- "$G" verify $AT 豫D10001
expect_in "$T/err" "line 3" "and names its line"
expect_in "$T/err" '"sideways" is not a valid value for direction' "and the value and its key"
printf '[lane]\ncheckpoint = %0100d\n' 0 > "$T/config/greenlane/config.ini"
expect_exit 78 "a value too long for its field is refused, not cut" -- "$G" verify $AT 豫D10001
printf '[server]\nprovince = 豫\n' > "$T/config/greenlane/config.ini"
expect_exit 78 "a key in the wrong section is refused" -- "$G" verify $AT 豫D10001
printf '[ui]\nlang = zh\n' > "$T/config/greenlane/config.ini"
LANG=C.UTF-8 expect_exit 0 "[ui] lang = zh" -- "$G" verify $AT 豫D10001
expect_in "$T/out" "车辆" "speaks Chinese whatever the locale"
rm "$T/config/greenlane/config.ini"

# log: committed, then OK
expect_exit 0 "log a green truck" -- "$G" log --officer 0417 $AT 豫D10001
expect_in "$T/out" "^OK logged #1 " "log prints OK with the sequence"
expect_exit 64 "check needs a decision" -- "$G" log $AT 豫D10005
expect_exit 64 "an override needs a reason" -- "$G" log --decision release $AT 豫D10008
expect_exit 64 "sampling needs a tube" -- "$G" log $AT 豫D10003
expect_exit 0 "sample with a tube" -- "$G" log --tube PDS0001 $AT 豫D10003
# The test result follows the tube: what is no tube, or a tube used already, is refused.
expect_exit 65 "a tube of one character" -- "$G" log --tube x $AT 豫D10003
expect_in "$T/err" "4 to 24" "says what a tube looks like"
expect_exit 65 "an ID card scanned as the tube" -- "$G" log --tube 410402196501010003 $AT 豫D10003
expect_in "$T/err" "an ID number, not a tube" "says it is an ID number"
expect_exit 65 "a pass code scanned as the tube" -- "$G" log --tube "$TOKEN" $AT 豫D10003
expect_exit 65 "a tube used already" -- "$G" log --tube pds0001 $AT 豫D10003
expect_in "$T/err" "record #2 (transit, 豫D10003" "names the record that used it"
mkdir -p "$T/config/greenlane"
printf '[lane]\ntube_pattern = ^NAT[0-9]{6}$\n' > "$T/config/greenlane/config.ini"
expect_exit 65 "a lane's own tube pattern" -- "$G" log --tube PDS0002 $AT 豫D10003
expect_in "$T/err" "tube pattern" "names the pattern"
printf '[lane]\ntube_pattern = ([\n' > "$T/config/greenlane/config.ini"
expect_exit 78 "a tube pattern that is no expression is refused" -- "$G" verify $AT 豫D10001
rm "$T/config/greenlane/config.ini"
expect_exit 0 "override with a reason" -- "$G" log --decision release --reason "复核阴性" $AT 豫D10008
expect_exit 0 "registration after a check" -- "$G" log --decision release $AT 豫D10005
expect_exit 65 "nothing logged for a bad query" -- "$G" log $AT 豫D1000O
# A full disk: a clear message, nothing recorded, and the next try works.
sh -c 'ulimit -f 1; trap "" XFSZ; exec "$0" log --decision release '"$AT"' 豫D10001' "$G" >"$T/out" 2>"$T/err"
[ $? -ne 0 ] && ok || bad "logging on a full disk fails"
expect_in "$T/err" "disk" "and says the disk failed"
"$G" export --csv > "$T/csv"
[ "$(wc -l < "$T/csv")" -eq 5 ] && ok || bad "export: 4 records and a header, got $(wc -l < "$T/csv") lines"
expect_in "$T/csv" ",release,LANDING_TEST_DONE," "CSV row"
"$G" export --jsonl > "$T/jsonl"
expect_in "$T/jsonl" '"override":true' "the override is journaled"
expect_in "$T/jsonl" '"override_reason":"复核阴性"' "with its reason"
expect_in "$T/jsonl" '"tube":"PDS0001"' "the tube number is journaled"
expect_not_in "$T/jsonl" "$TOKEN" "a token is never journaled whole"

# import: atomic, streaming, put and del
cat > "$T/changes.ndjson" <<'NDJSON'
{"seq":900,"kind":"vehicle","op":"del","key":"豫D10002"}
{"seq":901,"kind":"driver","op":"put","key":"410402199001010019","data":{"name":"新司机","health_code":"green","itinerary":"normal","status":"none"}}
{"cursor":"c901","more":false}
NDJSON
expect_exit 0 "import changes" -- "$G" import "$T/changes.ndjson"
expect_exit 3 "a deleted vehicle is unknown" -- "$G" verify $AT 豫D10002
expect_in "$T/out" UNKNOWN_VEHICLE "after del"
# A vehicle whose enterprise is not in the data is not whitelisted.
printf '{"kind":"vehicle","op":"put","key":"豫D10011","data":{"plate":"豫D10011","enterprise_id":"E999999","relation":"own","type":"重型厢式货车"}}\n' > "$T/orphan.ndjson"
expect_exit 0 "import a vehicle of an unknown enterprise" -- "$G" import "$T/orphan.ndjson"
expect_exit 1 "its enterprise missing: no green" -- "$G" verify $AT 豫D10011
expect_in "$T/out" ENTERPRISE_SUSPENDED "ENTERPRISE_SUSPENDED"
printf '%s\n%s\n' '{"kind":"vehicle","op":"del","key":"豫D10001"}' '{"kind":"vehicle","op":"put","key":"豫D1","data":{}}' > "$T/bad.ndjson"
expect_exit 65 "a bad line cancels the import" -- "$G" import "$T/bad.ndjson"
expect_in "$T/err" "line 2" "the error names the line"
expect_exit 0 "nothing of the cancelled import applied" -- "$G" verify $AT 豫D10001
expect_exit 66 "missing file" -- "$G" import "$T/nope.ndjson"
gzip -c "$T/changes.ndjson" > "$T/changes.ndjson.gz"
expect_exit 0 "a gzip snapshot imports as it is" -- "$G" import "$T/changes.ndjson.gz"
head -c $(( $(wc -c < "$T/changes.ndjson.gz") / 2 )) "$T/changes.ndjson.gz" > "$T/cut.gz"
expect_exit 65 "a gzip file cut short is refused" -- "$G" import "$T/cut.gz"
awk 'BEGIN { printf "{\"kind\":\"vehicle\",\"op\":\"put\",\"key\":\"豫D10001\",\"data\":{\"x\":\""; for (i = 0; i < 1100000; i++) printf "a"; print "\"}}" }' > "$T/long.ndjson"
expect_exit 65 "a line over 1 MiB is refused, memory bounded" -- "$G" import "$T/long.ndjson"
expect_in "$T/err" "too long" "says the line is too long"
# A full disk during an import: exit 74 (not "bad data"), nothing applied, the old data still answers.
awk 'BEGIN { for (i = 0; i < 20000; i++) printf "{\"kind\":\"vehicle\",\"op\":\"put\",\"key\":\"豫E%05d\",\"data\":{\"n\":\"%0200d\"}}\n", i, i }' > "$T/big.ndjson"
for mode in "" --replace; do
  sh -c 'ulimit -f 200; trap "" XFSZ; exec "$0" import '"$mode"' "$1"' "$G" "$T/big.ndjson" >"$T/out" 2>"$T/err"
  [ $? -eq 74 ] && ok || { bad "import $mode on a full disk exits 74"; cat "$T/err"; }
  expect_in "$T/err" "the disk" "and blames the disk"
  expect_not_in "$T/err" "line [0-9]" "not a line of the input"
  expect_exit 0 "the old data still answers after a failed import $mode" -- "$G" verify $AT 豫D10001
  expect_exit 3 "and none of the failed import is there" -- "$G" verify $AT 豫E19999
done
# A member named twice: a consumer that keeps the last would see another plate (I-JSON).
printf '{"kind":"vehicle","op":"put","key":"豫D10011","data":{"plate":"豫D10011","enterprise_id":"E000001","enterprise_id":"E999999"}}\n' > "$T/dup.ndjson"
expect_exit 65 "a record with a repeated member name is refused" -- "$G" import "$T/dup.ndjson"
expect_in "$T/err" "repeated member name" "and says why"
printf '{"kind":"vehicle","op":"put","key":"豫D10011","plate":"x","data":{"plate":"豫D10011","enterprise_id":"E000001"},"pl\\u0061te":"y"}\n' > "$T/dup2.ndjson"
expect_exit 65 "also when spelt with an escape" -- "$G" import "$T/dup2.ndjson"
# What replaces all the data must be all of it: a snapshot ends with its closing line.
: > "$T/empty.ndjson"
printf '\n\n\n' > "$T/blank.ndjson"
printf '{"kind":"vehicle","op":"put","key":"豫D77777","data":{"enterprise_id":"E000001"}}\n' > "$T/cut.ndjson"
for f in empty blank cut; do
  expect_exit 65 "import --replace of a $f file is refused" -- "$G" import --replace "$T/$f.ndjson"
  expect_in "$T/err" "not a whole snapshot" "and says why"
  expect_exit 0 "the data is as it was after the $f file" -- "$G" verify $AT 豫D10001
done
# Data vouched for in the future would never grow stale.
printf '{"cursor":"f1","as_of":"2099-01-01T00:00:00+08:00"}\n' > "$T/future.ndjson"
expect_exit 65 "an as_of in the future is refused" -- "$G" import "$T/future.ndjson"
expect_in "$T/err" "later than this machine's clock" "and says so"
printf '{"kind":"vehicle","op":"put","key":"豫D77777","data":{"enterprise_id":"E000001"}}\n{"cursor":"x","as_of":"2022-05-10T08:30:00+08:00"}\n' > "$T/snap.ndjson"
expect_exit 0 "import --replace" -- "$G" import --replace "$T/snap.ndjson"
expect_exit 3 "after a replace only the snapshot is there" -- "$G" verify $AT 豫D10001
expect_in "$T/out" UNKNOWN_VEHICLE "old data gone"
# A record damaged in the file (behind greenlane's back): a check that needs it is "check" with
# DATA_DAMAGED and can be logged; the cache is marked, and every check says so until a snapshot
# replaces the file.
sqlite3 "$GREENLANE_HOME/cache.db" "UPDATE rec SET data = '{\"plate\":' WHERE home = '豫D77777' AND kind = 1"
expect_exit 3 "a check that needs a damaged record is check" -- "$G" verify --json $AT 豫D77777
expect_in "$T/out" '"code":	"DATA_DAMAGED"' "with DATA_DAMAGED"
[ -e "$GREENLANE_HOME/cache.db.damaged" ] && ok || bad "the damaged cache is marked"
expect_exit 0 "and the officer's decision on it is logged" -- "$G" log $AT --decision release 豫D77777
expect_exit 3 "a cache known damaged gives no check better than check" -- "$G" verify --json $AT 豫D66666
expect_in "$T/out" '"code":	"DATA_DAMAGED"' "not even where the truck's own records read whole"
expect_in "$T/err" "next sync rebuilds it" "and says the next sync rebuilds the cache"
expect_exit 0 "a snapshot over a damaged cache" -- "$G" import --replace "$T/snap.ndjson"
[ -e "$GREENLANE_HOME/cache.db.damaged" ] && bad "the snapshot clears the damage mark" || ok
expect_exit 3 "verify after the rebuild" -- "$G" verify $AT 豫D77777
expect_not_in "$T/err" "damaged" "no damage note once rebuilt"

# The lane's files are its user's alone: cache.db holds every driver's name,
# phone and ID number; journal.db the lane's records; the config a token.
mode() { stat -c %a "$1"; }
[ "$(mode "$GREENLANE_HOME")" = 700 ] && ok || bad "the data directory is 0700 ($(mode "$GREENLANE_HOME"))"
for f in cache.db journal.db journal.db-wal journal.db-shm; do
  [ ! -e "$GREENLANE_HOME/$f" ] || [ "$(mode "$GREENLANE_HOME/$f")" = 600 ] && ok || bad "$f is 0600 ($(mode "$GREENLANE_HOME/$f"))"
done
chmod 755 "$GREENLANE_HOME"; chmod 644 "$GREENLANE_HOME/journal.db" "$GREENLANE_HOME/cache.db"
"$G" log --decision release $AT 豫D10001 >/dev/null 2>&1
[ "$(mode "$GREENLANE_HOME")" = 700 ] && [ "$(mode "$GREENLANE_HOME/journal.db")" = 600 ] && ok ||
  bad "files made readable by others are made private again"
mkdir -p "$T/config/greenlane"
printf '[server]\nurl = https://centre.example\ntoken = secret\n' > "$T/config/greenlane/config.ini"
chmod 644 "$T/config/greenlane/config.ini"
expect_exit 3 "a token others can read" -- "$G" verify $AT 豫D10001
expect_in "$T/err" "others can read it: chmod 600" "is warned about"
chmod 600 "$T/config/greenlane/config.ini"
expect_exit 3 "a token only its user reads" -- "$G" verify $AT 豫D10001
expect_not_in "$T/err" "others can read" "is not"
rm "$T/config/greenlane/config.ini"

# greenlane check: the file's structure, and the journal's chain.
expect_exit 0 "check a whole cache" -- "$G" check
expect_in "$T/out" "cache.db: whole" "says the cache is whole"
expect_in "$T/out" "journal.db: the chain is whole" "and the journal too"
cp "$GREENLANE_HOME/cache.db" "$T/cache-copy.db"
printf '\377\377' | dd of="$GREENLANE_HOME/cache.db" bs=1 seek=$((4096 * 3 + 3)) conv=notrunc 2>/dev/null
expect_exit 65 "check a cache whose structure is damaged" -- "$G" check
expect_in "$T/err" "damaged" "says it is damaged"
[ -e "$GREENLANE_HOME/cache.db.damaged" ] && ok || bad "and marks it for the next sync"
cp "$T/cache-copy.db" "$GREENLANE_HOME/cache.db"; rm -f "$GREENLANE_HOME/cache.db.damaged" "$GREENLANE_HOME/cache.db-wal"

# A disk that filled while greenlane was not running: the lane must still
# start, read and check, and say that nothing can be written.  Needs a real
# full file system (a file size limit does not stop SQLite creating its
# -shm file), so a small tmpfs: only where mounting one is allowed.
mkdir -p "$T/full"
if mount -t tmpfs -o size=2m tmpfs "$T/full" 2>/dev/null; then
  trap 'umount "$T/full" 2>/dev/null; rm -rf "$T"' EXIT
  home=$GREENLANE_HOME
  GREENLANE_HOME="$T/full/home"
  fill() { dd if=/dev/zero of="$T/full/fill" bs=1k count=4096 2>/dev/null; true; }
  "$G" demo --no-tui --size 200 --at $AS_OF >/dev/null 2>&1; fill
  expect_exit 0 "full disk right after a snapshot: checks work" -- "$G" verify $AT 豫D10001
  rm -f "$T/full/fill"
  "$G" log $AT 豫D10001 >/dev/null 2>&1; fill
  expect_exit 0 "full disk: the journal still opens (export)" -- "$G" export --jsonl
  expect_in "$T/out" '"decision":"release"' "and what was logged is there"
  expect_exit 0 "full disk: checks still work" -- "$G" verify $AT 豫D10001
  expect_exit 74 "full disk: logging fails as a disk failure" -- "$G" log $AT 豫D10001
  expect_in "$T/err" "disk is full" "and says the disk is full"
  GREENLANE_HOME=$home
  umount "$T/full"
else
  echo "cli: full-disk checks skipped (cannot mount a tmpfs here)"
fi

echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
