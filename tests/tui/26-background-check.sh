# Damage to the file's structure is found without the officer noticing: the
# lane checks the file in the background at the start (and when idle),
# marks it, says so, and no check on it is better than check.
. "$(dirname "$0")/lib.sh"
demo
# Two bytes of a page header: SQLite's structure, not a record's text.
printf '\377\377' | dd of="$GREENLANE_HOME/cache.db" bs=1 seek=$((4096 * 7 + 3)) conv=notrunc 2>/dev/null
rm -f "$GREENLANE_HOME/cache.db.damaged"
start
wait_for "LOCAL DATA DAMAGED" "the background check finds the damage and the screen says so"
wait_for "background check found the local data damaged" "with what to expect"
[ -e "$GREENLANE_HOME/cache.db.damaged" ] && ok || bad "the file is marked for the next sync"
check 豫D10001 "DATA_DAMAGED" "a check on a cache known damaged says so"
wait_for "\[C\]  人工核查" "and is never better than check"
[ "$(logged_lines 'check: greenlane: the local data is damaged')" -ge 1 ] && ok || bad "the log has the check's words"
finish
