# A damaged cache: the screen says so across its width; a truck whose record
# is damaged gets DATA_DAMAGED, never better than check, and can be logged.
. "$(dirname "$0")/lib.sh"
demo
start
touch "$GREENLANE_HOME/cache.db.damaged"
wait_for "LOCAL DATA DAMAGED" "a cache marked damaged is said"
rm -f "$GREENLANE_HOME/cache.db.damaged"
wait_gone "LOCAL DATA DAMAGED" "and no longer once the mark is gone"
sqlite3 "$GREENLANE_HOME/cache.db" "UPDATE rec SET data = '{\"plate\":' WHERE home = '豫D10005' AND kind = 1"
check 豫D10005 "DATA_DAMAGED" "a truck whose record is damaged: DATA_DAMAGED"
wait_for "\[C\]  人工核查" "never better than check"
keys F5
wait_for "Logged #1" "the officer's decision is logged"
wait_for "LOCAL DATA DAMAGED" "the screen says the data is damaged"
finish
