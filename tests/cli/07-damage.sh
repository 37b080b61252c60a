#!/bin/sh
# A record damaged in the file (behind greenlane's back): a check that needs
# it is "check" with DATA_DAMAGED and can be logged; the cache is marked, and
# every check says so until a snapshot replaces the file.
. "$(dirname "$0")/lib.sh"
printf '{"kind":"vehicle","op":"put","key":"豫D77777","data":{"enterprise_id":"E000001"}}\n{"cursor":"x","as_of":"2022-05-10T08:30:00+08:00"}\n' > "$T/snap.ndjson"
expect_exit 0 "import --replace" -- "$G" import --replace "$T/snap.ndjson"
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
finish
