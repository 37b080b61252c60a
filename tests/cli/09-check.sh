#!/bin/sh
# greenlane check: the file's structure, and the journal's chain.
. "$(dirname "$0")/lib.sh"
demo
"$G" log --decision release $AT 豫D10001 >/dev/null 2>&1
expect_exit 0 "check a whole cache" -- "$G" check
expect_in "$T/out" "cache.db: whole" "says the cache is whole"
expect_in "$T/out" "journal.db: the chain is whole" "and the journal too"
cp "$GREENLANE_HOME/cache.db" "$T/cache-copy.db"
printf '\377\377' | dd of="$GREENLANE_HOME/cache.db" bs=1 seek=$((4096 * 3 + 3)) conv=notrunc 2>/dev/null
expect_exit 65 "check a cache whose structure is damaged" -- "$G" check
expect_in "$T/err" "damaged" "says it is damaged"
[ -e "$GREENLANE_HOME/cache.db.damaged" ] && ok || bad "and marks it for the next sync"
cp "$T/cache-copy.db" "$GREENLANE_HOME/cache.db"; rm -f "$GREENLANE_HOME/cache.db.damaged" "$GREENLANE_HOME/cache.db-wal"
finish
