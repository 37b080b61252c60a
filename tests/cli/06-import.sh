#!/bin/sh
# import: atomic, streaming, put and del, gzip; a bad line, a line too long,
# a full disk cancel it whole; I-JSON; a replacing import needs the
# snapshot's closing line; a future as_of is refused.
. "$(dirname "$0")/lib.sh"
demo
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
finish
