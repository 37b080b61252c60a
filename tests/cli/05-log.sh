#!/bin/sh
# log: committed, then OK; decisions that need a reason or a tube; tubes that
# are no tube, or used already; a full disk; the export.
. "$(dirname "$0")/lib.sh"
demo
TOKEN=$(demo_token)
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
finish
